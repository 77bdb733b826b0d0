package pk.gov.bisp.nser.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pk.gov.bisp.nser.cluster.DevKafka;
import pk.gov.bisp.nser.cluster.DevKafkaMain;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.Purchases;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * Issue 27: purchase feedback on the replicated log. A batch posted through one replica is summarised alike on
 * every replica; a till's retry with the same Idempotency-Key through the other replica is answered again and
 * counted once; a restarted replica has every batch once. A real KRaft broker in this JVM, two replicas.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReplicatedPurchasesTest {

    private static final Instant T = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    private static HttpResponse<String> post(NserServer s, String key, String body) throws Exception {
        return TestServer.send(s, "POST", "/v1/feedback/purchases", body, "Authorization", "Bearer demo-pos-key",
                "Content-Type", "application/json", "Idempotency-Key", key);
    }

    private static long position(HttpResponse<String> r) {
        return Long.parseLong(r.headers().firstValue(Positions.POSITION).orElse("-1"));
    }

    /** The summary of {@code cnic} on {@code s} once it has applied {@code min}. */
    private static String summary(NserServer s, String cnic, long min) throws Exception {
        HttpResponse<String> r = TestServer.get(s, "/v1/feedback/purchases/" + cnic, "Authorization",
                "Bearer demo-pos-key", Positions.MIN_POSITION, Long.toString(min));
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static int purchases(String summary) throws Exception {
        return TestServer.JSON.readTree(summary).get("organisations").get(0).get("purchases").asInt();
    }

    private static ServerConfig config(String kafka, String node, Path feedback) throws Exception {
        // the access journal beside the feedback journal, kept across a restart: its records are on the access
        // topic under the node's id (issue 28), and a replica refuses a fresh journal under an id the topic knows
        Path journal = Files.createDirectories(feedback.resolveSibling(feedback.getFileName() + "-journal"));
        return Purchases.config(journal, feedback).withCluster(kafka, node);
    }

    @Test
    void aBatchIsSummarisedOnEveryReplicaAndARetryThroughTheOtherCountsOnce() throws Exception {
        DevKafkaMain.quiet();
        Path f2 = Files.createTempDirectory("nser-r2-feedback");
        Path u2 = Files.createTempDirectory("nser-r2-updates");
        try (DevKafka kafka = DevKafka.start(Files.createTempDirectory("nser-purchases-kafka"), 0, 1);
             NserServer r1 = TestServer.start(config(kafka.bootstrap(), "r1", Files.createTempDirectory("f1")))) {
            String cnic = Purchases.households(3_000, 1).get(0).cnic();
            String body = Purchases.purchase(cnic, "usc-subsidy", T, "100", "10",
                    Purchases.item("atta", "1", "kg", "100", "10"));
            String other = Purchases.purchase(cnic, "usc-subsidy", T, "250", "0",
                    Purchases.item("ghee", "1", "kg", "250", "0"));
            long last;
            String before;
            NserServer r2 = TestServer.start(config(kafka.bootstrap(), "r2", f2).withUpdatesDir(u2));
            try {
                HttpResponse<String> first = post(r1, "till-9-000001", body);
                assertEquals(201, first.statusCode(), first.body());
                assertFalse(first.headers().firstValue("Idempotency-Replayed").isPresent());
                HttpResponse<String> retry = post(r2, "till-9-000001", body);
                assertEquals(201, retry.statusCode(), retry.body());
                assertEquals("true", retry.headers().firstValue("Idempotency-Replayed").orElse(""),
                        "the retry through the other replica is answered as the first");
                assertEquals(TestServer.json(first).get("batch_sequence"), TestServer.json(retry).get("batch_sequence"));
                HttpResponse<String> second = post(r2, "till-9-000002", other);
                assertEquals(201, second.statusCode(), second.body());
                last = Math.max(position(retry), position(second));
                before = summary(r1, cnic, last);
                assertEquals(before, summary(r2, cnic, last), "the same summary on both replicas");
                assertEquals(2, purchases(before), "two batches, the retry counted once");
            } finally {
                r2.close();
            }
            HttpResponse<String> third = post(r1, "till-9-000003", body); // while replica 2 is down
            assertEquals(201, third.statusCode(), third.body());
            last = position(third);
            r2 = TestServer.start(config(kafka.bootstrap(), "r2", f2).withUpdatesDir(u2));
            try {
                String after = summary(r1, cnic, last);
                assertEquals(3, purchases(after));
                assertEquals(after, summary(r2, cnic, last), "restarted: every batch once, the new one too");
            } finally {
                r2.close();
            }
        }
    }
}
