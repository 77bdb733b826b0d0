package pk.gov.bisp.nser.server.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.snapshot.Generations;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotFold;
import pk.gov.bisp.nser.core.snapshot.SnapshotVerifier;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.SearchHttp;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * The online fold of issue 29 over real files and real HTTP: {@code POST /admin/compact} folds the changed households
 * into a new snapshot generation while lookups and updates run; every answer is the same after it, the heap's delta
 * holds only what came after the cut, the old generation's files go, and a restart serves the newest generation and
 * replays only what came after it.
 */
class FoldTest {

    private static final String[] POWER = TestServer.key("power");
    private static final String[] ADMIN = TestServer.key("admin");
    private static final String PHONE = "{\"changes\":[{\"change\":\"contact\",\"phone\":\"92300%07d\"}]}";

    @Test
    void foldWhileReadersAndUpdatesRunKeepsEveryAnswerAndRestartsFromTheGeneration() throws Exception {
        Path updates = Files.createTempDirectory("nser-fold-updates");
        ServerConfig config = TestServer.demoConfig().withUpdatesDir(updates).withFoldEvery(0);
        NserServer server = TestServer.start(config);
        try {
            List<Long> read = TestServer.headCnics(3, 97, 40);
            List<Long> written = TestServer.headCnics(5, 89, 40);
            List<Long> writtenIds = new ArrayList<>();
            for (long c : written) {
                writtenIds.add(lookup(server, c).get("household_id").asLong());
            }
            for (int i = 0; i < 20; i++) { // changed before the fold: folded into the generation
                assertEquals(200, patch(server, writtenIds.get(i), i).statusCode());
            }
            // the households read are changed too, before the fold only, so their answers come from the delta first
            for (int i = 0; i < 10; i++) {
                long id = lookup(server, read.get(i)).get("household_id").asLong();
                assertEquals(200, patch(server, id, 500 + i).statusCode());
            }
            List<String> expected = new ArrayList<>();
            for (long c : read) {
                expected.add(lookup(server, c).toString());
            }
            long count = SearchHttp.count(server, "power", "");
            assertTrue(server.registry().snapshot().updatedCount() >= 30);
            Path base = server.registry().snapshot().dir();

            AtomicBoolean stop = new AtomicBoolean();
            Queue<String> wrong = new ConcurrentLinkedQueue<>();
            AtomicInteger reads = new AtomicInteger();
            AtomicInteger writes = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            NserServer s1 = server;
            for (int t = 0; t < 3; t++) {
                threads.add(new Thread(() -> readUntilStopped(s1, read, expected, stop, reads, wrong)));
            }
            threads.add(new Thread(() -> {
                int i = 20;
                while (!stop.get()) {
                    try {
                        HttpResponse<String> r = patch(s1, writtenIds.get(20 + i % 20), 1000 + i);
                        if (r.statusCode() != 200) {
                            wrong.add("update " + r.statusCode() + " " + r.body());
                        }
                        writes.incrementAndGet();
                        i++;
                    } catch (Exception e) {
                        wrong.add("update: " + e);
                    }
                }
            }));
            threads.forEach(Thread::start);

            HttpResponse<String> denied = TestServer.send(server, "POST", UpdateRoutes.COMPACT, null, POWER);
            assertEquals(403, denied.statusCode(), denied.body());
            JsonNode done = fold(server);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), wrong.stream().limit(3).map(w -> w.substring(0, Math.min(300, w.length())))
                    .toList());
            assertTrue(reads.get() > 0 && writes.get() > 0, reads + " reads, " + writes + " writes");
            assertEquals("done", done.get("state").asText(), done.toString());
            assertEquals(1, done.get("generation").asInt(), done.toString());
            assertTrue(done.get("folded").asInt() >= 30, done.toString());

            Snapshot g1 = server.registry().snapshot();
            assertEquals(updates.resolve(Generations.DIR).resolve(done.get("snapshot").asText()), g1.dir());
            assertEquals(g1.dir(), Generations.current(updates));
            assertEquals(done.get("position").asLong(), SnapshotFold.position(g1.manifest()));
            // what the heap holds now: only the updates made after the cut
            assertTrue(g1.updatedCount() <= 20, "changed after the cut: " + g1.updatedCount());
            assertEquals(count, SearchHttp.count(server, "power", ""));
            for (int i = 0; i < read.size(); i++) {
                assertEquals(expected.get(i), lookup(server, read.get(i)).toString());
            }
            assertEquals(List.of(), SnapshotVerifier.verify(g1, n -> { }));
            assertTrue(Files.isDirectory(base), "the base snapshot is never deleted");

            // updates after the fold, then a second fold: the first generation's files go once nothing reads them
            for (int i = 0; i < 5; i++) {
                assertEquals(200, patch(server, writtenIds.get(i), 2000 + i).statusCode());
            }
            assertTrue(stats(server).contains("\"groups\""), "a table the first generation keeps, warmed at the fold");
            JsonNode second = fold(server);
            assertEquals(2, second.get("generation").asInt(), second.toString());
            Snapshot g2 = server.registry().snapshot();
            assertNotEquals(g1.dir(), g2.dir());
            assertEquals(0, g2.updatedCount());
            NserServer s2 = server;
            // the requests still ending (their end handlers run after the answer is sent) release it
            waitUntil(() -> s2.registry().retiring() == 0 && !Files.exists(g1.dir()));
            assertEquals(0, server.registry().retiring(), "no request reads the first generation any more");
            assertFalse(Files.exists(g1.dir()), "the first generation's files are deleted");

            // changes after the second fold are all a restart replays over it
            for (int i = 0; i < 3; i++) {
                assertEquals(200, patch(server, writtenIds.get(i), 3000 + i).statusCode());
            }
            List<String> last = new ArrayList<>();
            for (long c : written) {
                last.add(lookup(server, c).toString());
            }
            String table = stats(server);
            server.close();
            server = TestServer.start(config);
            assertEquals(table, stats(server), "the kept table (warmed at the fold, corrected by the updates since) "
                    + "is the table counted afresh after a restart");
            Snapshot restarted = server.registry().snapshot();
            assertEquals(g2.dir(), restarted.dir(), "the newest generation is served");
            assertEquals(3, restarted.updatedCount(), "only the updates after the generation are held in memory");
            for (int i = 0; i < written.size(); i++) {
                assertEquals(last.get(i), lookup(server, written.get(i)).toString());
            }
            assertEquals(count, SearchHttp.count(server, "power", ""));
        } finally {
            server.close();
        }
    }

    @Test
    void foldStartsBySizeAndKeepsTheHeapsDeltaBounded() throws Exception {
        Path updates = Files.createTempDirectory("nser-fold-size");
        NserServer server = TestServer.start(TestServer.demoConfig().withUpdatesDir(updates).withFoldEvery(10));
        try {
            List<Long> ids = new ArrayList<>();
            for (long c : TestServer.headCnics(7, 61, 25)) {
                ids.add(lookup(server, c).get("household_id").asLong());
            }
            for (int i = 0; i < 60; i++) { // serially: each answered once applied, so the trigger has seen it
                assertEquals(200, patch(server, ids.get(i % ids.size()), 4000 + i).statusCode());
            }
            NserServer s = server;
            waitUntil(() -> !s.updates().folds().running());
            JsonNode status = TestServer.json(TestServer.get(server, UpdateRoutes.COMPACT, ADMIN));
            assertTrue(status.get("folds").asInt() >= 2, status.toString());
            assertEquals("done", status.get("state").asText(), status.toString());
            // a fold that caught up with as many changes as the trigger is followed by another at once
            assertTrue(server.registry().snapshot().updatedCount() < 10, status.toString());
            assertTrue(server.registry().snapshot().dir().startsWith(updates.resolve(Generations.DIR)));
        } finally {
            server.close();
        }
    }

    /** Starts a fold and waits until it is done; its status. */
    static JsonNode fold(NserServer server) throws Exception {
        HttpResponse<String> started = TestServer.send(server, "POST", UpdateRoutes.COMPACT, null, ADMIN);
        assertEquals(202, started.statusCode(), started.body());
        assertEquals("running", TestServer.json(started).get("state").asText(), started.body());
        long deadline = System.nanoTime() + 120_000_000_000L; // a hang guard, not a timed assertion
        while (System.nanoTime() < deadline) {
            HttpResponse<String> s = TestServer.get(server, UpdateRoutes.COMPACT, ADMIN);
            assertEquals(200, s.statusCode(), s.body());
            JsonNode j = TestServer.json(s);
            if (!j.get("state").asText().equals("running")) {
                return j;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the fold did not end");
    }

    /** The literacy table by district, as a Power caller sees it. */
    private static String stats(NserServer server) throws Exception {
        HttpResponse<String> r = TestServer.get(server, "/v1/stats?group_by=district&measure=literacy", POWER);
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static void waitUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L; // a hang guard; the assertions follow
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static void readUntilStopped(NserServer server, List<Long> cnics, List<String> expected,
                                         AtomicBoolean stop, AtomicInteger reads, Queue<String> wrong) {
        int i = 0;
        while (!stop.get()) {
            try {
                int k = i++ % cnics.size();
                String got = lookup(server, cnics.get(k)).toString();
                if (!got.equals(expected.get(k))) {
                    wrong.add("lookup " + k + ": " + got);
                }
                reads.incrementAndGet();
            } catch (Exception | AssertionError e) {
                wrong.add("lookup: " + e);
            }
        }
    }

    private static JsonNode lookup(NserServer server, long cnic) throws Exception {
        HttpResponse<String> r = TestServer.get(server, "/v1/households/by-cnic/" + Cnic.format(cnic), POWER);
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    private static HttpResponse<String> patch(NserServer server, long id, int phone) throws Exception {
        return TestServer.send(server, "PATCH", "/v1/households/" + id + "/members", PHONE.formatted(phone),
                POWER[0], POWER[1], "Content-Type", "application/json");
    }
}
