package pk.gov.bisp.nser.server.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static pk.gov.bisp.nser.server.exchange.Partners.byId;
import static pk.gov.bisp.nser.server.exchange.Partners.enrolment;
import static pk.gov.bisp.nser.server.exchange.Partners.enrolments;
import static pk.gov.bisp.nser.server.exchange.Partners.post;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pk.gov.bisp.nser.cluster.DevKafka;
import pk.gov.bisp.nser.cluster.DevKafkaMain;
import pk.gov.bisp.nser.server.Households;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.cluster.Positions;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * Issue 31 on issue 27's log: an enrolment posted through one replica is in the {@code programme=} counts and the
 * change feed of every replica, in the same positions; a partner's retry with the same Idempotency-Key through the
 * other replica is answered again and applied once; a replica that was down has every batch once after its restart.
 * A real KRaft broker in this JVM, two replicas.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReplicatedExchangeTest {

    private static final String E = "/v1/exchange/enrolments";
    private static final String PBM = "demo-partner-key";

    private static ServerConfig config(String kafka, String node, int district, Path dir) throws Exception {
        return Partners.config(district, dir).withCluster(kafka, node);
    }

    private static long position(HttpResponse<String> r) {
        return Long.parseLong(r.headers().firstValue(Positions.POSITION).orElse("-1"));
    }

    /** The {@code programme=pbm} count on {@code s} once it has applied {@code min}. */
    private static int pbm(NserServer s, long min) throws Exception {
        HttpResponse<String> r = TestServer.get(s, "/v1/households/count?programme=pbm", "Authorization",
                "Bearer bisp-power-key", Positions.MIN_POSITION, Long.toString(min));
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r).get("count").asInt();
    }

    /** The partner's whole change feed on {@code s} once it has applied {@code min}: position and household. */
    private static List<String> feed(NserServer s, long min) throws Exception {
        HttpResponse<String> r = TestServer.get(s, E + "?since=0&limit=1000", "Authorization", "Bearer " + PBM,
                Positions.MIN_POSITION, Long.toString(min));
        assertEquals(200, r.statusCode(), r.body());
        List<String> out = new ArrayList<>();
        for (JsonNode e : TestServer.json(r).get("enrolments")) {
            out.add(e.get("position").asLong() + ":" + e.get("household_id").asLong() + ":"
                    + e.get("status").asText());
        }
        return out;
    }

    @Test
    void anEnrolmentThroughOneReplicaIsOnEveryReplicaOnceAndARetryThroughTheOtherIsAppliedOnce() throws Exception {
        DevKafkaMain.quiet();
        Households hh = Households.load();
        int district = hh.district[0];
        Path d2 = Files.createTempDirectory("nser-x2");
        try (DevKafka kafka = DevKafka.start(Files.createTempDirectory("nser-exchange-kafka"), 0, 1);
             NserServer r1 = TestServer.start(config(kafka.bootstrap(), "x1", district,
                     Files.createTempDirectory("nser-x1")))) {
            String first = enrolments(enrolment(byId(hh.ids[1]), "pbm", "enrolled", "2026-11-01"),
                    enrolment(byId(hh.ids[2]), "pbm", "enrolled", "2026-11-02"));
            String second = enrolments(enrolment(byId(hh.ids[2]), "pbm", "exited", "2026-11-20"),
                    enrolment(byId(hh.ids[3]), "pbm", "enrolled", "2026-11-21"));
            long last;
            List<String> before;
            NserServer r2 = TestServer.start(config(kafka.bootstrap(), "x2", district, d2));
            try {
                HttpResponse<String> a = post(r1, PBM, E, first, "Idempotency-Key", "pbm-batch-1");
                assertEquals(201, a.statusCode(), a.body());
                assertFalse(a.headers().firstValue("Idempotency-Replayed").isPresent());
                HttpResponse<String> retry = post(r2, PBM, E, first, "Idempotency-Key", "pbm-batch-1");
                assertEquals(201, retry.statusCode(), retry.body());
                assertEquals("true", retry.headers().firstValue("Idempotency-Replayed").orElse(""),
                        "the retry through the other replica is answered as the first");
                HttpResponse<String> b = post(r2, PBM, E, second, "Idempotency-Key", "pbm-batch-2");
                assertEquals(201, b.statusCode(), b.body());
                last = Math.max(position(retry), position(b));
                assertEquals(2, pbm(r1, last), "households 1 and 3 enrolled, 2 exited");
                assertEquals(2, pbm(r2, last));
                before = feed(r1, last);
                assertEquals(4, before.size(), before.toString());
                assertEquals(before, feed(r2, last), "the same feed, in the same positions, on both replicas");
            } finally {
                r2.close();
            }
            HttpResponse<String> c = post(r1, PBM, E, enrolments(enrolment(byId(hh.ids[4]), "pbm", "enrolled",
                    "2026-11-25")), "Idempotency-Key", "pbm-batch-3"); // while replica 2 is down
            assertEquals(201, c.statusCode(), c.body());
            last = position(c);
            r2 = TestServer.start(config(kafka.bootstrap(), "x2", district, d2));
            try {
                assertEquals(3, pbm(r1, last));
                assertEquals(3, pbm(r2, last), "restarted: every batch once, the new one too");
                List<String> after = feed(r1, last);
                assertEquals(5, after.size(), after.toString());
                assertEquals(after, feed(r2, last));
            } finally {
                r2.close();
            }
        }
    }
}
