package pk.gov.bisp.nser.server.clusteraudit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import pk.gov.bisp.nser.server.http.Today;
import pk.gov.bisp.nser.server.metering.Ledger;

/**
 * Issue 28: two replicas on a real Kafka broker (in this JVM) ship their access journals to the access topic; their
 * sinks write them into a real PostgreSQL; the admin access log and usage answer from it for the whole cluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterAuditTest {

    private static final String[] POWER = TestServer.key("power");
    private static final String[] STANDARD = TestServer.key("standard");
    private static final String[] ADMIN = TestServer.key("admin");
    private static DevKafka kafka;
    private static Postgres pg;
    private static NserServer r1;
    private static NserServer r2;
    private static List<Long> cnics;

    @BeforeAll
    static void start() throws Exception {
        DevKafkaMain.quiet();
        kafka = DevKafka.start(Files.createTempDirectory("nser-audit-kafka"), 0, 1);
        pg = Postgres.start();
        r1 = TestServer.start(TestServer.demoConfig().withCluster(kafka.bootstrap(), "a1").withAudit(pg.url()));
        r2 = TestServer.start(TestServer.demoConfig().withCluster(kafka.bootstrap(), "a2").withAudit(pg.url()));
        cnics = TestServer.headCnics(11, 53, 20);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {r1, r2, kafka, pg}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the next closes anyway
            }
        }
    }

    /** The count, or -1 while no sink has created the table yet (it does with its first batch). */
    static long count(Postgres pg, String sql) {
        try {
            return pg.queryLong(sql);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    /** Waits until PostgreSQL holds every record both replicas' journals have, and returns how many. */
    static long awaitShipped(Postgres pg, NserServer... replicas) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            boolean all = true;
            long total = 0;
            StringBuilder state = new StringBuilder();
            for (NserServer s : replicas) {
                String node = s.clusterAudit().shipper() == null ? null : nodeOf(s);
                long through = s.ledger().through();
                long count = count(pg, "SELECT count(*) FROM access WHERE node_id = '" + node + "'");
                total += count;
                all &= count == through;
                state.append(node).append(": journal ").append(through).append(", shipped ")
                        .append(s.clusterAudit().shipper().shipped()).append(", in PostgreSQL ").append(count)
                        .append(", sink wrote ").append(s.clusterAudit().sink() == null ? -1
                                : s.clusterAudit().sink().written()).append("; ");
            }
            if (all) {
                return total;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("PostgreSQL does not hold every journaled record after 60 s: " + state);
            }
            Thread.sleep(50);
        }
    }

    private static String nodeOf(NserServer s) {
        return s == r1 ? "a1" : "a2";
    }

    private static void lookups(NserServer s, String[] key, List<Long> which) throws Exception {
        for (long c : which) {
            HttpResponse<String> r = TestServer.get(s, "/v1/households/by-cnic/" + Cnic.format(c), key);
            assertTrue(r.statusCode() == 200 || r.statusCode() == 404, r.body());
        }
    }

    @Test
    @Order(1)
    void everyRecordOfEveryReplicaShouldBeInPostgresOnceAndAnswerForTheWholeCluster() throws Exception {
        lookups(r1, POWER, cnics.subList(0, 10));
        lookups(r2, STANDARD, cnics.subList(10, 20));
        lookups(r2, POWER, cnics.subList(0, 3));
        awaitShipped(pg, r1, r2);
        for (String node : List.of("a1", "a2")) {
            assertEquals(pg.queryLong("SELECT count(*) FROM access WHERE node_id = '" + node + "'"),
                    pg.queryLong("SELECT count(DISTINCT sequence) FROM access WHERE node_id = '" + node + "'"));
            assertEquals(pg.queryLong("SELECT count(*) FROM access WHERE node_id = '" + node + "'"),
                    pg.queryLong("SELECT max(sequence) FROM access WHERE node_id = '" + node + "'"), "no gap");
        }

        // who looked at this CNIC: the lookups through both replicas, asked of either
        String cnic = Cnic.format(cnics.get(1));
        HttpResponse<String> log = TestServer.get(r2, "/admin/access-log?cnic=" + cnic, ADMIN);
        assertEquals(200, log.statusCode(), log.body());
        JsonNode body = TestServer.json(log);
        List<String> nodes = new ArrayList<>();
        for (JsonNode rec : body.get("records")) {
            nodes.add(rec.get("node").asText());
            assertEquals(cnic, rec.get("record").get("cnic").asText());
            assertEquals("request", rec.get("kind").asText());
            assertTrue(rec.get("sequence").asLong() > 0);
        }
        assertEquals(List.of("a1", "a2"), nodes, log.body());
        assertEquals(2, body.get("matched").asLong());
        assertEquals(false, body.get("truncated").asBoolean());
        assertEquals(0, body.get("lost_records").asLong());
        assertEquals(TestServer.json(log), TestServer.json(TestServer.get(r1, "/admin/access-log?cnic=" + cnic,
                ADMIN)), "the same answer from either replica");

        // usage: the cluster's = the sum of the two replicas' own ledgers, for every organisation
        YearMonth month = YearMonth.now(Today.PAKISTAN);
        HttpResponse<String> usage = TestServer.get(r1, "/admin/usage?month=" + month, ADMIN);
        assertEquals(200, usage.statusCode(), usage.body());
        Map<String, Ledger.Usage> m1 = r1.ledger().month(month);
        Map<String, Ledger.Usage> m2 = r2.ledger().month(month);
        int orgs = 0;
        for (JsonNode o : TestServer.json(usage).get("organisations")) {
            String id = o.get("organisation").asText();
            if (!id.equals("punjab-social-protection") && !id.equals("acme-microfinance")) {
                continue; // the admin's own requests: being shipped while it asks
            }
            long[] sum = new long[3];
            for (Map<String, Ledger.Usage> m : List.of(m1, m2)) {
                Ledger.Usage u = m.getOrDefault(id, new Ledger.Usage());
                for (int i = 0; i < 3; i++) {
                    sum[i] += u.total[i];
                }
            }
            assertEquals(sum[0], o.get("requests").asLong(), id);
            assertEquals(sum[1], o.get("rows").asLong(), id);
            assertEquals(0, java.math.BigDecimal.valueOf(sum[2], 2).compareTo(o.get("charge_pkr").decimalValue()),
                    id + ": " + o);
            orgs += sum[1] > 0 ? 1 : 0;
        }
        assertEquals(2, orgs, usage.body());
        // the ledger equals the sum of the logged rows times the organisation's rate (government 3, business 100)
        assertEquals(pg.queryLong("SELECT sum(billed_rows * CASE organisation_type WHEN 'business_private' THEN 10000"
                + " ELSE 300 END) FROM access WHERE operation = 'lookup'"),
                pg.queryLong("SELECT sum(amount_paisa) FROM access WHERE operation = 'lookup'"));

        // an organisation's own usage through the other replica counts the lookups of both
        HttpResponse<String> own = TestServer.get(r2, "/v1/usage", POWER);
        assertEquals(200, own.statusCode(), own.body());
        long powerLookups = m1.get("punjab-social-protection").byOperation.get("lookup")[0]
                + m2.get("punjab-social-protection").byOperation.get("lookup")[0];
        JsonNode ops = TestServer.json(own).get("by_operation");
        long seen = 0;
        for (JsonNode op : ops) {
            if (op.get("operation").asText().equals("lookup")) {
                seen = op.get("requests").asLong();
            }
        }
        assertEquals(powerLookups, seen, own.body());
        assertTrue(powerLookups >= 13);
    }

    @Test
    @Order(2)
    void withPostgresAwayTheReplicasServeOnAndTheSinkCatchesUpWhenItReturns() throws Exception {
        long before = awaitShipped(pg, r1, r2);
        pg.stop();
        lookups(r1, POWER, cnics.subList(0, 20));
        lookups(r2, STANDARD, cnics.subList(0, 20));
        HttpResponse<String> log = TestServer.get(r1, "/admin/access-log?limit=5", ADMIN);
        TestServer.expectProblem(log, 503, "audit-database-unavailable");
        HttpResponse<String> usage = TestServer.get(r2, "/v1/usage", POWER);
        TestServer.expectProblem(usage, 503, "audit-database-unavailable");
        Thread.sleep(1_500); // the sinks find the database away and retry
        pg.startAgain();
        long after = awaitShipped(pg, r1, r2);
        assertTrue(after >= before + 40, before + " -> " + after);
        for (String node : List.of("a1", "a2")) {
            assertEquals(pg.queryLong("SELECT count(*) FROM access WHERE node_id = '" + node + "'"),
                    pg.queryLong("SELECT max(sequence) FROM access WHERE node_id = '" + node + "'"), "no gap");
        }
        assertEquals(200, TestServer.get(r1, "/admin/access-log?limit=5", ADMIN).statusCode());
    }
}
