package pk.gov.bisp.nser.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.cluster.DevKafka;
import pk.gov.bisp.nser.cluster.DevKafkaMain;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

/**
 * Issue 27: the update log on three brokers (each a KRaft controller too; the topic on three replicas, two in
 * sync required). With one broker gone, updates go on. With every broker gone, updates are 503 with
 * {@code Retry-After} and reads go on; once the brokers return on their ports and directories, updates resume and
 * every acknowledged one is there, once, on both replicas.
 */
class ThreeBrokersTest {

    private static final String[] POWER = TestServer.key("power");

    private static HttpResponse<String> update(NserServer s, long id, String phone) throws Exception {
        return TestServer.send(s, "PATCH", "/v1/households/" + id + "/members", "{\"changes\":[{\"change\":"
                + "\"contact\",\"phone\":\"" + phone + "\"}]}", POWER[0], POWER[1], "Content-Type",
                "application/json");
    }

    @Test
    void updatesGoOnWithOneBrokerOfThreeGone() throws Exception {
        DevKafkaMain.quiet();
        try (DevKafka kafka = DevKafka.start(Files.createTempDirectory("nser-three-brokers"), 0, 3)) {
            NserServer r = TestServer.start(TestServer.demoConfig().withCluster(kafka.bootstrap(), "r1"));
            try {
                long cnic = TestServer.headCnics(2_003, 1, 1).get(0);
                String path = "/v1/households/by-cnic/" + Cnic.format(cnic);
                long id = TestServer.json(TestServer.get(r, path, POWER)).get("household_id").asLong();
                assertEquals(200, update(r, id, "923001300001").statusCode());
                kafka.stopNode(3);
                HttpResponse<String> oneGone = update(r, id, "923001300002");
                assertEquals(200, oneGone.statusCode(), oneGone.body());
                HttpResponse<String> read = TestServer.get(r, path, POWER);
                assertEquals(200, read.statusCode(), read.body());
                assertEquals("923001300002", TestServer.json(read).path("contact_phone").asText());
            } finally {
                r.close();
            }
        }
    }

    private static HttpResponse<String> update(NserServer s, long id, String phone, String key) throws Exception {
        return TestServer.send(s, "PATCH", "/v1/households/" + id + "/members", "{\"changes\":[{\"change\":"
                + "\"contact\",\"phone\":\"" + phone + "\"}]}", POWER[0], POWER[1], "Content-Type",
                "application/json", "Idempotency-Key", key);
    }

    private static long position(HttpResponse<String> r) {
        return Long.parseLong(r.headers().firstValue(Positions.POSITION).orElse("-1"));
    }

    private static int version(HttpResponse<String> r) {
        return Integer.parseInt(r.headers().firstValue("ETag").orElseThrow().replace("\"", ""));
    }

    /** A first port of {@code n} consecutive free loopback ports (the brokers return on the same ones). */
    private static int freePorts(int n) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            boolean free = true;
            for (int i = 0; i < n && free; i++) {
                try (ServerSocket s = new ServerSocket(first + i, 1, InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IOException("no " + n + " consecutive free ports");
    }

    /**
     * Two replicas on three brokers; every broker stops. Updates through either replica are 503 with
     * {@code Retry-After}; reads on both go on with the last applied state. The brokers return on the same ports and
     * directories: updates resume (a client retries with its Idempotency-Key until acknowledged), and each household
     * has exactly its acknowledged updates on both replicas: none lost, none twice, none of the refused ones.
     */
    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void withEveryBrokerGoneUpdatesAre503AndReadsGoOnThenUpdatesResumeWithNothingLost() throws Exception {
        DevKafkaMain.quiet();
        Path dir = Files.createTempDirectory("nser-brokers-return");
        int port = freePorts(3);
        DevKafka kafka = DevKafka.start(dir, port, 3);
        NserServer r1 = null;
        NserServer r2 = null;
        try {
            r1 = TestServer.start(TestServer.demoConfig().withCluster(kafka.bootstrap(), "r1"));
            r2 = TestServer.start(TestServer.demoConfig().withCluster(kafka.bootstrap(), "r2"));
            NserServer[] both = {r1, r2};
            long cnic = TestServer.headCnics(3_007, 1, 1).get(0);
            String path = "/v1/households/by-cnic/" + Cnic.format(cnic);
            HttpResponse<String> first = TestServer.get(r1, path, POWER);
            long id = TestServer.json(first).get("household_id").asLong();
            int acknowledged = 0;
            long last = 0;
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> ok = update(both[i % 2], id, "92300140000" + i, "before-" + i);
                assertEquals(200, ok.statusCode(), ok.body());
                acknowledged++;
                last = Math.max(last, position(ok));
            }
            HttpResponse<String> before = TestServer.get(r2, path, POWER[0], POWER[1], Positions.MIN_POSITION,
                    Long.toString(last));
            assertEquals(200, before.statusCode(), before.body());

            kafka.close(); // every broker gone
            kafka = null;
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> refused = update(both[i], id, "92300150000" + i, "refused-" + i);
                assertEquals(503, refused.statusCode(), refused.body());
                assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
                assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
                HttpResponse<String> read = TestServer.get(both[i], path, POWER);
                assertEquals(200, read.statusCode(), read.body());
                assertEquals(TestServer.json(before), TestServer.json(read), "the last applied state");
            }

            kafka = DevKafka.start(dir, port, 3); // the same brokers return
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> r = update(both[i % 2], id, "92300160000" + i, "after-" + i);
                for (int retry = 0; r.statusCode() != 200 && retry < 60; retry++) { // while the brokers settle
                    assertEquals(503, r.statusCode(), r.body());
                    Thread.sleep(500);
                    r = update(both[i % 2], id, "92300160000" + i, "after-" + i);
                }
                assertEquals(200, r.statusCode(), r.body());
                acknowledged++;
                last = Math.max(last, position(r));
            }
            HttpResponse<String> on1 = TestServer.get(r1, path, POWER[0], POWER[1], Positions.MIN_POSITION,
                    Long.toString(last));
            HttpResponse<String> on2 = TestServer.get(r2, path, POWER[0], POWER[1], Positions.MIN_POSITION,
                    Long.toString(last));
            assertEquals(200, on1.statusCode(), on1.body());
            assertEquals(200, on2.statusCode(), on2.body());
            assertEquals(version(first) + acknowledged, version(on1), "every acknowledged update once, no other");
            assertEquals(TestServer.json(on1), TestServer.json(on2), "the same household on both replicas");
            assertEquals("923001600003", TestServer.json(on2).path("contact_phone").asText());
            assertTrue(position(on2) >= last);
        } finally {
            for (AutoCloseable c : new AutoCloseable[] {r1, r2, kafka}) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        // the next closes anyway
                    }
                }
            }
        }
    }
}
