package pk.gov.bisp.nser.server.update;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pk.gov.bisp.nser.cluster.DevKafka;
import pk.gov.bisp.nser.cluster.DevKafkaMain;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.cluster.Positions;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * Issue 29's online fold on a replica (issue 27): the generation a replica folds covers the update log's position it
 * had applied, the replica applies the log on after the swap, and once restarted it serves that generation (with the
 * checkpoint its shutdown wrote on it) and reads the log from there: only the update made while it was down is applied,
 * and both replicas answer alike. A real KRaft broker in this JVM, two replicas over loopback.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReplicaFoldTest {

    private static final String[] POWER = TestServer.key("power");

    private static long position(HttpResponse<String> r) {
        return Long.parseLong(r.headers().firstValue(Positions.POSITION).orElse("-1"));
    }

    /** The household of {@code cnic} on {@code s} once it has applied {@code min}. */
    private static JsonNode household(NserServer s, long cnic, long min) throws Exception {
        HttpResponse<String> r = TestServer.get(s, "/v1/households/by-cnic/" + Cnic.format(cnic), POWER[0], POWER[1],
                Positions.MIN_POSITION, Long.toString(min));
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    /** A new phone for the household of {@code cnic} through {@code s}; the answer's log position. */
    private static long update(NserServer s, long cnic, int n) throws Exception {
        long id = household(s, cnic, 0).get("household_id").asLong();
        HttpResponse<String> r = TestServer.send(s, "PATCH", "/v1/households/" + id + "/members",
                "{\"changes\":[{\"change\":\"contact\",\"phone\":\"9230033" + String.format("%05d", n) + "\"}]}",
                POWER[0], POWER[1], "Content-Type", "application/json");
        assertEquals(200, r.statusCode(), r.body());
        return position(r);
    }

    private static long applied(NserServer s) throws Exception {
        for (String line : TestServer.get(s, "/metrics").body().split("\n")) {
            if (line.startsWith("nser_updates_applied_total ")) {
                return Long.parseLong(line.substring("nser_updates_applied_total ".length()).trim());
            }
        }
        throw new AssertionError("no nser_updates_applied_total in /metrics");
    }

    @Test
    void aReplicaFoldsAtTheLogPositionItAppliedAndRestartsFromThere() throws Exception {
        DevKafkaMain.quiet();
        Path updates = Files.createTempDirectory("nser-f2-updates");
        Path agreements = Files.createTempDirectory("nser-f2-agreements");
        Path journal = Files.createTempDirectory("nser-f2-journal");
        List<Long> cnics = TestServer.headCnics(307, 43, 2);
        long a = cnics.get(0);
        long b = cnics.get(1);
        try (DevKafka kafka = DevKafka.start(Files.createTempDirectory("nser-fold-kafka"), 0, 1);
             NserServer r1 = TestServer.start(TestServer.demoConfig().withCluster(kafka.bootstrap(), "f1"))) {
            ServerConfig c2 = TestServer.demoConfig().withCluster(kafka.bootstrap(), "f2").withUpdatesDir(updates)
                    .withAgreementsDir(agreements).withJournalDir(journal);
            long last = 0;
            NserServer r2 = TestServer.start(c2);
            try {
                for (int i = 1; i <= 4; i++) {
                    last = update(r1, a, i);
                }
                household(r2, a, last);
                JsonNode fold = FoldTest.fold(r2);
                assertEquals("done", fold.get("state").asText(), fold.toString());
                assertEquals(last, fold.get("position").asLong(), "the generation covers the log through " + last);
                assertEquals(1, fold.get("folded").asInt(), fold.toString());
                for (int i = 1; i <= 2; i++) { // applied by replica 2 on its new generation
                    last = update(r1, b, 10 + i);
                }
                assertEquals(household(r1, b, last), household(r2, b, last));
            } finally {
                r2.close();
            }
            last = update(r1, b, 20); // while replica 2 is down
            r2 = TestServer.start(c2);
            try {
                for (long cnic : cnics) {
                    assertEquals(household(r1, cnic, last), household(r2, cnic, last), "the same on both replicas");
                }
                assertEquals("9230033" + String.format("%05d", 4), household(r2, a, last).path("contact_phone")
                        .asText(), "the folded update is in the generation");
                assertEquals(1, applied(r2), "restarted from the generation and the shutdown checkpoint on it: only the "
                        + "update made while it was down applied, none from the log's origin");
            } finally {
                r2.close();
            }
        }
    }
}
