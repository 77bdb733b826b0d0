package pk.gov.bisp.nser.server.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.AccessLogs;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

/**
 * The access log under concurrent clients on two event loops, written by the event loops themselves (the default)
 * and by the journal thread alone ({@code journal.event_loop_writes: false}): every response's record is in the
 * journal by the time the client has the response, once, with what was answered.
 */
@Timeout(120) // a hang guard, not an assertion on time
class AccessLogWritersTest {

    private static final int CLIENTS = 12;
    private static final int REQUESTS = 60;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyAnsweredRequestShouldBeInTheJournalOnceWhenItsResponseArrives(boolean eventLoopWrites)
            throws Exception {
        List<String> cnics = TestServer.headCnics(0, 97, 50).stream().map(Cnic::format).toList();
        String yaml = Files.readString(Path.of("../config/demo.yaml"));
        if (!eventLoopWrites) {
            yaml = yaml.replace("gather_micros: 300", "gather_micros: 300\n  event_loop_writes: false");
        }
        Path journal = Files.createTempDirectory("nser-writers");
        Map<String, Integer> answered = new ConcurrentHashMap<>(); // request id -> status
        Map<String, AccessRecord[]> log;
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (NserServer server = TestServer.start(TestServer.config(yaml).withJournalDir(journal).withEventLoops(2))) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    for (int i = 0; i < REQUESTS; i++) {
                        String path = i % 3 == 2 ? "/health/live"
                                : "/v1/households/by-cnic/" + cnics.get((client * REQUESTS + i) % cnics.size());
                        HttpResponse<String> res = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.port() + path))
                                .header("Authorization", "Bearer demo-power-key").timeout(Duration.ofSeconds(10))
                                .GET().build(), HttpResponse.BodyHandlers.ofString());
                        answered.put(res.headers().firstValue("X-Request-Id").orElseThrow(), res.statusCode());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            log = AccessLogs.read(journal); // while the server runs: released only once written
        } finally {
            clients.shutdownNow();
        }
        assertEquals(CLIENTS * REQUESTS, answered.size(), "a request id per response");
        assertEquals(CLIENTS * REQUESTS, answered.values().stream().filter(s -> s == 200).count());
        for (Map.Entry<String, Integer> a : answered.entrySet()) {
            AccessRecord[] r = log.get(a.getKey());
            assertNotNull(r, "logged before its response arrived: " + a.getKey());
            assertEquals((int) a.getValue(), r[0].status());
        }
        Map<String, AccessRecord[]> logged = log;
        assertEquals(CLIENTS * REQUESTS * 2 / 3, answered.keySet().stream()
                .filter(id -> "lookup".equals(logged.get(id)[0].operation())).count());
    }
}
