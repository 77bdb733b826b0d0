package pk.gov.bisp.nser.server.update;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Generations;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotVerifier;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.ServerProcess;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.update.ContactUpdates.Sent;

/**
 * Issue 29: a server process folding its updates into generations (every 40 changed households, so a fold runs
 * most of the time) while clients update is killed with SIGKILL in the middle of a fold; restarted, it serves a
 * whole generation (or the base), every acknowledged update is there exactly once, the indexes agree with the
 * records, and nothing of the interrupted fold is left on disk.
 */
class FoldKillNineTest {

    private static final int CLIENTS = 4;
    private static final int PER_CLIENT = 30;

    @Test
    void killNineDuringAFoldLosesNothingAndRestarts() throws Exception {
        Path updates = Files.createTempDirectory("nser-fold-kill9-updates");
        Path journal = Files.createTempDirectory("nser-fold-kill9-journal");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ServerProcess server = ServerProcess.start(http, "--journal", journal.toString(), "--updates",
                updates.toString(), "--fold-every", "40");
        List<Sent> sent = households();
        AtomicInteger acks = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Queue<String> refused = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        String status = "";
        try {
            for (int t = 0; t < CLIENTS; t++) {
                List<Sent> mine = sent.subList(t * PER_CLIENT, (t + 1) * PER_CLIENT);
                Thread c = new Thread(() -> ContactUpdates.updateUntilStopped(http, server, mine, stop, acks, refused));
                c.start();
                clients.add(c);
            }
            long deadline = System.nanoTime() + 120_000_000_000L; // a hang guard: fails below instead
            // at least two folds done, then killed while the next one runs
            while (server.alive() && refused.isEmpty() && System.nanoTime() < deadline) {
                status = get(http, server, "/admin/compact");
                if (status.contains("\"state\":\"running\"") && folds(status) >= 2 && acks.get() >= 300) {
                    break;
                }
                Thread.sleep(2);
            }
            server.kill();
        } finally {
            stop.set(true);
            server.kill();
            for (Thread c : clients) {
                c.join(10_000);
            }
        }
        assertEquals(List.of(), List.copyOf(refused), "updates refused before the kill");
        assertTrue(status.contains("\"state\":\"running\"") && folds(status) >= 2, "killed during a fold, after two: "
                + status + "\n" + Files.readString(server.output));
        NserServer restarted = TestServer.start(TestServer.demoConfig().withUpdatesDir(updates).withFoldEvery(0),
                server.snapshot);
        try {
            Snapshot s = restarted.registry().snapshot();
            assertEquals(Generations.serve(server.snapshot, updates), s.dir());
            assertTrue(s.dir().startsWith(updates.resolve(Generations.DIR)), "a generation is served: " + s.dir());
            try (Stream<Path> left = Files.list(updates.resolve(Generations.DIR))) {
                assertEquals(List.of(s.dir()), left.toList(), "only the generation served is left");
            }
            HouseholdRecord r = new HouseholdRecord();
            List<String> wrong = new ArrayList<>();
            for (Sent x : sent) {
                assertTrue(s.read(s.ordinalOfHouseholdId(x.householdId()), r));
                int applied = (int) r.recordVersion() - 1;
                if (applied < x.acked().get() || applied > x.phones().size()) {
                    wrong.add(x.householdId() + ": version " + r.recordVersion() + " but " + x.acked().get()
                            + " acknowledged of " + x.phones().size() + " sent");
                } else if (applied > 0 && r.phone() != x.phones().get(applied - 1)) {
                    wrong.add(x.householdId() + ": phone " + r.phone() + " is not the one sent as version "
                            + r.recordVersion());
                }
            }
            assertEquals(List.of(), wrong, "acknowledged updates after kill -9 during a fold and restart");
            assertEquals(List.of(), SnapshotVerifier.verify(s, n -> { }), "indexes agree with records");
        } finally {
            restarted.close();
        }
    }

    private static int folds(String status) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"folds\":(\\d+)").matcher(status);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String get(HttpClient http, ServerProcess server, String path) {
        try {
            return http.send(HttpRequest.newBuilder(server.base.resolve(path))
                    .header("Authorization", "Bearer demo-admin-key").timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException | InterruptedException e) {
            return "";
        }
    }

    private static List<Sent> households() throws Exception {
        return ContactUpdates.households(CLIENTS * PER_CLIENT, 1000, 11);
    }
}
