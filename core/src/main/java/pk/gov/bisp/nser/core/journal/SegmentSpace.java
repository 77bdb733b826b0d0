package pk.gov.bisp.nser.core.journal;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.file.Path;

/**
 * The kernel's side of a segment file, through JNA (already on the class path with Chronicle Map) on a descriptor
 * of its own: the segment's blocks reserved ahead of the writing ({@code fallocate} with {@code KEEP_SIZE}, so the
 * size and format do not change), its pages dropped from the page cache once fsynced ({@code posix_fadvise
 * DONTNEED}), and what it did not use of the reservation given back when it is done ({@code ftruncate} to its
 * size). Linux only; where the C library cannot be bound, or a call is refused (a file system without
 * {@code fallocate}), it does nothing: every call is advice, and none changes what the file holds.
 *
 * <p>Why reserve: appending to a file whose blocks are allocated by its writeback makes each fsync allocate
 * blocks, under the inode's block-map lock ({@code i_data_sem}), which the appending {@code write()} of an event
 * loop then waits for (measured nationally: 350 such waits of up to 4.5 ms in 30 s). With the blocks reserved, the
 * writeback only marks them written.
 *
 * <p>Why drop: the kernel drops only clean pages, so a range is released after its fsync; a journal is read back
 * only at start or by an audit. One instance per segment, used under the journal's {@code syncLock}.
 */
final class SegmentSpace implements AutoCloseable {

    static final long PAGE = 4096;
    /** True when the C library's calls are bound. */
    static final boolean AVAILABLE = bind();

    private static final int O_WRONLY = 1;
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int POSIX_FADV_DONTNEED = 4;

    private final int fd;
    /** Bytes before this were released already. */
    private long released;

    private SegmentSpace(int fd) {
        this.fd = fd;
    }

    /**
     * For the segment {@code file}: reserves its first {@code reserve} bytes on disk (0: none); a no-op instance when
     * unavailable or the file cannot be opened.
     */
    static SegmentSpace of(Path file, long reserve) {
        int fd = AVAILABLE ? open(file.toString(), O_WRONLY) : -1;
        if (fd >= 0 && reserve > 0) {
            fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, reserve); // advice: refused, the writeback allocates as before
        }
        return new SegmentSpace(fd);
    }

    /**
     * Releases the whole pages below {@code durable}, every byte of which is fsynced, once they add up to at least
     * {@code step} bytes since the last release (the partly written last page stays: the next append writes into
     * it).
     */
    void release(long durable, long step) {
        long end = durable & -PAGE;
        long start = released & -PAGE;
        if (fd >= 0 && end - start >= step && posix_fadvise(fd, start, end - start, POSIX_FADV_DONTNEED) == 0) {
            released = end;
        }
    }

    /** Releases every page not released yet, the last partly written one too: for a segment fsynced whole. */
    void releaseAll() {
        if (fd >= 0 && posix_fadvise(fd, released & -PAGE, 0, POSIX_FADV_DONTNEED) == 0) { // 0: to the end
            released = Long.MAX_VALUE & -PAGE;
        }
    }

    /**
     * Gives back the reserved blocks past {@code size}, the segment's size: it will not grow any more. The truncate
     * zeroes the tail of the last, partly written page in the page cache, which makes it dirty again; the
     * {@code fdatasync} that follows writes it back, so that {@link #releaseAll} can drop it (the kernel drops only
     * clean pages; without it the last page stayed resident whenever its writeback had not finished in time).
     */
    void trim(long size) {
        if (fd >= 0 && ftruncate(fd, size) == 0) { // to its own size: only the blocks past the end go
            fdatasync(fd);
        }
    }

    @Override
    public void close() {
        if (fd >= 0) {
            close(fd);
        }
    }

    private static boolean bind() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            Native.register(SegmentSpace.class, Platform.C_LIBRARY_NAME);
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    private static native int open(String path, int flags);

    private static native int close(int fd);

    private static native int fallocate(int fd, int mode, long offset, long len);

    private static native int ftruncate(int fd, long length);

    private static native int fdatasync(int fd);

    private static native int posix_fadvise(int fd, long offset, long len, int advice);
}
