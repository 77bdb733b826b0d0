package pk.gov.bisp.nser.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pk.gov.bisp.nser.cluster.DevKafka;
import pk.gov.bisp.nser.cluster.DevKafkaMain;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * Issue 27: a replica's checkpoint records the update log position it covers, and a restarted replica reads the
 * log from there, not from the snapshot's origin: it applies only the records after it, and its state is the other
 * replica's. A real KRaft broker in this JVM, two replicas over loopback.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReplicaCheckpointTest {

    private static final String[] POWER = TestServer.key("power");
    private static final String[] ADMIN = TestServer.key("admin");
    private static DevKafka kafka;
    private static NserServer r1;
    private static NserServer r2;
    private static Path r2Updates;
    private static Path r2Agreements;
    /** Kept across r2's restarts: its access journal's records are on the access topic under its node id. */
    private static Path r2Journal;

    @BeforeAll
    static void start() throws Exception {
        DevKafkaMain.quiet();
        kafka = DevKafka.start(Files.createTempDirectory("nser-checkpoint-kafka"), 0, 1);
        r1 = TestServer.start(TestServer.demoConfig().withCluster(kafka.bootstrap(), "r1"));
        r2Updates = Files.createTempDirectory("nser-r2-updates");
        r2Agreements = Files.createTempDirectory("nser-r2-agreements");
        r2Journal = Files.createTempDirectory("nser-r2-journal");
        r2 = TestServer.start(r2Config());
    }

    private static ServerConfig r2Config() throws Exception {
        return TestServer.demoConfig().withCluster(kafka.bootstrap(), "r2").withUpdatesDir(r2Updates)
                .withAgreementsDir(r2Agreements).withJournalDir(r2Journal);
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

    private static long position(HttpResponse<String> r) {
        return Long.parseLong(r.headers().firstValue(Positions.POSITION).orElse("-1"));
    }

    /** The household of {@code cnic} on {@code s} once it has applied {@code min}. */
    private static HttpResponse<String> household(NserServer s, long cnic, long min) throws Exception {
        HttpResponse<String> r = TestServer.get(s, "/v1/households/by-cnic/" + Cnic.format(cnic), POWER[0], POWER[1],
                Positions.MIN_POSITION, Long.toString(min));
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }

    /** A new phone for the household of {@code cnic} through {@code s}; the answer's log position. */
    private static long update(NserServer s, long cnic, int n) throws Exception {
        long id = TestServer.json(household(s, cnic, 0)).get("household_id").asLong();
        HttpResponse<String> r = TestServer.send(s, "PATCH", "/v1/households/" + id + "/members",
                "{\"changes\":[{\"change\":\"contact\",\"phone\":\"9230022" + String.format("%05d", n) + "\"}]}",
                POWER[0], POWER[1], "Content-Type", "application/json");
        assertEquals(200, r.statusCode(), r.body());
        return position(r);
    }

    /** A counter or gauge of {@code /metrics}. */
    private static long metric(NserServer s, String name) throws Exception {
        for (String line : TestServer.get(s, "/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + name + " in /metrics");
    }

    @Test
    void aRestartedReplicaReadsTheLogFromItsCheckpointAndAppliesOnlyWhatFollows() throws Exception {
        List<Long> cnics = TestServer.headCnics(211, 41, 2);
        long a = cnics.get(0);
        long b = cnics.get(1);
        long last = 0;
        for (int i = 1; i <= 5; i++) {
            last = update(r1, a, i);
        }
        HttpResponse<String> suspend = TestServer.send(r1, "POST", "/admin/agreements/DSA-2026-003/suspend",
                "{\"reason\": \"before the checkpoint\"}", ADMIN[0], ADMIN[1], "Content-Type", "application/json");
        assertEquals(200, suspend.statusCode(), suspend.body());
        last = Math.max(last, position(suspend));
        household(r2, a, last);
        assertEquals(5, metric(r2, "nser_updates_applied_total"), "replica 2 applied the five updates");

        HttpResponse<String> cp = TestServer.send(r2, "POST", "/admin/checkpoint", null, ADMIN[0], ADMIN[1]);
        assertEquals(200, cp.statusCode(), cp.body());
        JsonNode written = TestServer.json(cp);
        assertEquals(last, written.get("sequence").asLong(), "the checkpoint covers the log through " + last);
        assertEquals(1, written.get("households").asInt(), cp.body());

        r2.close();
        r2 = null;
        for (int i = 1; i <= 3; i++) { // while replica 2 is down
            last = update(r1, b, 10 + i);
        }
        r2 = TestServer.start(r2Config());
        for (long cnic : cnics) {
            HttpResponse<String> on1 = household(r1, cnic, last);
            HttpResponse<String> on2 = household(r2, cnic, last);
            assertEquals(TestServer.json(on1), TestServer.json(on2), "the same household on both replicas");
            assertEquals(on1.headers().firstValue("ETag"), on2.headers().firstValue("ETag"));
        }
        assertEquals("9230022" + String.format("%05d", 5), TestServer.json(household(r2, a, last))
                .path("contact_phone").asText());
        assertEquals(3, metric(r2, "nser_updates_applied_total"),
                "restarted, replica 2 applied only the three updates after its checkpoint");
        assertTrue(metric(r2, "nser_update_log_position") >= last);
        assertEquals(3, metric(r2, "nser_update_log_apply_lag_seconds_count"), "the replication lag of those three");
        HttpResponse<String> basic = TestServer.get(r2, "/v1/households/by-cnic/" + Cnic.format(a),
                TestServer.key("basic")[0], TestServer.key("basic")[1], Positions.MIN_POSITION, Long.toString(last));
        TestServer.expectProblem(basic, 403, "agreement-suspended");
        assertEquals(r1.agreements().changes(), r2.agreements().changes(), "the suspension kept, once");
    }
}
