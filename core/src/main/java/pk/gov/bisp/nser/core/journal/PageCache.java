package pk.gov.bisp.nser.core.journal;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.file.Path;

/**
 * Drops a file's pages from the kernel's page cache once they are on disk: {@code posix_fadvise(DONTNEED)} on a
 * read-only descriptor of the file, through JNA (already on the class path with Chronicle Map). Linux only; where
 * the C library cannot be bound, every call does nothing and {@link #AVAILABLE} is false.
 *
 * <p>The kernel drops only clean pages, so a range is released after its fsync; dirty pages in it would merely be
 * queued for writeback. One instance per segment, used under the journal's {@code syncLock}.
 */
final class PageCache implements AutoCloseable {

    static final long PAGE = 4096;
    /** True when the C library's {@code open}, {@code close} and {@code posix_fadvise} are bound. */
    static final boolean AVAILABLE = bind();

    private static final int O_RDONLY = 0;
    private static final int POSIX_FADV_DONTNEED = 4;

    private final int fd;
    /** Bytes before this were released already. */
    private long released;

    private PageCache(int fd, long released) {
        this.fd = fd;
        this.released = released;
    }

    /**
     * For the segment {@code file}, whose first {@code from} bytes need no releasing (they were never written by
     * this process, or were released by an earlier one); a no-op instance when unavailable or the file cannot be
     * opened.
     */
    static PageCache of(Path file, long from) {
        int fd = AVAILABLE ? open(file.toString(), O_RDONLY) : -1;
        return new PageCache(fd, from);
    }

    /**
     * Releases the whole pages below {@code durable}, every byte of which is fsynced, once they add up to at least
     * {@code step} bytes since the last release (the partly written last page stays: the next append writes into
     * it). Returns the bytes released.
     */
    long release(long durable, long step) {
        long end = durable & -PAGE;
        long start = released & -PAGE;
        if (fd < 0 || end - start < step) {
            return 0;
        }
        if (posix_fadvise(fd, start, end - start, POSIX_FADV_DONTNEED) != 0) {
            return 0; // advice only: a refusal changes nothing but the page cache's size
        }
        released = end;
        return end - start;
    }

    /** Releases every page not released yet, the last partly written one too: for a segment fsynced whole. */
    void releaseAll() {
        if (fd >= 0 && posix_fadvise(fd, released & -PAGE, 0, POSIX_FADV_DONTNEED) == 0) { // 0: to the end
            released = Long.MAX_VALUE & -PAGE;
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
            Native.register(PageCache.class, Platform.C_LIBRARY_NAME);
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    private static native int open(String path, int flags);

    private static native int close(int fd);

    private static native int posix_fadvise(int fd, long offset, long len, int advice);
}
