package pk.gov.bisp.nser.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.core.journal.Journals.appendAll;
import static pk.gov.bisp.nser.core.journal.Journals.bytes;
import static pk.gov.bisp.nser.core.journal.Journals.readAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Group commit, a full ring and closing: when records are durable, and that no completion is ever lost. */
@Timeout(120) // a hang guard, not an assertion on time
class JournalDurabilityTest {

    @TempDir
    Path tmp;

    @Test
    void withIntervalZeroEveryCompletedRecordShouldAlreadyBeFsynced() throws Exception {
        try (Journal j = Journal.open(JournalOptions.defaults(tmp).withFsyncIntervalMicros(0))) {
            AtomicLong lagging = new AtomicLong();
            for (int round = 0; round < 5; round++) {
                List<Journals.Future> fs = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    Journals.Future f = new Journals.Future() {
                        @Override
                        public void written(long sequence) {
                            if (j.syncedSequence() < sequence) {
                                lagging.incrementAndGet();
                            }
                            super.written(sequence);
                        }
                    };
                    byte[] b = bytes("round " + round + " record " + i);
                    j.append(1, b, 0, b.length, f);
                    fs.add(f);
                }
                fs.forEach(Journals.Future::join);
                assertEquals(10L * (round + 1), j.writtenSequence());
                assertEquals(j.writtenSequence(), j.syncedSequence());
            }
            assertEquals(0, lagging.get(), "completions that ran before their record was fsynced");
        }
    }

    @Test
    void anIdleJournalShouldFsyncAfterTheIntervalAlsoWhenItGathers() throws Exception {
        try (Journal j = Journal.open(JournalOptions.defaults(tmp).withFsyncIntervalMicros(20_000)
                .withGatherMicros(300))) {
            for (int round = 1; round <= 3; round++) {
                appendAll(j, 5, 100);
                assertEquals(5L * round, j.writtenSequence());
                while (j.syncedSequence() < j.writtenSequence()) { // no more records come: the wait times out
                    Thread.sleep(1);
                }
                assertEquals(5L * round, j.syncedSequence());
            }
        }
    }

    /**
     * Small segments and a 50 µs group commit: the syncer fsyncs while the journal thread writes, rolls and
     * completes. Nothing is lost, nothing is completed twice, and at close every record is fsynced.
     */
    @Test
    void rollsWhileTheSyncerFsyncsShouldLoseNothing() throws Exception {
        Journal j = Journal.open(JournalOptions.defaults(tmp).withSegmentBytes(8192).withFsyncIntervalMicros(50));
        List<Thread> producers = new ArrayList<>();
        AtomicLong syncedBackwards = new AtomicLong();
        for (int t = 0; t < 4; t++) {
            producers.add(new Thread(() -> {
                long lastSynced = 0;
                for (int round = 0; round < 50; round++) {
                    appendAll(j, 20, 150);
                    long now = j.syncedSequence();
                    if (now < lastSynced) {
                        syncedBackwards.incrementAndGet();
                    }
                    lastSynced = now;
                }
            }));
        }
        producers.forEach(Thread::start);
        for (Thread p : producers) {
            p.join();
        }
        assertEquals(4_000, j.writtenSequence());
        j.close();
        assertEquals(4_000, j.syncedSequence());
        assertEquals(0, syncedBackwards.get(), "the fsynced sequence went back");
        List<Journals.Rec> all = readAll(tmp);
        assertEquals(4_000, all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1L, all.get(i).sequence());
        }
        try (var files = Files.list(tmp)) {
            assertTrue(files.filter(f -> f.toString().endsWith(".seg")).count() > 50, "it rolled");
        }
    }

    @Test
    void withALongIntervalCloseShouldStillFsync() throws Exception {
        Journal j = Journal.open(JournalOptions.defaults(tmp).withFsyncIntervalMicros(3_600_000_000L));
        appendAll(j, 25, 300);
        assertEquals(25, j.writtenSequence());
        assertEquals(0, j.syncedSequence(), "no fsync before the interval has passed");
        j.close();
        assertEquals(25, j.syncedSequence());
        assertEquals(Journals.expected(1, 25, 300), readAll(tmp));
    }

    @Test
    void aFullRingShouldFailTheAppendAtOnceAndTheJournalShouldGoOn() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Journal j = Journal.open(JournalOptions.defaults(tmp).withRingSize(4))) {
            Journals.Future blocker = new Journals.Future() {
                @Override
                public void written(long sequence) {
                    entered.countDown();
                    awaitQuietly(release); // holds the journal thread: nothing appended from now on is taken
                    super.written(sequence);
                }
            };
            j.append(1, bytes("a"), 0, 1, blocker);
            entered.await(); // "a" is written and its slot free before it is told
            List<Journals.Future> queued = new ArrayList<>();
            for (String p : new String[] {"b", "c", "d", "e"}) {
                Journals.Future f = new Journals.Future();
                j.append(1, bytes(p), 0, 1, f);
                assertNull(f.failure());
                queued.add(f);
            }
            Journals.Future rejected = new Journals.Future();
            j.append(1, bytes("x"), 0, 1, rejected);
            assertInstanceOf(JournalFullException.class, rejected.failure());
            release.countDown();
            assertEquals(1, blocker.join());
            assertEquals(List.of(2L, 3L, 4L, 5L), queued.stream().map(Journals.Future::join).toList());
            assertEquals(6, Journals.appendAndWait(j, 1, "f")); // told "e" is written, its slot is free again
        }
        assertEquals(List.of("a", "b", "c", "d", "e", "f"),
                readAll(tmp).stream().map(Journals.Rec::payload).toList());
    }

    @Test
    void appendsAfterCloseShouldFail() throws Exception {
        Journal j = Journal.open(JournalOptions.defaults(tmp));
        j.close();
        Journals.Future f = new Journals.Future();
        j.append(1, bytes("late"), 0, 4, f);
        assertInstanceOf(JournalClosedException.class, f.failure());
        j.close(); // twice is fine
    }

    @Test
    void closingWhileThreadsAppendShouldCompleteEveryRecordExactlyOnce() throws Exception {
        Journal j = Journal.open(JournalOptions.defaults(tmp).withRingSize(64));
        AtomicInteger written = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger appended = new AtomicInteger();
        AtomicInteger twice = new AtomicInteger();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            producers.add(new Thread(() -> {
                boolean closed = false;
                while (!closed) {
                    AtomicInteger calls = new AtomicInteger();
                    Journals.Future f = new Journals.Future() {
                        @Override
                        public void written(long sequence) {
                            count(calls, written, twice);
                        }

                        @Override
                        public void failed(Throwable cause) {
                            count(calls, failed, twice);
                            super.failed(cause);
                        }
                    };
                    appended.incrementAndGet();
                    j.append(2, bytes("x"), 0, 1, f);
                    closed = f.failure() instanceof JournalClosedException;
                }
            }));
        }
        producers.forEach(Thread::start);
        while (j.writtenSequence() < 2_000) {
            Thread.onSpinWait();
        }
        j.close();
        for (Thread t : producers) {
            t.join();
        }
        assertEquals(0, twice.get());
        assertEquals(appended.get(), written.get() + failed.get(), "every append completed once");
        assertEquals(written.get(), j.writtenSequence());
        assertEquals(written.get(), readAll(tmp).size());
    }

    private static void count(AtomicInteger calls, AtomicInteger kind, AtomicInteger twice) {
        if (calls.incrementAndGet() > 1) {
            twice.incrementAndGet();
        }
        kind.incrementAndGet();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
