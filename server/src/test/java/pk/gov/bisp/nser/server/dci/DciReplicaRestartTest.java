package pk.gov.bisp.nser.server.dci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.cluster.DevKafka;
import pk.gov.bisp.nser.cluster.DevKafkaMain;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.cluster.Positions;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * A replica applies again, after a restart, the update log from its checkpoint: here from the origin, its checkpoint
 * gone (as after a kill -9 before it was written). The re-survey of a household Bait-ul-Mal enrols, applied again, is
 * journaled once as a DCI change (so notified once) and is once in the partner's change feed, as before the restart.
 * A real KRaft broker in this JVM, one replica.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DciReplicaRestartTest {

    private static final String PARTNER = "demo-partner-key";

    @TempDir
    Path tmp;

    private ServerConfig config(DevKafka kafka, CallbackReceiver receiver) throws IOException {
        String yaml = receiver.demoYaml();
        assertTrue(yaml.contains(receiver.origin()));
        return TestServer.config(yaml).withCluster(kafka.bootstrap(), "r1")
                .withUpdatesDir(Files.createDirectories(tmp.resolve("updates")))
                .withExchangeDir(Files.createDirectories(tmp.resolve("exchange")))
                .withAgreementsDir(Files.createDirectories(tmp.resolve("agreements")))
                .withJournalDir(Files.createDirectories(tmp.resolve("journal")))
                .withFeedbackDir(Files.createDirectories(tmp.resolve("feedback")));
    }

    /** A poor household (score under 15), and a re-survey of it that makes it rich. */
    private static Object[] poorAndRichResurvey() throws Exception {
        try (Snapshot snap = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            for (int o = 500; o < snap.householdCount(); o += 13) {
                if (snap.read(o, r) && r.pmtHundredths() < 1_500) {
                    return new Object[] {r.householdId(), pk.gov.bisp.nser.server.Resurveys.rich(r, snap)};
                }
            }
        }
        throw new AssertionError("no poor household");
    }

    private static HttpResponse<String> send(NserServer s, String method, String path, String body, String key)
            throws Exception {
        return TestServer.send(s, method, path, body, "Content-Type", "application/json", "Authorization",
                "Bearer " + key);
    }

    /** The partner's feed entries of {@code event} for household {@code id}, once {@code s} has applied {@code min}. */
    private static int feed(NserServer s, long id, String event, long min) throws Exception {
        HttpResponse<String> r = TestServer.get(s, "/v1/exchange/enrolments?since=0&limit=1000", "Authorization",
                "Bearer " + PARTNER, Positions.MIN_POSITION, Long.toString(min));
        assertEquals(200, r.statusCode(), r.body());
        int n = 0;
        for (JsonNode e : TestServer.json(r).path("enrolments")) {
            n += e.path("household_id").asLong() == id && e.path("event").asText().equals(event) ? 1 : 0;
        }
        return n;
    }

    /** The DCI journal's change records of update log position {@code position}. */
    private static int dciChanges(Path updates, long position) throws IOException {
        int[] n = {0};
        JournalReader.read(Subscriptions.dir(updates), (seq, kind, data, off, len) -> {
            try {
                if (kind == Subscriptions.CHANGE
                        && TestServer.JSON.readTree(data, off, len).path("update").asLong() == position) {
                    n[0]++;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return n[0];
    }

    @Test
    void anUpdateTheLogAppliesAgainIsNotifiedAndInTheFeedOnce() throws Exception {
        DevKafkaMain.quiet();
        Object[] poor = poorAndRichResurvey();
        long id = (Long) poor[0];
        try (DevKafka kafka = DevKafka.start(Files.createTempDirectory("nser-dci-replica-kafka"), 0, 1);
             CallbackReceiver receiver = CallbackReceiver.start()) {
            ServerConfig cfg = config(kafka, receiver);
            long resurveyed;
            try (NserServer r1 = TestServer.start(cfg)) {
                HttpResponse<String> enrolled = send(r1, "POST", "/v1/exchange/enrolments", "{\"enrolments\": "
                        + "[{\"household_id\": " + id + ", \"programme\": \"pbm\", \"status\": \"enrolled\", "
                        + "\"date\": \"2026-11-01\"}]}", PARTNER);
                assertEquals(201, enrolled.statusCode(), enrolled.body());
                ArrayNode filter = DciSyncSearchTest.M.createArrayNode();
                filter.addObject().put("seq_num", 1).set("expression1",
                        DciSyncSearchTest.predicate("programme", "eq", "pbm"));
                int before = receiver.size();
                HttpResponse<String> ack = send(r1, "POST", "/registry/subscribe", DciSubscribeTest.subscribe(
                        receiver.origin(), "p1", "REGISTER", "predicate", filter, "Group").toString(), PARTNER);
                assertEquals(202, ack.statusCode(), ack.body());
                String[] on = receiver.await(before, "/registry/on-subscribe");
                assertTrue(on[1].contains("\"status\":\"succ\""), on[1]);
                HttpResponse<String> u = send(r1, "PUT", "/v1/households/" + id + "/survey", (String) poor[1],
                        "demo-power-key");
                assertEquals(200, u.statusCode(), u.body());
                resurveyed = Long.parseLong(u.headers().firstValue(Positions.POSITION).orElseThrow());
                receiver.await(before, "/registry/notify");
                assertEquals(1, feed(r1, id, "registry_change", resurveyed));
            }
            assertEquals(1, dciChanges(tmp.resolve("updates"), resurveyed));
            try (Stream<Path> files = Files.list(tmp.resolve("updates"))) { // as if killed before its checkpoint
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith("checkpoint-")).toList()) {
                    Files.delete(f);
                }
            }
            try (NserServer r1 = TestServer.start(cfg)) {
                feed(r1, id, "registry_change", resurveyed); // once it has applied the log again through the survey
                HttpResponse<String> metrics = TestServer.get(r1, "/metrics");
                assertTrue(metrics.body().lines().anyMatch(l -> l.startsWith("nser_updates_applied_total ")
                        && !l.endsWith(" 0")), "the re-survey was applied again: " + metrics.body());
            } // closed: whatever it journaled is written
            assertEquals(1, dciChanges(tmp.resolve("updates"), resurveyed), "not again a DCI change");
            try (NserServer r1 = TestServer.start(cfg)) { // from its new checkpoint: the feed as journaled
                assertEquals(1, feed(r1, id, "registry_change", resurveyed), "not again in the feed");
            }
        }
    }
}
