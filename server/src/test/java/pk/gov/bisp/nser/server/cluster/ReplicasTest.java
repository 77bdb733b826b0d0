package pk.gov.bisp.nser.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import pk.gov.bisp.nser.cluster.DevKafka;
import pk.gov.bisp.nser.cluster.DevKafkaMain;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.http.IdempotencyKey;

/**
 * Issue 27: two replicas on one real Kafka broker (KRaft, in this JVM, loopback, free ports), each over its own
 * copy of nothing but the shared snapshot: an update through either is applied by both, in the log's one order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasTest {

    private static final String[] POWER = TestServer.key("power");
    private static DevKafka kafka;
    private static NserServer r1;
    private static NserServer r2;
    private static List<Long> cnics;

    @BeforeAll
    static void start() throws Exception {
        DevKafkaMain.quiet();
        Path dir = Files.createTempDirectory("nser-replicas-kafka");
        kafka = DevKafka.start(dir, 0, 1);
        r1 = TestServer.start(TestServer.demoConfig().withCluster(kafka.bootstrap(), "r1"));
        r2 = TestServer.start(TestServer.demoConfig().withCluster(kafka.bootstrap(), "r2"));
        cnics = TestServer.headCnics(101, 37, 3);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {r1, r2, kafka}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the next closes anyway
            }
        }
    }

    private static String[] with(String... headers) {
        String[] out = new String[POWER.length + headers.length + 2];
        System.arraycopy(POWER, 0, out, 0, POWER.length);
        System.arraycopy(headers, 0, out, POWER.length, headers.length);
        out[out.length - 2] = "Content-Type";
        out[out.length - 1] = "application/json";
        return out;
    }

    private static HttpResponse<String> patch(NserServer s, long id, String body, String... headers)
            throws Exception {
        return TestServer.send(s, "PATCH", "/v1/households/" + id + "/members", body, with(headers));
    }

    /** The household of {@code cnic} on {@code s}, once {@code s} has applied {@code position}. */
    private static HttpResponse<String> lookup(NserServer s, long cnic, long position) throws Exception {
        HttpResponse<String> r = TestServer.get(s, "/v1/households/by-cnic/" + Cnic.format(cnic), with(
                Positions.MIN_POSITION, Long.toString(position)));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(position(r) >= position, "answered before applying " + position + ": " + position(r));
        return r;
    }

    private static long position(HttpResponse<String> r) {
        return Long.parseLong(r.headers().firstValue(Positions.POSITION).orElse("-1"));
    }

    private static int version(HttpResponse<String> r) {
        return Integer.parseInt(r.headers().firstValue("ETag").orElseThrow().replace("\"", ""));
    }

    private static String phone(int n) {
        return "9230011" + String.format("%05d", n);
    }

    @Test
    @Order(1)
    void anUpdateThroughOneReplicaIsAnsweredAndReadAlikeOnTheOther() throws Exception {
        long cnic = cnics.get(0);
        HttpResponse<String> before = lookup(r1, cnic, 0);
        long id = TestServer.json(before).get("household_id").asLong();
        String etag = before.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> ok = patch(r1, id, "{\"changes\":[{\"change\":\"contact\",\"phone\":\"" + phone(1)
                + "\"}]}", "If-Match", etag);
        assertEquals(200, ok.statusCode(), ok.body());
        long at = position(ok);
        assertTrue(at >= 1, "an applied update has a log position: " + at);

        HttpResponse<String> on1 = lookup(r1, cnic, at);
        HttpResponse<String> on2 = lookup(r2, cnic, at);
        JsonNode h1 = TestServer.json(on1);
        assertEquals(phone(1), h1.path("contact_phone").asText(), on1.body());
        assertEquals(h1, TestServer.json(on2), "the same household on both replicas");
        assertEquals(ok.headers().firstValue("ETag"), on2.headers().firstValue("ETag"));
        assertEquals(version(before) + 1, version(on2));

        // the replica is ready, and says how far it has applied the log; /metrics says it too
        HttpResponse<String> ready = TestServer.get(r2, "/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        JsonNode h = TestServer.json(ready);
        assertTrue(h.get("update_log_position").asLong() >= at, ready.body());
        assertTrue(h.get("update_log_lag").asLong() >= 0 && h.get("update_log_lag").asLong() <= 1_000, ready.body());
        assertEquals(1_000, h.get("max_ready_lag").asLong());
        String metrics = TestServer.get(r2, "/metrics").body();
        assertTrue(metrics.contains("\nnser_update_log_position "), metrics);
        assertTrue(metrics.contains("\nnser_update_log_lag "), metrics);
    }

    @Test
    @Order(2)
    void twoUpdatesWithTheSameIfMatchThroughTwoReplicasApplyOnce() throws Exception {
        long cnic = cnics.get(1);
        HttpResponse<String> before = lookup(r2, cnic, 0);
        long id = TestServer.json(before).get("household_id").asLong();
        String etag = before.headers().firstValue("ETag").orElseThrow();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        NserServer[] via = {r1, r2};
        for (int i = 0; i < 2; i++) {
            NserServer s = via[i];
            String body = "{\"changes\":[{\"change\":\"contact\",\"phone\":\"" + phone(100 + i) + "\"}]}";
            sent.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return patch(s, id, body, "If-Match", etag);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        long last = 0;
        int winner = -1;
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = sent.get(i).get(60, TimeUnit.SECONDS);
            statuses.add(r.statusCode());
            last = Math.max(last, position(r));
            if (r.statusCode() == 200) {
                winner = i;
            } else {
                assertEquals(412, r.statusCode(), r.body());
                assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
            }
        }
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), "statuses: " + statuses);
        assertEquals(1, statuses.stream().filter(s -> s == 412).count(), "statuses: " + statuses);
        HttpResponse<String> after = lookup(r1, cnic, last);
        JsonNode on1 = TestServer.json(after);
        JsonNode on2 = TestServer.json(lookup(r2, cnic, last));
        assertEquals(on1, on2);
        assertEquals(phone(100 + winner), on1.path("contact_phone").asText(), "the winner's change");
        assertEquals(version(before) + 1, version(after), "applied once");
    }

    @Test
    @Order(3)
    void anIdempotencyKeyRetriedThroughTheOtherReplicaAppliesOnce() throws Exception {
        long cnic = cnics.get(2);
        long id = TestServer.json(lookup(r1, cnic, 0)).get("household_id").asLong();
        String change = "{\"changes\":[{\"change\":\"contact\",\"phone\":\"" + phone(200) + "\"}]}";
        HttpResponse<String> first = patch(r1, id, change, "Idempotency-Key", "replica-retry-" + id);
        assertEquals(200, first.statusCode(), first.body());
        HttpResponse<String> again = patch(r2, id, change, "Idempotency-Key", "replica-retry-" + id);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("true", again.headers().firstValue(IdempotencyKey.REPLAYED).orElse(""));
        assertEquals(first.body(), again.body());
        long last = Math.max(position(first), position(again));
        HttpResponse<String> after = lookup(r1, cnic, last);
        JsonNode on1 = TestServer.json(after);
        assertEquals(on1, TestServer.json(lookup(r2, cnic, last)));
        assertEquals(version(first), version(after), "applied once: the version the first answer gave");
        assertEquals(phone(200), on1.path("contact_phone").asText());
    }

    /**
     * A replica in a process of its own is killed with SIGKILL while four clients update through it and through
     * the other; a failed or refused update is retried through the other replica with the same Idempotency-Key
     * until acknowledged. Restarted, the killed replica catches up from the log; on both, every household has
     * exactly its acknowledged updates (its version counts them: none missing, none twice) and the same content.
     */
    @Test
    @Order(4)
    void aReplicaKilledUnderUpdatesCatchesUpAndNothingIsLostOrAppliedTwice() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        // restarted with its own access journal: the access topic holds what it shipped under its node id (issue 28)
        String[] args = {"--kafka", kafka.bootstrap(), "--node-id", "r3", "--journal",
                Files.createTempDirectory("nser-r3-journal").toString()};
        pk.gov.bisp.nser.server.ServerProcess r3 = pk.gov.bisp.nser.server.ServerProcess.start(http, args);
        int clients = 4;
        int each = 25;
        List<Long> households = TestServer.headCnics(1_001, 53, clients);
        long[] ids = new long[clients];
        int[] versions = new int[clients];
        for (int c = 0; c < clients; c++) {
            HttpResponse<String> h = lookup(r1, households.get(c), 0);
            ids[c] = TestServer.json(h).get("household_id").asLong();
            versions[c] = version(h);
        }
        java.util.concurrent.atomic.AtomicInteger acknowledged = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            done.add(CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 1; i <= each; i++) {
                        String body = "{\"changes\":[{\"change\":\"contact\",\"phone\":\"" + phone(client * 100 + i)
                                + "\"}]}";
                        String key = "kill-" + client + "-" + i;
                        HttpResponse<String> r = null;
                        if (client % 2 == 1) { // through the replica that is killed
                            try {
                                r = send(http, r3, ids[client], body, key);
                            } catch (java.io.IOException killed) {
                                r = null;
                            }
                        }
                        while (r == null || r.statusCode() != 200) { // then through the one that stays
                            r = patch(r1, ids[client], body, "Idempotency-Key", key);
                            if (r.statusCode() != 200) {
                                assertEquals(503, r.statusCode(), r.body());
                                Thread.sleep(100);
                            }
                        }
                        last.accumulateAndGet(position(r), Math::max);
                        acknowledged.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        while (acknowledged.get() < clients * each / 3) {
            Thread.sleep(10);
        }
        r3.kill();
        for (CompletableFuture<Void> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        assertEquals(clients * each, acknowledged.get());
        pk.gov.bisp.nser.server.ServerProcess again = pk.gov.bisp.nser.server.ServerProcess.start(http, args);
        try {
            for (int c = 0; c < clients; c++) {
                HttpResponse<String> on1 = lookup(r1, households.get(c), last.get());
                HttpResponse<String> on3 = http.send(java.net.http.HttpRequest.newBuilder(again.base.resolve(
                        "/v1/households/by-cnic/" + Cnic.format(households.get(c))))
                        .header(POWER[0], POWER[1]).header(Positions.MIN_POSITION, Long.toString(last.get()))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, on3.statusCode(), on3.body());
                assertEquals(versions[c] + each, version(on1), "household " + c + ": each acknowledged update once");
                assertEquals(version(on1), version(on3));
                assertEquals(phone(c * 100 + each), TestServer.json(on1).path("contact_phone").asText());
                assertEquals(TestServer.json(on1), TestServer.json(on3), "household " + c + " alike on both");
            }
        } finally {
            again.kill();
        }
    }

    private static HttpResponse<String> send(java.net.http.HttpClient http, pk.gov.bisp.nser.server.ServerProcess s,
                                             long id, String body, String key) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(s.base.resolve("/v1/households/" + id + "/members"))
                .header(POWER[0], POWER[1]).header("Content-Type", "application/json").header("Idempotency-Key", key)
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Three replicas: a third joins (from its snapshot's origin), an update through each of the three in turn, each
     * made on the version the previous one left; then every replica has the same household, and the same query gives
     * the same count and the same rows on all three.
     */
    @Test
    @Order(5)
    void threeReplicasAgreeOnEveryUpdateAndOnTheSameQuery() throws Exception {
        try (NserServer r3 = TestServer.start(TestServer.demoConfig().withCluster(kafka.bootstrap(), "r3-in-jvm"))) {
            long cnic = cnics.get(2);
            NserServer[] all = {r1, r2, r3};
            HttpResponse<String> last = lookup(r1, cnic, 0);
            long id = TestServer.json(last).get("household_id").asLong();
            long at = position(last);
            for (int i = 0; i < all.length; i++) {
                HttpResponse<String> current = lookup(all[i], cnic, at); // the previous update, seen here first
                HttpResponse<String> ok = patch(all[i], id, "{\"changes\":[{\"change\":\"contact\",\"phone\":\""
                        + phone(500 + i) + "\"}]}", "If-Match", current.headers().firstValue("ETag").orElseThrow());
                assertEquals(200, ok.statusCode(), ok.body());
                assertTrue(position(ok) > at, "each update further along the log: " + position(ok) + " after " + at);
                at = position(ok);
            }
            JsonNode household = TestServer.json(lookup(r1, cnic, at));
            assertEquals(phone(502), household.path("contact_phone").asText(), "the last of the three updates");
            String count = "/v1/households/count?pmt_max=60";
            String page = "/v1/households?pmt_max=60&limit=50";
            String c1 = null;
            JsonNode p1 = null; // the rows; each replica seals its own next_cursor
            for (NserServer s : all) {
                assertEquals(household, TestServer.json(lookup(s, cnic, at)), "the same household on every replica");
                HttpResponse<String> c = TestServer.get(s, count, with(Positions.MIN_POSITION, Long.toString(at)));
                HttpResponse<String> p = TestServer.get(s, page, with(Positions.MIN_POSITION, Long.toString(at)));
                assertEquals(200, c.statusCode(), c.body());
                assertEquals(200, p.statusCode(), p.body());
                assertTrue(TestServer.json(c).path("count").asLong() > 0, c.body());
                assertEquals(50, TestServer.json(p).get("items").size(), "a full page");
                if (c1 == null) {
                    c1 = c.body();
                    p1 = TestServer.json(p).get("items");
                } else {
                    assertEquals(c1, c.body(), "the same count on every replica");
                    assertEquals(p1, TestServer.json(p).get("items"), "the same rows on every replica");
                }
            }
        }
    }

    /** Last: the broker goes. Updates are refused with 503 and Retry-After; reads go on from the applied state. */
    @Test
    @Order(99)
    void withoutTheLogUpdatesAre503AndReadsGoOn() throws Exception {
        long cnic = cnics.get(0);
        HttpResponse<String> before = lookup(r1, cnic, 0);
        long id = TestServer.json(before).get("household_id").asLong();
        kafka.close();
        kafka = null;
        HttpResponse<String> refused = patch(r1, id, "{\"changes\":[{\"change\":\"contact\",\"phone\":\""
                + phone(300) + "\"}]}");
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        assertTrue(refused.body().contains("could not take the update"), refused.body());
        for (NserServer s : new NserServer[] {r1, r2}) {
            HttpResponse<String> read = TestServer.get(s, "/v1/households/by-cnic/" + Cnic.format(cnic), POWER);
            assertEquals(200, read.statusCode(), read.body());
            assertEquals(TestServer.json(before), TestServer.json(read), "the last applied state");
        }
    }
}
