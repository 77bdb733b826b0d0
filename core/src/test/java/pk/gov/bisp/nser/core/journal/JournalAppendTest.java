package pk.gov.bisp.nser.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.core.journal.Journals.appendAll;
import static pk.gov.bisp.nser.core.journal.Journals.appendAndWait;
import static pk.gov.bisp.nser.core.journal.Journals.expected;
import static pk.gov.bisp.nser.core.journal.Journals.readAll;
import static pk.gov.bisp.nser.core.journal.Journals.readFrom;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pk.gov.bisp.nser.core.journal.Journals.Rec;

/** Appending, sequences across restarts, segment rolls and reading back, on real files. */
@Timeout(120) // a hang guard, not an assertion on time
class JournalAppendTest {

    @TempDir
    Path tmp;

    @Test
    void reopeningShouldContinueTheSequences() throws Exception {
        Path dir = tmp.resolve("j");
        try (Journal j = Journal.open(JournalOptions.defaults(dir))) {
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), appendAll(j, 10, 50));
        }
        try (Journal j = Journal.open(JournalOptions.defaults(dir))) {
            RecoveryReport r = j.recovery();
            assertTrue(r.clean(), r.toString());
            assertEquals(10, r.records());
            assertEquals(10, r.lastSequence());
            assertEquals(11, r.nextSequence());
            assertEquals(10, j.writtenSequence());
            assertEquals(11, appendAndWait(j, 3, "after restart"));
        }
        List<Rec> all = readAll(dir);
        assertEquals(11, all.size());
        assertEquals(expected(1, 10, 50), all.subList(0, 10));
        assertEquals(new Rec(11, 3, "after restart"), all.get(10));
    }

    @Test
    void segmentsShouldRollAtTheConfiguredSizeAndReadingShouldCrossThem() throws Exception {
        Path dir = tmp.resolve("j");
        JournalOptions o = JournalOptions.defaults(dir).withSegmentBytes(4096);
        Journals.write(o, 100, 100); // frames of 118 bytes: 34 fit after the 32-byte header
        assertEquals(List.of("journal-0000000000000001.seg", "journal-0000000000000035.seg",
                "journal-0000000000000069.seg"), fileNames(dir));
        assertEquals(32 + 34 * 118, Files.size(dir.resolve("journal-0000000000000001.seg")));
        assertEquals(32 + 34 * 118, Files.size(dir.resolve("journal-0000000000000035.seg")));
        assertEquals(32 + 32 * 118, Files.size(dir.resolve("journal-0000000000000069.seg")));
        assertEquals(expected(1, 100, 100), readAll(dir));
        assertEquals(expected(1, 100, 100).subList(49, 100), readFrom(dir, 50));
        ReadReport report = JournalReader.read(dir, 50, (s, k, d, off, len) -> { });
        assertEquals(51, report.records());
        assertEquals(100, report.lastSequence());
        assertEquals(2, report.segments()); // the first segment ends before 50 and is skipped
    }

    /** Gather windows: none (block at once) and the server's default. */
    @ParameterizedTest
    @ValueSource(longs = {0, 300})
    void manyThreadsShouldEachGetEveryCompletionOnceWithUniqueIncreasingSequences(long gatherMicros) throws Exception {
        Journals.appendFromThreads(JournalOptions.defaults(tmp.resolve("j")).withRingSize(256)
                .withSegmentBytes(64 << 10).withGatherMicros(gatherMicros), 8, 3_000, 0);
    }

    /**
     * A record appended while the journal thread gathers, goes to sleep or sleeps must be taken: with no fsync
     * interval there is no timeout to wake it, so a lost wake-up would hang here (until the class's time-out).
     * Bursts of up to 40 records with short pauses make it gather; single records with longer pauses make it block.
     */
    @ParameterizedTest
    @ValueSource(longs = {0, 50, 300})
    void everyRecordShouldBeTakenWhateverTheJournalThreadIsDoing(long gatherMicros) throws Exception {
        Path dir = tmp.resolve("j");
        java.util.Random random = new java.util.Random(gatherMicros);
        long expected = 0;
        try (Journal j = Journal.open(JournalOptions.defaults(dir).withFsyncIntervalMicros(0)
                .withGatherMicros(gatherMicros))) {
            for (int step = 0; step < 400; step++) {
                boolean burst = (step / 50) % 2 == 0;
                int n = burst ? 1 + random.nextInt(40) : 1;
                List<Long> sequences = appendAll(j, n, 30);
                for (long s : sequences) {
                    assertEquals(++expected, s);
                }
                long pause = burst ? random.nextInt(200) : random.nextInt(2 * (int) gatherMicros + 100);
                java.util.concurrent.locks.LockSupport.parkNanos(pause * 1_000); // before, in or after the window
            }
        }
        assertEquals(expected, readAll(dir).size());
    }

    @Test
    void aGatherWindowOutsideItsRangeShouldBeRefusedNamingTheSetting() {
        Path dir = tmp.resolve("j");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JournalOptions.defaults(dir).withGatherMicros(-1));
        assertEquals("journal.gatherMicros=-1: must be 0 to 10000", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JournalOptions.defaults(dir).withGatherMicros(10_001));
        assertEquals("journal.gatherMicros=10001: must be 0 to 10000", e.getMessage());
    }

    @Test
    void readingWhileTheJournalIsOpenShouldSeeEveryWrittenRecord() throws Exception {
        Path dir = tmp.resolve("j");
        try (Journal j = Journal.open(JournalOptions.defaults(dir).withSegmentBytes(4096))) {
            appendAll(j, 20, 300);
            assertEquals(expected(1, 20, 300), readAll(dir));
            appendAll(j, 20, 300);
            ReadReport r = JournalReader.read(dir, (s, k, d, off, len) -> { });
            assertEquals(40, r.records());
            assertEquals(0, r.tailBytes());
            assertTrue(r.damage().isEmpty());
        }
    }

    @Test
    void badArgumentsShouldBeRefusedNamingTheSetting() {
        Path dir = tmp.resolve("j");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JournalOptions.defaults(dir).withRingSize(1000));
        assertEquals("journal.ringSize=1000: must be a power of two", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JournalOptions.defaults(dir).withSegmentBytes(100));
        assertEquals("journal.segmentBytes=100: must be at least 4096", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JournalOptions.defaults(dir).withFsyncIntervalMicros(-1));
        assertTrue(e.getMessage().startsWith("journal.fsyncIntervalMicros=-1"));
        assertEquals(4096 - 32 - 18, JournalOptions.defaults(dir).withSegmentBytes(4096).maxPayload());
        assertEquals((16 << 20) - 18, JournalOptions.defaults(dir).maxPayload());
    }

    @Test
    void recordsTooLargeOrOfAnUnknownKindShouldBeRefused() throws Exception {
        try (Journal j = Journal.open(JournalOptions.defaults(tmp.resolve("j")).withSegmentBytes(4096))) {
            byte[] big = new byte[4096];
            Journals.Future f = new Journals.Future();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> j.append(1, big, 0, 4096, f));
            assertEquals("length=4096 above the largest payload 4046", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> j.append(65_536, big, 0, 1, f));
            assertEquals("kind=65536 outside 0..65535", e.getMessage());
            assertEquals(1, appendAndWait(j, 65_535, ""));
        }
    }

    @Test
    void appendAndWaitShouldGiveTheSequenceOnceWrittenAndAnIoExceptionWhenTheJournalRefuses() throws Exception {
        Journal j = Journal.open(JournalOptions.defaults(tmp.resolve("j")));
        assertEquals(1, j.appendAndWait(4, new byte[] {1, 2, 3}, 60_000));
        assertEquals(2, j.appendAndWait(4, new byte[0], 60_000));
        j.close();
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> j.appendAndWait(4, new byte[1], 60_000));
        assertTrue(e.getMessage().contains("the record was not written"), e.getMessage());
        assertEquals(List.of(new Rec(1, 4, "\u0001\u0002\u0003"), new Rec(2, 4, "")), readAll(tmp.resolve("j")));
    }

    /** The segment files (the directory also holds journal.lock). */
    private static List<String> fileNames(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void aSecondJournalOnTheSameDirectoryShouldBeRefusedUntilTheFirstCloses() throws Exception {
        Path dir = Files.createTempDirectory("nser-journal-lock");
        try (Journal first = Journal.open(JournalOptions.defaults(dir))) {
            java.io.IOException e = assertThrows(java.io.IOException.class,
                    () -> Journal.open(JournalOptions.defaults(dir)));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
            assertTrue(first.recovery().clean());
        }
        try (Journal again = Journal.open(JournalOptions.defaults(dir))) {
            assertEquals(0, again.writtenSequence());
        }
    }
}
