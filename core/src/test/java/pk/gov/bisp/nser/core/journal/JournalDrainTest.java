package pk.gov.bisp.nser.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.core.journal.Journals.expected;
import static pk.gov.bisp.nser.core.journal.Journals.readAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.core.journal.Journals.Rec;

/**
 * Producers that write for the journal themselves ({@link Journal#appendQuietly}, {@link Journal#drain}), as the
 * server's event loops do: on real files, read back after.
 */
@Timeout(120) // a hang guard, not an assertion on time
class JournalDrainTest {

    @TempDir
    Path tmp;

    /**
     * Group commit with an interval longer than the test: the journal thread, never timing out, wakes only when
     * handed work, so which thread wrote a record is certain.
     */
    private static JournalOptions quiet(Path dir) {
        return JournalOptions.defaults(dir).withFsyncIntervalMicros(3_600_000_000L);
    }

    /**
     * Until the journal thread waits for work (it takes whatever it finds published while it runs, so which thread
     * writes a record is only certain while it waits).
     */
    private static void awaitJournalThreadWaiting() {
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("nser-journal")
                && t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING)) {
            Thread.onSpinWait();
        }
    }

    /** A completion that remembers the thread it ran on. */
    private static final class OnThread extends Journals.Future {
        volatile Thread thread;

        @Override
        public void written(long sequence) {
            thread = Thread.currentThread();
            super.written(sequence);
        }
    }

    @Test
    void aDrainShouldWriteAndCompleteTheRecordOnTheCallingThreadBeforeItReturns() throws Exception {
        Path dir = tmp.resolve("j");
        List<OnThread> done = new ArrayList<>();
        try (Journal j = Journal.open(quiet(dir).withGatherMicros(300))) {
            assertTrue(j.drains());
            awaitJournalThreadWaiting();
            for (int i = 0; i < 50; i++) {
                byte[] b = Journals.bytes(Journals.payload(i, 100));
                OnThread f = new OnThread();
                j.appendQuietly(i % 3, b, 0, b.length, f);
                done.add(f);
                if (i % 10 == 9) { // ten records a drain, as an event loop's turn brings several
                    j.drain();
                    for (OnThread d : done) {
                        assertTrue(d.isDone(), "completed before drain returned");
                        assertSame(Thread.currentThread(), d.thread, "completed on the draining thread");
                    }
                    assertEquals(i + 1, j.writtenSequence());
                }
            }
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(i + 1L, done.get(i).join());
        }
        List<Rec> all = readAll(dir);
        assertEquals(50, all.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(new Rec(i + 1, i % 3, Journals.payload(i, 100)), all.get(i));
        }
    }

    @Test
    void aRecordAppendedQuietlyThatNobodyDrainsShouldStillBeWrittenByClose() throws Exception {
        Path dir = tmp.resolve("j");
        Journals.Future f = new Journals.Future();
        try (Journal j = Journal.open(JournalOptions.defaults(dir))) {
            byte[] b = Journals.bytes("left behind");
            j.appendQuietly(7, b, 0, b.length, f);
        }
        assertEquals(1L, f.join());
        assertEquals(List.of(new Rec(1, 7, "left behind")), readAll(dir));
    }

    @Test
    void withAnFsyncEveryBatchCallersShouldNotWriteAndQuietAppendsShouldStillBeTaken() throws Exception {
        Path dir = tmp.resolve("j");
        try (Journal j = Journal.open(JournalOptions.defaults(dir).withFsyncIntervalMicros(0))) {
            assertFalse(j.drains());
            OnThread f = new OnThread();
            byte[] b = Journals.bytes("fsynced");
            j.appendQuietly(1, b, 0, b.length, f);
            j.drain(); // a no-op here: the journal thread takes it, fsyncs, then completes it
            assertEquals(1L, f.join());
            assertEquals("nser-journal", f.thread.getName());
            assertEquals(1, j.syncedSequence(), "fsynced before it completed");
        }
    }

    /**
     * A drain never rolls a segment: it writes up to the record that needs a new one and leaves the rest to the
     * journal thread, which rolls and takes it. Segments hold 34 of these records; every one is written once.
     */
    @Test
    void aDrainShouldLeaveTheSegmentRollToTheJournalThread() throws Exception {
        Path dir = tmp.resolve("j");
        List<OnThread> done = new ArrayList<>();
        try (Journal j = Journal.open(quiet(dir).withSegmentBytes(4096))) {
            awaitJournalThreadWaiting();
            for (int i = 0; i < 100; i++) {
                byte[] b = Journals.bytes(Journals.payload(i, 100));
                OnThread f = new OnThread();
                j.appendQuietly(7, b, 0, b.length, f); // the kind Journals.expected gives
                done.add(f);
                j.drain();
                if (i == 34 || i == 68) { // handed over: let the journal thread roll, take it and wait again
                    f.join();
                    awaitJournalThreadWaiting();
                }
            }
            for (int i = 0; i < 100; i++) {
                String who = done.get(i).join() > 0 ? done.get(i).thread.getName() : null;
                assertEquals(i == 34 || i == 68 ? "nser-journal" : Thread.currentThread().getName(), who,
                        "record " + i + " (34 and 68 begin the second and third segments)");
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("journal-0000000000000001.seg", "journal-0000000000000035.seg",
                    "journal-0000000000000069.seg"), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".seg")).sorted().toList());
        }
        assertEquals(expected(1, 100, 100), readAll(dir));
    }

    /**
     * Threads that append quietly and drain after every few records, racing each other and the journal thread
     * (small ring, small segments): every record is completed exactly once, completions run in sequence order,
     * each thread's records keep their order, and the files hold exactly what was appended.
     */
    @Test
    void racingDrainersShouldWriteEveryRecordOnceInSequenceOrder() throws Exception {
        Set<Thread> completers = Journals.appendFromThreads(JournalOptions.defaults(tmp.resolve("j"))
                .withRingSize(256).withSegmentBytes(64 << 10).withGatherMicros(300), 4, 5_000, 5);
        assertTrue(completers.stream().filter(t -> t.getName().startsWith("appender-")).count() >= 2,
                "drainers wrote records: " + completers);
    }
}
