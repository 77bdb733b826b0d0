package pk.gov.bisp.nser.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static pk.gov.bisp.nser.core.journal.Journals.appendAll;
import static pk.gov.bisp.nser.core.journal.Journals.expected;
import static pk.gov.bisp.nser.core.journal.Journals.readAll;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's side of the segments ({@link SegmentSpace}): fsynced pages leave the page cache
 * ({@link JournalOptions#releaseSyncedPages}) and a segment's blocks are reserved while it is written and trimmed to
 * its size when it is done ({@link JournalOptions#reserveSegments}), with the records unchanged. Residency is read
 * with {@code mincore} ({@link MappedByteBuffer#isLoaded} of one page at a time), which maps nothing in; allocated
 * blocks with {@code stat}. With each option off the test sees the other state, which shows its check can tell.
 */
@Timeout(120) // a hang guard, not an assertion on time
class JournalSegmentSpaceTest {

    private static final int PAGE = 4096;
    private static final int RECORDS = 16_000;
    private static final int SIZE = 500; // 518-byte frames: about 8 MB

    @TempDir
    Path tmp;

    @Test
    void fsyncedPagesShouldLeaveThePageCacheWhileTheRecordsStayReadable() throws Exception {
        assumeTrue(SegmentSpace.AVAILABLE, "fallocate and posix_fadvise are not bound here");
        Path dir = tmp.resolve("j");
        try (Journal j = Journal.open(JournalOptions.defaults(dir).withFsyncIntervalMicros(1_000))) {
            appendAll(j, RECORDS, SIZE);
            awaitSynced(j);
            Path seg = dir.resolve("journal-0000000000000001.seg");
            long size = Files.size(seg);
            // released in steps of at least 4 MiB after each fsync: everything but the last step and page is gone
            int settled = (int) ((size - JournalOptions.RELEASE_STEP_BYTES) / PAGE) - 1;
            assertTrue(settled > 512, "wrote " + size + " bytes");
            assertEquals(0, resident(seg, 0, settled), "fsynced pages still in the page cache");
        }
        assertEquals(expected(1, RECORDS, SIZE), readAll(dir));
    }

    @Test
    void withoutReleasingTheSamePagesShouldStayInThePageCache() throws Exception {
        Path dir = tmp.resolve("j");
        JournalOptions o = JournalOptions.defaults(dir).withFsyncIntervalMicros(1_000).withReleaseSyncedPages(false);
        try (Journal j = Journal.open(o)) {
            appendAll(j, RECORDS, SIZE);
            awaitSynced(j);
            Path seg = dir.resolve("journal-0000000000000001.seg");
            int settled = (int) ((Files.size(seg) - JournalOptions.RELEASE_STEP_BYTES) / PAGE) - 1;
            // nearly all: the kernel may still evict a few under memory pressure (a CI run saw 991 of 998), where
            // releasing leaves none
            int kept = resident(seg, 0, settled);
            assertTrue(kept >= settled * 9 / 10, kept + " of " + settled + " pages in the page cache");
        }
        assertEquals(expected(1, RECORDS, SIZE), readAll(dir));
    }

    @Test
    void rolledSegmentsAndAClosedJournalShouldLeaveNothingInThePageCache() throws Exception {
        assumeTrue(SegmentSpace.AVAILABLE, "fallocate and posix_fadvise are not bound here");
        Path dir = tmp.resolve("j");
        JournalOptions o = JournalOptions.defaults(dir).withSegmentBytes(1 << 20);
        List<Path> segments;
        try (Journal j = Journal.open(o)) {
            appendAll(j, RECORDS, SIZE);
            awaitSynced(j);
            segments = segments(dir);
            assertEquals(8, segments.size(), segments.toString());
            for (Path seg : segments.subList(0, segments.size() - 1)) { // fsynced whole when they rolled
                assertEquals(0, resident(seg, 0, pages(seg)), seg + ": pages still in the page cache");
            }
        }
        Path last = segments.get(segments.size() - 1);
        assertEquals(0, resident(last, 0, pages(last)), "the last segment after close");
        assertEquals(expected(1, RECORDS, SIZE), readAll(dir));
    }

    @Test
    void theSegmentBeingWrittenShouldHaveItsBlocksReservedAndADoneOneOnlyWhatItHolds() throws Exception {
        assumeTrue(SegmentSpace.AVAILABLE, "fallocate and posix_fadvise are not bound here");
        Path dir = tmp.resolve("j");
        try (Journal j = Journal.open(JournalOptions.defaults(dir).withSegmentBytes(1 << 20))) {
            appendAll(j, RECORDS, SIZE);
            awaitSynced(j);
            List<Path> segments = segments(dir);
            Path active = segments.get(segments.size() - 1);
            assertTrue(Files.size(active) < 1 << 20);
            assertTrue(allocated(active) >= 1 << 20, active + ": " + allocated(active) + " bytes allocated");
            for (Path seg : segments.subList(0, segments.size() - 1)) {
                assertHoldsWhatIsWritten(seg, ": reservation not given back");
            }
        }
        for (Path seg : segments(dir)) {
            assertHoldsWhatIsWritten(seg, " after close");
        }
        assertEquals(expected(1, RECORDS, SIZE), readAll(dir));
    }

    @Test
    void withoutReservingTheSegmentBeingWrittenShouldHoldOnlyWhatIsWritten() throws Exception {
        assumeTrue(stat(tmp) >= 0, "no stat command");
        Path dir = tmp.resolve("j");
        JournalOptions o = JournalOptions.defaults(dir).withSegmentBytes(1 << 20).withReserveSegments(false);
        try (Journal j = Journal.open(o)) {
            appendAll(j, RECORDS, SIZE);
            awaitSynced(j); // the fsync allocated what was written
            List<Path> segments = segments(dir);
            Path active = segments.get(segments.size() - 1);
            assertHoldsWhatIsWritten(active, "");
        }
    }

    @Test
    void aSegmentLeftWithReservedBlocksBeyondItsEndShouldRecoverCleanlyAndBeTrimmedOnClose() throws Exception {
        assumeTrue(SegmentSpace.AVAILABLE, "fallocate and posix_fadvise are not bound here");
        Path dir = tmp.resolve("j");
        JournalOptions o = JournalOptions.defaults(dir);
        Journals.write(o, 100, SIZE);
        Path seg = dir.resolve("journal-0000000000000001.seg");
        long size = Files.size(seg);
        SegmentSpace.of(seg, 4 << 20).close(); // as a killed process leaves its segment
        assertTrue(allocated(seg) >= 4 << 20);
        assertEquals(size, Files.size(seg));
        try (Journal j = Journal.open(o)) {
            RecoveryReport r = j.recovery();
            assertTrue(r.clean(), r.toString());
            assertEquals(0, r.truncatedBytes());
            assertEquals(100, r.records());
            appendAll(j, 10, SIZE);
        }
        assertEquals(size + 10 * (JournalLayout.FRAME_HEADER_SIZE + SIZE), Files.size(seg));
        assertHoldsWhatIsWritten(seg, "");
        List<Journals.Rec> all = readAll(dir);
        assertEquals(110, all.size());
        assertEquals(expected(1, 100, SIZE), all.subList(0, 100));
    }

    /**
     * The file holds the pages of what is written and no reservation beyond them. ext4 counts an extent tree's
     * block in the file's blocks when the file came out in more than four extents (on a fragmented disk, as CI's
     * was beside a 30 GB endurance run: 4 KiB more), so up to {@link #EXTENT_BLOCKS} such blocks are allowed; a
     * reservation left in place is a whole segment (1 MiB) or more.
     */
    private static void assertHoldsWhatIsWritten(Path file, String what) throws IOException, InterruptedException {
        long written = roundUp(Files.size(file));
        long allocated = allocated(file);
        assertTrue(allocated >= written && allocated <= written + EXTENT_BLOCKS * PAGE,
                file + what + ": " + allocated + " bytes allocated for " + written + " written");
    }

    /** Extent-tree blocks a file may hold beyond its data (see {@link #assertHoldsWhatIsWritten}). */
    private static final int EXTENT_BLOCKS = 4;

    private static long roundUp(long size) {
        return (size + PAGE - 1) / PAGE * PAGE;
    }

    /** The bytes of disk the file holds ({@code stat %b}, 512-byte blocks). */
    private static long allocated(Path file) throws IOException, InterruptedException {
        long blocks = stat(file);
        assertTrue(blocks >= 0, "stat " + file);
        return blocks * 512;
    }

    private static long stat(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        return p.waitFor() == 0 && out.matches("\\d+") ? Long.parseLong(out) : -1;
    }

    /** Waits until the syncer has made every written record durable (it does when the journal goes idle). */
    private static void awaitSynced(Journal j) throws InterruptedException {
        while (j.syncedSequence() < j.writtenSequence()) {
            Thread.sleep(5);
        }
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }

    private static int pages(Path file) throws IOException {
        return (int) ((Files.size(file) + PAGE - 1) / PAGE);
    }

    /** How many of the file's pages [first, first + count) are in the page cache. */
    private static int resident(Path file, int first, int count) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = Math.min((long) (first + count) * PAGE, ch.size()) - (long) first * PAGE;
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, (long) first * PAGE, length);
            int n = 0;
            for (int p = 0; p < count; p++) {
                int len = (int) Math.min(PAGE, length - (long) p * PAGE);
                if (m.slice(p * PAGE, len).isLoaded()) {
                    n++;
                }
            }
            return n;
        }
    }
}
