package pk.gov.bisp.nser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.metering.Ledger;

/**
 * The proof of issue 5: a server process under concurrent load is killed with SIGKILL; afterwards every
 * response any client received has its access record, nothing is recorded twice, and the ledger replayed from
 * the journal bills exactly the rows the log holds.
 */
class KillNineTest {

    @Test
    void everyResponseAClientReceivedIsInTheLogAfterKillNine() throws Exception {
        Path journal = Files.createTempDirectory("nser-kill9");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ServerProcess server = ServerProcess.start(http, "--journal", journal.toString());
        ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        try {
            URI base = server.base;
            List<String> cnics = cnics();
            for (int t = 0; t < 6; t++) {
                int seed = t;
                Thread c = new Thread(() -> {
                    int i = seed;
                    while (!stop.get()) {
                        String path = i % 3 == 0 ? "/v1/households?province=6&limit=3"
                                : "/v1/households/by-cnic/" + cnics.get(i % cnics.size());
                        i += 7;
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path))
                                    .header("Authorization", "Bearer demo-power-key").timeout(Duration.ofSeconds(5))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                received.add(r.headers().firstValue("X-Request-Id").orElseThrow());
                            }
                        } catch (Exception e) {
                            if (!server.alive()) {
                                return;
                            }
                        }
                    }
                });
                c.start();
                clients.add(c);
            }
            long deadline = System.nanoTime() + 120_000_000_000L; // a hang guard: fails instead of waiting forever
            while (received.size() < 400) {
                assertTrue(server.alive(), "the server died before it was killed, after " + received.size()
                        + " answers");
                assertTrue(System.nanoTime() < deadline, "only " + received.size() + " answers in 2 minutes");
                Thread.sleep(5);
            }
            server.kill();
        } finally {
            stop.set(true);
            server.kill();
            for (Thread c : clients) {
                c.join(10_000);
            }
        }
        assertTrue(received.size() >= 400, "responses received before the kill: " + received.size());
        Map<String, AccessRecord[]> log = AccessLogs.read(journal);
        List<String> missing = new ArrayList<>();
        for (String id : received) {
            if (!log.containsKey(id) || log.get(id)[0] == null) {
                missing.add(id);
            }
        }
        assertEquals(List.of(), missing, "responses received but not in the access log");
        long rows = 0;
        for (AccessRecord[] r : log.values()) {
            rows += (r[0] == null ? 0 : r[0].billedRows()) + (r[1] == null ? 0 : r[1].billedRows());
        }
        assertEquals(rows, AccessLogs.billedAroundNow(Ledger.replay(journal), "punjab-social-protection")[0],
                "the ledger bills exactly the rows of the log");
        assertTrue(rows >= received.size(), "each received response carried at least one row");
    }

    private static List<String> cnics() throws Exception {
        return TestServer.headCnics(0, 97, 200).stream().map(Cnic::digits).toList();
    }
}
