package pk.gov.bisp.nser.server.clusteraudit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.cluster.DevKafka;
import pk.gov.bisp.nser.cluster.DevKafkaMain;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.JournalFrames;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.http.Today;

/**
 * Issue 28's named gap: access records a replica's journal lost to damage before they were shipped are counted in
 * PostgreSQL ({@code access_lost}), so the cluster's usage and admin access log say how many, as one server's do.
 */
class ClusterLostRecordsTest {

    @Test
    void recordsLostToDamageBeforeShippingShouldBeCountedInTheAuditDatabase() throws Exception {
        DevKafkaMain.quiet();
        Path journal = Files.createTempDirectory("nser-lost-access");
        List<String> cnics = TestServer.headCnics(5, 211, 20).stream().map(Cnic::format).toList();
        try (NserServer s = TestServer.start(TestServer.demoConfig().withJournalDir(journal))) { // not yet a replica
            for (String c : cnics) {
                int status = TestServer.get(s, "/v1/households/by-cnic/" + c, TestServer.key("power")).statusCode();
                assertEquals(200, status, c);
            }
        }
        JournalFrames.flip(journal, 10); // never shipped: the server was not in a cluster then

        try (DevKafka kafka = DevKafka.start(Files.createTempDirectory("nser-lost-kafka"), 0, 1);
             Postgres pg = Postgres.start();
             NserServer r = TestServer.start(TestServer.demoConfig().withJournalDir(journal)
                     .withCluster(kafka.bootstrap(), "l1").withAudit(pg.url()))) {
            assertEquals(1, r.journalRecovery().lostRecords(), r.journalRecovery().toString());
            long through = r.ledger().through();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (ClusterAuditTest.count(pg, "SELECT count(*) FROM access WHERE node_id = 'l1'") < through - 1
                    || ClusterAuditTest.count(pg, "SELECT count(*) FROM access_lost") < 1) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not shipped after 60 s: " + ClusterAuditTest.count(pg, "SELECT count(*) FROM access")
                            + " records of " + through + " (one lost)");
                }
                Thread.sleep(50);
            }
            assertEquals(List.of(10L, 10L, 1L), List.of(
                    pg.queryLong("SELECT first_sequence FROM access_lost WHERE node_id = 'l1'"),
                    pg.queryLong("SELECT last_sequence FROM access_lost WHERE node_id = 'l1'"),
                    pg.queryLong("SELECT records FROM access_lost WHERE node_id = 'l1'")));
            assertEquals(0, pg.queryLong("SELECT count(*) FROM access WHERE node_id = 'l1' AND sequence = 10"));
            assertEquals(through - 1, pg.queryLong("SELECT count(*) FROM access WHERE node_id = 'l1' AND sequence <= "
                    + through), "every other record is there");

            YearMonth month = YearMonth.now(Today.PAKISTAN); // counted on the day it was found: today
            HttpResponse<String> usage = TestServer.get(r, "/admin/usage?month=" + month, TestServer.key("admin"));
            assertEquals(200, usage.statusCode(), usage.body());
            assertEquals(1, TestServer.json(usage).get("lost_records").asLong(), usage.body());
            String csv = TestServer.get(r, "/v1/usage?format=csv&month=" + month, TestServer.key("power")).body();
            String today = java.time.LocalDate.now(Today.PAKISTAN).toString();
            long lostToday = csv.lines().skip(1).map(l -> l.split(","))
                    .filter(f -> f[2].equals(today)).mapToLong(f -> Long.parseLong(f[6])).sum();
            assertEquals(1, lostToday, csv);
            JsonNode log = TestServer.json(TestServer.get(r, "/admin/access-log?limit=1", TestServer.key("admin")));
            assertEquals(1, log.get("lost_records").asLong(), log.toString());
        }
    }
}
