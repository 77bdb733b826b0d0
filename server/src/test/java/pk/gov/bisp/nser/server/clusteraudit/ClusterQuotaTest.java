package pk.gov.bisp.nser.server.clusteraudit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.cluster.DevKafka;
import pk.gov.bisp.nser.cluster.DevKafkaMain;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.ServerConfig;
import pk.gov.bisp.nser.server.http.Today;

/**
 * Issue 28: an organisation's monthly row quota holds for the cluster. Two replicas on a real Kafka broker, one
 * client on each hitting them at once for the same organisation: each replica refuses once its view of the cluster's
 * total (its own ledger plus the others' records from the access topic) reaches the quota, and the rows served
 * beyond it stay within the documented bound (ClusterBills): the rows the replicas served within the longest
 * view lag observed, plus one request in flight per replica.
 */
class ClusterQuotaTest {

    private static final int QUOTA = 40;
    private static final String[] STANDARD = TestServer.key("standard");
    private static DevKafka kafka;
    private static NserServer r1;
    private static NserServer r2;

    @BeforeAll
    static void start() throws Exception {
        DevKafkaMain.quiet();
        kafka = DevKafka.start(Files.createTempDirectory("nser-quota-kafka"), 0, 1);
        String yaml;
        try (InputStream in = TestServer.class.getResourceAsStream("/demo.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String org = "    type: business_private\n";
        assertTrue(yaml.contains(org));
        yaml = yaml.replaceFirst(org, org + "    monthly_row_quota: " + QUOTA + "\n");
        ServerConfig cfg = TestServer.config(yaml);
        r1 = TestServer.start(cfg.withCluster(kafka.bootstrap(), "q1"));
        r2 = TestServer.start(cfg.withCluster(kafka.bootstrap(), "q2"));
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

    /** Rows served by one client through {@code s} until its first 429, and the nanoseconds that took. */
    private record Run(long rows, long nanos) {
    }

    private static Run hit(NserServer s, List<Long> cnics, CountDownLatch go) throws Exception {
        go.await();
        long t0 = System.nanoTime();
        long rows = 0;
        for (int i = 0; i < 10_000; i++) {
            HttpResponse<String> r = TestServer.get(s, "/v1/households/by-cnic/"
                    + Cnic.format(cnics.get(i % cnics.size())), STANDARD);
            if (r.statusCode() == 429) {
                TestServer.expectProblem(r, 429, "organisation-limit-reached");
                return new Run(rows, System.nanoTime() - t0);
            }
            assertEquals(200, r.statusCode(), r.body());
            rows += Long.parseLong(r.headers().firstValue("Billed-Rows").orElseThrow());
            Thread.sleep(10); // a client's pace: the bound is in rows per unit of view lag
        }
        throw new AssertionError("never refused after 10,000 requests");
    }

    @Test
    void twoReplicasHitAtOnceShouldRefuseTheOrganisationWithinTheDocumentedBound() throws Exception {
        List<Long> cnics = TestServer.headCnics(5, 97, 30);
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Run> on1 = CompletableFuture.supplyAsync(() -> call(() -> hit(r1, cnics, go)));
        CompletableFuture<Run> on2 = CompletableFuture.supplyAsync(() -> call(() -> hit(r2, cnics, go)));
        go.countDown();
        Run a = on1.get(120, TimeUnit.SECONDS);
        Run b = on2.get(120, TimeUnit.SECONDS);
        long served = a.rows() + b.rows();
        YearMonth month = YearMonth.now(Today.PAKISTAN);
        assertEquals(served, r1.ledger().billed("acme-microfinance", month)[0]
                + r2.ledger().billed("acme-microfinance", month)[0], "the ledgers bill what the clients got");

        // each replica refused only once its view of the cluster's total reached the quota
        assertTrue(served >= QUOTA, "served " + served);
        // the overshoot bound: sum over replicas of (rate x view lag + in flight x rows per request)
        long lag = Math.max(r1.clusterAudit().clusterBills().maxLagMillis(),
                r2.clusterAudit().clusterBills().maxLagMillis());
        double rowsPerMilli = a.rows() * 1e6 / a.nanos() + b.rows() * 1e6 / b.nanos();
        long bound = (long) Math.ceil(rowsPerMilli * lag) + 2 * 1;
        assertTrue(served <= QUOTA + bound, "served " + served + " (" + a.rows() + " + " + b.rows() + "), quota "
                + QUOTA + ", bound " + bound + " (view lag " + lag + " ms)");
        assertTrue(bound < QUOTA, "the bound " + bound + " would not tell a cluster quota from two replicas' own "
                + "(view lag " + lag + " ms)");

        // once the views agree, both replicas count the same total and both refuse
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (r1.clusterAudit().bills().billed("acme-microfinance", month)[0] != served
                || r2.clusterAudit().bills().billed("acme-microfinance", month)[0] != served) {
            assertTrue(System.nanoTime() < deadline, "the replicas' views never reached " + served);
            Thread.sleep(20);
        }
        for (NserServer s : List.of(r1, r2)) {
            TestServer.expectProblem(TestServer.get(s, "/v1/households/by-cnic/" + Cnic.format(cnics.get(0)),
                    STANDARD), 429, "organisation-limit-reached");
        }
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T call(Call<T> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
