package pk.gov.bisp.nser.server.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.posix.MMapFlag;
import net.openhft.posix.MMapProt;
import net.openhft.posix.OpenFlag;
import net.openhft.posix.PosixAPI;

/**
 * Keeps a snapshot's files resident: each file is mapped read-only once more and that mapping is {@code mlock}ed,
 * which pins the file's pages in the page cache for every mapping of it, Chronicle Map's included. Without it the
 * kernel may page cold parts of a 15 GB snapshot out (this machine's VM pages out memory untouched for a minute,
 * DAMON "pageout"), and a lookup that lands on such a page waits for the disk on its event loop.
 *
 * <p>Needs the right to lock that much memory (root, CAP_IPC_LOCK, or RLIMIT_MEMLOCK) and the RAM to hold it; a
 * failure is reported, and the snapshot is then served unlocked. The mappings live until {@link #close}.
 */
public final class MemoryLock implements AutoCloseable {

    /** One locked mapping: where and how long. */
    private record Locked(Path file, long address, long length) {
    }

    private final List<Locked> locked = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    private MemoryLock() {
    }

    /** Maps and locks every regular, non-empty file of {@code dir}. */
    public static MemoryLock lock(Path dir) throws IOException {
        MemoryLock m = new MemoryLock();
        PosixAPI posix = PosixAPI.posix();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            long length = Files.size(f);
            if (length == 0) {
                continue;
            }
            int fd = posix.open(f.toString(), OpenFlag.O_RDONLY, 0);
            if (fd < 0) {
                m.failures.add(f.getFileName() + ": open: " + posix.lastErrorStr());
                continue;
            }
            try {
                long address = posix.mmap(0, length, MMapProt.PROT_READ, MMapFlag.SHARED, fd, 0);
                if (address == -1 || address == 0) {
                    m.failures.add(f.getFileName() + ": mmap: " + posix.lastErrorStr());
                    continue;
                }
                if (!posix.mlock(address, length)) {
                    m.failures.add(f.getFileName() + ": mlock: " + posix.lastErrorStr());
                    posix.munmap(address, length);
                    continue;
                }
                m.locked.add(new Locked(f, address, length));
            } finally {
                posix.close(fd);
            }
        }
        return m;
    }

    /** Bytes locked. */
    public long lockedBytes() {
        return locked.stream().mapToLong(Locked::length).sum();
    }

    /** Files that could not be locked, each with why; empty when all were. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Unlocks and unmaps (the kernel unlocks on unmap). */
    @Override
    public void close() {
        PosixAPI posix = PosixAPI.posix();
        for (Locked l : locked) {
            posix.munmap(l.address(), l.length());
        }
        locked.clear();
    }
}
