package pk.gov.bisp.nser.server.update;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotVerifier;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.ServerProcess;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.update.ContactUpdates.Sent;

/**
 * The durability proof of issue 6: a server process taking concurrent updates is killed with SIGKILL; after a
 * restart every acknowledged update is there, none is applied twice, and the indexes agree with the records.
 */
class UpdateKillNineTest {

    private static final int CLIENTS = 6;
    private static final int PER_CLIENT = 40;

    @Test
    void everyAcknowledgedUpdateSurvivesKillNineExactlyOnce() throws Exception {
        Path updates = Files.createTempDirectory("nser-kill9-updates");
        Path journal = Files.createTempDirectory("nser-kill9-journal");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ServerProcess server = ServerProcess.start(http, "--journal", journal.toString(), "--updates",
                updates.toString());
        List<Sent> sent = households();
        AtomicInteger acks = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Queue<String> refused = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        try {
            for (int t = 0; t < CLIENTS; t++) {
                List<Sent> mine = sent.subList(t * PER_CLIENT, (t + 1) * PER_CLIENT);
                Thread c = new Thread(() -> ContactUpdates.updateUntilStopped(http, server, mine, stop, acks, refused));
                c.start();
                clients.add(c);
            }
            long deadline = System.nanoTime() + 120_000_000_000L; // a hang guard: fails below instead
            while (acks.get() < 600 && server.alive() && refused.isEmpty() && System.nanoTime() < deadline
                    && clients.stream().anyMatch(Thread::isAlive)) {
                Thread.sleep(5);
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
        assertTrue(acks.get() >= 600, "updates acknowledged before the kill: " + acks.get() + "\n"
                + Files.readString(server.output));
        // over the killed server's own snapshot, alone with it in this JVM: a reader's lock left in it is cleared
        NserServer restarted = TestServer.start(TestServer.demoConfig().withUpdatesDir(updates), server.snapshot);
        try {
            Snapshot s = restarted.registry().snapshot();
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
            assertEquals(List.of(), wrong, "acknowledged updates after kill -9 and restart");
            assertEquals(List.of(), SnapshotVerifier.verify(s, n -> { }), "indexes agree with records");
        } finally {
            restarted.close();
        }
    }

    private static List<Sent> households() throws Exception {
        return ContactUpdates.households(CLIENTS * PER_CLIENT, 3000, 7);
    }
}
