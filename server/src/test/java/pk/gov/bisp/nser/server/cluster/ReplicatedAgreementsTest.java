package pk.gov.bisp.nser.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import pk.gov.bisp.nser.cluster.DevKafka;
import pk.gov.bisp.nser.cluster.DevKafkaMain;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * Issue 26 in a cluster (issue 27's log): agreement changes made through the admin API of any replica travel on
 * the one ordered update log, and every replica applies them in its order: a key revoked through one replica while
 * clients use it on both is refused on both from the next request on (on the other replica, the next request that
 * asks for the revocation's position); a suspension through the other replica is 403 on the first; a restarted
 * replica, and a new one, have every change once. A real KRaft broker in this JVM, two replicas over loopback.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReplicatedAgreementsTest {

    private static final String[] ADMIN = TestServer.key("admin");
    private static DevKafka kafka;
    private static NserServer r1;
    private static NserServer r2;
    private static Path r2Agreements;
    /** Kept across r2's restarts: its access journal's records are on the access topic under its node id. */
    private static Path r2Journal;
    private static Path r2Updates;
    private static String cnic;
    /** The highest position any answer gave: what a later check asks every replica to have applied. */
    private static final AtomicLong LAST = new AtomicLong();
    private static String revokedKey;

    @BeforeAll
    static void start() throws Exception {
        DevKafkaMain.quiet();
        kafka = DevKafka.start(Files.createTempDirectory("nser-agreements-kafka"), 0, 1);
        r1 = TestServer.start(TestServer.demoConfig().withCluster(kafka.bootstrap(), "r1"));
        r2Agreements = Files.createTempDirectory("nser-r2-agreements");
        r2Journal = Files.createTempDirectory("nser-r2-journal");
        r2Updates = Files.createTempDirectory("nser-r2-updates");
        r2 = TestServer.start(r2Config());
        cnic = Cnic.format(TestServer.headCnics(7, 1, 1).get(0));
    }

    private static ServerConfig r2Config() throws Exception {
        return TestServer.demoConfig().withCluster(kafka.bootstrap(), "r2").withAgreementsDir(r2Agreements)
                .withUpdatesDir(r2Updates).withJournalDir(r2Journal);
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

    private static HttpResponse<String> admin(NserServer s, String method, String path, String body)
            throws Exception {
        HttpResponse<String> r = TestServer.send(s, method, path, body, ADMIN[0], ADMIN[1], "Content-Type",
                "application/json", Positions.MIN_POSITION, Long.toString(LAST.get()));
        LAST.accumulateAndGet(position(r), Math::max);
        return r;
    }

    private static JsonNode ok(int status, HttpResponse<String> r) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    /** A lookup with {@code key}; with {@code min} (>= 0) as the position the replica must have applied first. */
    private static HttpResponse<String> lookup(NserServer s, String key, long min) throws Exception {
        return min < 0 ? TestServer.get(s, "/v1/households/by-cnic/" + cnic, "Authorization", "Bearer " + key)
                : TestServer.get(s, "/v1/households/by-cnic/" + cnic, "Authorization", "Bearer " + key,
                Positions.MIN_POSITION, Long.toString(min));
    }

    private static long position(HttpResponse<String> r) {
        return Long.parseLong(r.headers().firstValue(Positions.POSITION).orElse("-1"));
    }

    /** The slug of a problem answer of {@code status}. */
    private static String problem(int status, HttpResponse<String> r) throws Exception {
        String slug = TestServer.json(r).path("type").asText().replaceAll(".*/", "");
        TestServer.expectProblem(r, status, slug);
        return slug;
    }

    /** One request of a client: on which replica, whether it began after the revocation was answered, its answer. */
    private record Sent(int replica, boolean afterRevocation, int status, String body) {
    }

    /**
     * Two clients on each replica use a key issued through replica 1; replica 1 revokes it. On replica 1 every
     * request begun after the revocation's answer is 401 key-revoked without asking for any position (the receiving
     * replica answers once it has applied its own change); on replica 2 every request begun after it that asks for
     * the revocation's position is 401 key-revoked too.
     */
    @Test
    @Order(1)
    void aKeyRevokedThroughOneReplicaIsRefusedOnEveryReplicaFromTheNextRequestOn() throws Exception {
        JsonNode issued = ok(201, admin(r1, "POST", "/admin/users/power-1/keys", "{\"reason\": \"cluster key\"}"));
        String key = issued.get("key").asText();
        long issuedAt = LAST.get();
        assertTrue(issuedAt >= 1, "the key's issue is a record of the log: " + issuedAt);
        AtomicLong revokedAt = new AtomicLong(-1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger[] ok = {new AtomicInteger(), new AtomicInteger()};
        AtomicInteger[] after = {new AtomicInteger(), new AtomicInteger()};
        Queue<Sent> sent = new ConcurrentLinkedQueue<>();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int replica = c % 2;
            NserServer s = replica == 0 ? r1 : r2;
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long revoked = revokedAt.get();
                        // replica 1 is asked for nothing; replica 2 for the key's issue, then for its revocation
                        HttpResponse<String> r = lookup(s, key, replica == 0 ? -1 : revoked >= 0 ? revoked : issuedAt);
                        sent.add(new Sent(replica, revoked >= 0, r.statusCode(), r.body()));
                        if (r.statusCode() == 200) {
                            ok[replica].incrementAndGet();
                        }
                        if (revoked >= 0) {
                            after[replica].incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "client-" + c);
            t.start();
            clients.add(t);
        }
        try {
            while ((ok[0].get() < 50 || ok[1].get() < 50) && failures.isEmpty()) {
                Thread.sleep(5);
            }
            HttpResponse<String> revoke = admin(r1, "DELETE", "/admin/keys/" + issued.get("key_id").asText()
                    + "?reason=leaked", null);
            assertEquals("revoked", ok(200, revoke).get("status").asText(), revoke.body());
            assertTrue(position(revoke) > issuedAt, "the revocation's position: " + position(revoke));
            revokedAt.set(position(revoke));
            while ((after[0].get() < 30 || after[1].get() < 30) && failures.isEmpty()) {
                Thread.sleep(5);
            }
        } finally {
            stop.set(true);
            for (Thread t : clients) {
                t.join(30_000);
            }
        }
        assertEquals(List.of(), List.copyOf(failures));
        List<String> wrong = new ArrayList<>();
        int[] refused = new int[2];
        for (Sent x : sent) {
            if (x.afterRevocation()) {
                refused[x.replica()]++;
                if (x.status() != 401 || !x.body().contains("/problems/key-revoked")) {
                    wrong.add("replica " + (x.replica() + 1) + ": " + x.status() + " " + x.body());
                }
            } else if (x.status() != 200 && x.status() != 401) {
                wrong.add("before, replica " + (x.replica() + 1) + ": " + x.status() + " " + x.body());
            }
        }
        assertEquals(List.of(), wrong, "every request begun after the revocation is refused, on both replicas");
        assertTrue(refused[0] >= 30 && refused[1] >= 30, "refused on each replica: " + refused[0] + ", " + refused[1]);
        assertTrue(ok[0].get() >= 50 && ok[1].get() >= 50, "served on each before it: " + ok[0] + ", " + ok[1]);
        assertEquals(200, lookup(r2, "demo-power-key", LAST.get()).statusCode(), "the user's other key");
        revokedKey = key;
    }

    @Test
    @Order(2)
    void aSuspensionThroughReplicaTwoIs403OnReplicaOne() throws Exception {
        assertEquals(200, lookup(r1, "demo-standard-key", -1).statusCode());
        HttpResponse<String> suspend = admin(r2, "POST", "/admin/agreements/DSA-2026-002/suspend",
                "{\"reason\": \"failed spot check\"}");
        assertEquals("suspended", ok(200, suspend).get("status").asText(), suspend.body());
        assertEquals("agreement-suspended", problem(403, lookup(r2, "demo-standard-key", -1)), "at once where made");
        assertEquals("agreement-suspended", problem(403, lookup(r1, "demo-standard-key", position(suspend))));
        // replica 1 has it: suspending again through it is refused, and changes nothing
        assertEquals("agreement-already-suspended", problem(409, admin(r1, "POST",
                "/admin/agreements/DSA-2026-002/suspend", "{\"reason\": \"again\"}")));
        assertEquals("unknown-agreement", problem(404, admin(r1, "POST", "/admin/agreements/DSA-NONE/suspend",
                "{\"reason\": \"x\"}")));
        assertEquals(ok(200, admin(r1, "GET", "/admin/agreements/DSA-2026-002", null)),
                ok(200, admin(r2, "GET", "/admin/agreements/DSA-2026-002", null)), "the same agreement and history");
    }

    /**
     * Replica 2 restarted on its directories, and a new replica 3 on empty ones: each has every change once (the
     * same agreements and histories as replica 1), and follows the changes made after.
     */
    @Test
    @Order(3)
    void aRestartedReplicaAndANewOneKeepEveryChangeOnce() throws Exception {
        String standard = TestServer.json(admin(r1, "GET", "/admin/agreements/DSA-2026-002", null)).toString();
        String keys = TestServer.json(admin(r1, "GET", "/admin/users/power-1/keys", null)).toString();
        r2.close();
        r2 = null;
        r2 = TestServer.start(r2Config());
        NserServer r3 = TestServer.start(TestServer.demoConfig().withCluster(kafka.bootstrap(), "r3"));
        try {
            for (NserServer s : new NserServer[] {r2, r3}) {
                assertEquals(standard, TestServer.json(admin(s, "GET", "/admin/agreements/DSA-2026-002", null))
                        .toString(), "the same agreement and history, each change once");
                assertEquals(keys, TestServer.json(admin(s, "GET", "/admin/users/power-1/keys", null)).toString());
                assertEquals("key-revoked", problem(401, lookup(s, revokedKey, LAST.get())));
                assertEquals("agreement-suspended", problem(403, lookup(s, "demo-standard-key", LAST.get())));
            }
            assertEquals(r1.agreements().changes(), r2.agreements().changes(), "each change applied once");
            assertEquals(r1.agreements().changes(), r3.agreements().changes());
            HttpResponse<String> resume = admin(r3, "POST", "/admin/agreements/DSA-2026-002/resume",
                    "{\"reason\": \"remedied\"}");
            assertEquals("active", ok(200, resume).get("status").asText(), resume.body());
            assertEquals(200, lookup(r2, "demo-standard-key", position(resume)).statusCode());
            assertEquals(200, lookup(r1, "demo-standard-key", position(resume)).statusCode());
        } finally {
            r3.close();
        }
    }
}
