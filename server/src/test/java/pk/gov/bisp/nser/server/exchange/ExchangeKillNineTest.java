package pk.gov.bisp.nser.server.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.Households;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.ServerProcess;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * A demo server in its own JVM takes enrolment batches from three clients (each with an Idempotency-Key) and is killed
 * with SIGKILL mid-stream. After a restart over the same journal every acknowledged enrolment is in the change feed
 * exactly once, the {@code programme=pbm} count equals the households the feed enrols, the feed reads the same from
 * any position, and a retry of an acknowledged key is answered from the journal, not applied again.
 */
class ExchangeKillNineTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int CLIENTS = 3;
    private static final int BATCH = 5;
    private static final int KILL_AFTER = 40;

    private static HttpResponse<String> post(ServerProcess p, String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(p.base.resolve("/v1/exchange/enrolments"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Authorization", "Bearer demo-partner-key")
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String batch(Households hh, int client, int n) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            int o = 1 + ((n * BATCH + i) * CLIENTS + client) % (hh.size - 1);
            items.add(Partners.enrolment(Partners.byId(hh.ids[o]), "pbm", "enrolled", "2026-11-01"));
        }
        return Partners.enrolments(items.toArray(String[]::new));
    }

    @Test
    void everyAcknowledgedEnrolmentSurvivesKillNineOnce() throws Exception {
        Households hh = Households.load();
        ServerProcess p = ServerProcess.start(HTTP);
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger acks = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(KILL_AFTER);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                for (int n = 0; n < 100_000; n++) {
                    try {
                        String body = batch(hh, client, n);
                        HttpResponse<String> r = post(p, "c" + client + "-" + n, body);
                        if (r.statusCode() != 201) {
                            return;
                        }
                        for (JsonNode e : TestServer.JSON.readTree(body).get("enrolments")) {
                            acknowledged.add(e.get("household_id").asLong());
                        }
                        acks.incrementAndGet();
                        enough.countDown();
                    } catch (Exception e) {
                        return; // killed
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        enough.await();
        p.kill();
        for (Thread t : clients) {
            t.join();
        }
        assertTrue(acks.get() >= KILL_AFTER);
        ServerConfig cfg = TestServer.demoConfig();
        cfg = cfg.withExchangeDir(NserServer.exchangeDir(cfg, p.snapshot));
        try (NserServer s = TestServer.start(cfg, p.snapshot)) {
            Set<Long> fed = new HashSet<>();
            long since = 0;
            int entries = 0;
            while (true) {
                HttpResponse<String> r = Partners.get(s, "demo-partner-key",
                        "/v1/exchange/enrolments?since=" + since + "&limit=7");
                assertEquals(200, r.statusCode(), r.body());
                JsonNode j = TestServer.json(r);
                for (JsonNode e : j.get("enrolments")) {
                    assertTrue(e.get("position").asLong() > since);
                    assertTrue(fed.add(e.get("household_id").asLong()), "each household once: " + e);
                    assertTrue(e.get("registry").get("pmt_band").asText().matches("\\d+-\\d+"), e.toString());
                    entries++;
                }
                if (j.get("next_position").asLong() == since) {
                    break;
                }
                since = j.get("next_position").asLong();
            }
            assertTrue(fed.containsAll(acknowledged), "every acknowledged enrolment is in the feed");
            assertEquals(fed.size(), entries);
            HttpResponse<String> count = Partners.get(s, "demo-partner-key", "/v1/households/count?programme=pbm");
            assertEquals(fed.size(), TestServer.json(count).get("count").asInt(), count.body());
            HttpResponse<String> retry = Partners.post(s, "demo-partner-key", "/v1/exchange/enrolments",
                    batch(hh, 0, 0), "Idempotency-Key", "c0-0");
            assertEquals(201, retry.statusCode(), retry.body());
            assertEquals("true", retry.headers().firstValue("Idempotency-Replayed").orElse(""));
            assertEquals(entries, TestServer.json(Partners.get(s, "demo-partner-key",
                    "/v1/exchange/enrolments?since=0&limit=10000")).get("enrolments").size(), "not applied again");
        }
    }
}
