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
 * Fsynced journal pages leave the page cache ({@link JournalOptions#releaseSyncedPages}). Residency is read with
 * {@code mincore} ({@link MappedByteBuffer#isLoaded} of one page at a time), which maps nothing in; with the option
 * off the same pages are resident, which shows the check sees them.
 */
@Timeout(120) // a hang guard, not an assertion on time
class JournalPageCacheTest {

    private static final int PAGE = 4096;
    private static final int RECORDS = 8_000;
    private static final int SIZE = 500; // 518-byte frames: about 4 MB

    @TempDir
    Path tmp;

    @Test
    void fsyncedPagesShouldLeaveThePageCacheWhileTheRecordsStayReadable() throws Exception {
        assumeTrue(PageCache.AVAILABLE, "posix_fadvise is not available here");
        Path dir = tmp.resolve("j");
        try (Journal j = Journal.open(JournalOptions.defaults(dir).withFsyncIntervalMicros(1_000))) {
            appendAll(j, RECORDS, SIZE);
            awaitSynced(j);
            Path seg = dir.resolve("journal-0000000000000001.seg");
            long size = Files.size(seg);
            // released in steps of at least 1 MiB after each fsync: everything but the last step and page is gone
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
            assertEquals(settled, resident(seg, 0, settled));
        }
        assertEquals(expected(1, RECORDS, SIZE), readAll(dir));
    }

    @Test
    void rolledSegmentsAndAClosedJournalShouldLeaveNothingInThePageCache() throws Exception {
        assumeTrue(PageCache.AVAILABLE, "posix_fadvise is not available here");
        Path dir = tmp.resolve("j");
        JournalOptions o = JournalOptions.defaults(dir).withSegmentBytes(1 << 20);
        List<Path> segments;
        try (Journal j = Journal.open(o)) {
            appendAll(j, RECORDS, SIZE);
            awaitSynced(j);
            segments = segments(dir);
            assertEquals(4, segments.size(), segments.toString());
            for (Path seg : segments.subList(0, segments.size() - 1)) { // fsynced whole when they rolled
                assertEquals(0, resident(seg, 0, pages(seg)), seg + ": pages still in the page cache");
            }
        }
        Path last = segments.get(segments.size() - 1);
        assertEquals(0, resident(last, 0, pages(last)), "the last segment after close");
        assertEquals(expected(1, RECORDS, SIZE), readAll(dir));
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
