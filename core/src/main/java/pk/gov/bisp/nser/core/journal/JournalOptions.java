package pk.gov.bisp.nser.core.journal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Journal settings, validated here once; a bad one fails naming the setting.
 *
 * @param dir                 the journal directory (created if missing)
 * @param segmentBytes        a segment rolls before it would grow past this (default 64 MiB, at least 4 KiB)
 * @param fsyncIntervalMicros group commit: fsync at the end of a batch once this much time has passed since the
 *                            last fsync, and when idle that long (default 10,000: the access log's measured best, so the
 *                            server's {@code journal.fsync_interval_micros} has this one default). 0 = fsync every batch, before
 *                            its completions run, so every completed record survives power loss
 * @param ringSize            records that may wait for the journal thread; a power of two (default 65536)
 * @param gatherMicros        under load (at least 3 records a window over the last 5 ms), when the journal thread
 *                            finds no record, it first sleeps this long and takes what came meanwhile as one
 *                            batch, without any producer having to wake it; only then does it block until woken
 *                            (default 0: block at once). Trades up to this much latency per record, under load
 *                            only, for fewer wake-ups, writes and system calls
 * @param releaseSyncedPages  once written pages are fsynced, tell the kernel to drop them from the page cache
 *                            ({@code posix_fadvise(DONTNEED)}, at least {@value #RELEASE_STEP_BYTES} bytes at a
 *                            time; default true; a no-op where the call is unavailable). A journal is written
 *                            once and read back only at start or by an audit: without this its pages, 18 MB/s at
 *                            50,000 access records a second, fill the page cache until the kernel must reclaim
 *                            memory beside the snapshot's mapped files. Released pages are reused for the next
 *                            ones
 * @param reserveSegments     reserve each segment's blocks on disk when it is created ({@code fallocate} with
 *                            {@code KEEP_SIZE}: the file's size and content are unchanged), and give back what it
 *                            did not use when it is done (default true; a no-op where the call is unavailable).
 *                            Otherwise every fsync allocates the blocks written since the last one, holding the
 *                            inode's block-map lock that the next {@code write()} waits for
 */
public record JournalOptions(Path dir, long segmentBytes, long fsyncIntervalMicros, int ringSize,
                             long gatherMicros, boolean releaseSyncedPages, boolean reserveSegments) {

    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    public static final long MIN_SEGMENT_BYTES = 4096;
    public static final long DEFAULT_FSYNC_INTERVAL_MICROS = 10_000;
    public static final int DEFAULT_RING_SIZE = 65_536;
    /** The longest gather window: a record never waits longer than this for the journal thread. */
    public static final long MAX_GATHER_MICROS = 10_000;
    /** The least run of fsynced whole pages worth a {@code posix_fadvise} call. */
    public static final long RELEASE_STEP_BYTES = 4L << 20;

    public JournalOptions {
        Objects.requireNonNull(dir, "journal.dir");
        if (segmentBytes < MIN_SEGMENT_BYTES) {
            throw new IllegalArgumentException("journal.segmentBytes=" + segmentBytes + ": must be at least "
                    + MIN_SEGMENT_BYTES);
        }
        if (fsyncIntervalMicros < 0) {
            throw new IllegalArgumentException("journal.fsyncIntervalMicros=" + fsyncIntervalMicros
                    + ": must be 0 (every batch) or more");
        }
        if (ringSize < 1 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("journal.ringSize=" + ringSize + ": must be a power of two");
        }
        if (gatherMicros < 0 || gatherMicros > MAX_GATHER_MICROS) {
            throw new IllegalArgumentException("journal.gatherMicros=" + gatherMicros + ": must be 0 to "
                    + MAX_GATHER_MICROS);
        }
    }

    public static JournalOptions defaults(Path dir) {
        return new JournalOptions(dir, DEFAULT_SEGMENT_BYTES, DEFAULT_FSYNC_INTERVAL_MICROS, DEFAULT_RING_SIZE, 0,
                true, true);
    }

    public JournalOptions withSegmentBytes(long bytes) {
        return new JournalOptions(dir, bytes, fsyncIntervalMicros, ringSize, gatherMicros,
                releaseSyncedPages, reserveSegments);
    }

    public JournalOptions withFsyncIntervalMicros(long micros) {
        return new JournalOptions(dir, segmentBytes, micros, ringSize, gatherMicros, releaseSyncedPages,
                reserveSegments);
    }

    public JournalOptions withRingSize(int size) {
        return new JournalOptions(dir, segmentBytes, fsyncIntervalMicros, size, gatherMicros,
                releaseSyncedPages, reserveSegments);
    }

    public JournalOptions withGatherMicros(long micros) {
        return new JournalOptions(dir, segmentBytes, fsyncIntervalMicros, ringSize, micros,
                releaseSyncedPages, reserveSegments);
    }

    public JournalOptions withReleaseSyncedPages(boolean release) {
        return new JournalOptions(dir, segmentBytes, fsyncIntervalMicros, ringSize, gatherMicros, release,
                reserveSegments);
    }

    public JournalOptions withReserveSegments(boolean reserve) {
        return new JournalOptions(dir, segmentBytes, fsyncIntervalMicros, ringSize, gatherMicros, releaseSyncedPages,
                reserve);
    }

    /** The largest payload one record may have: a frame must fit in an empty segment and in 16 MiB. */
    public int maxPayload() {
        long room = Math.min(JournalLayout.MAX_FRAME_SIZE, segmentBytes - JournalLayout.SEGMENT_HEADER_SIZE);
        return (int) room - JournalLayout.FRAME_HEADER_SIZE;
    }
}
