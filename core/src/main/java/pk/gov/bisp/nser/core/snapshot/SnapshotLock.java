package pk.gov.bisp.nser.core.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Who else has a snapshot open: every open {@link Snapshot} holds a shared lock on {@value #FILE} in its directory,
 * so an opener can tell whether it is alone with the snapshot.
 *
 * <p>It matters because Chronicle Map keeps its segment locks inside the mapped files. A process that stops while
 * it reads (killed, out of memory, the power lost) leaves a read lock counted in {@code households.cm} or
 * {@code cnic-index.cm}: one byte that makes the file's CRC32C differ from the manifest although no data changed,
 * and the snapshot no longer verifies. Chronicle's recovery clears such a lock, but only a process alone with the
 * snapshot may run it: under a live reader it would break that reader's own count.
 *
 * <p>The first opener in a process tries the lock exclusively ({@link #alone()}), and after its checks holds it
 * shared until the last {@link Snapshot} of that directory in the process closes. Locks are per process (POSIX
 * record locks, which closing any descriptor of the file drops: the file is opened nowhere else, and it is empty,
 * so {@code --lock-memory} skips it), so the process keeps one per directory and counts its users; a second
 * opener in the same process is never alone, since the first may be reading. A directory where the file cannot be
 * created (read-only) gives no lock and is never alone.
 */
final class SnapshotLock implements AutoCloseable {

    static final String FILE = "snapshot.lock";

    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path key;
    private final boolean alone;
    private boolean closed;

    /** This process's lock on one directory. */
    private static final class Held {
        FileChannel channel;
        FileLock lock;
        int users;
    }

    private SnapshotLock(Path key, boolean alone) {
        this.key = key;
        this.alone = alone;
    }

    static SnapshotLock acquire(Path dir) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        synchronized (HELD) {
            Held h = HELD.get(key);
            if (h != null) {
                h.users++;
                return new SnapshotLock(key, false);
            }
            h = new Held();
            h.users = 1;
            try {
                h.channel = FileChannel.open(key.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            } catch (IOException e) {
                HELD.put(key, h); // no lock to be had: never alone
                return new SnapshotLock(key, false);
            }
            boolean alone;
            try {
                h.lock = h.channel.tryLock(0, Long.MAX_VALUE, false);
                alone = h.lock != null;
                if (!alone) {
                    h.lock = h.channel.lock(0, Long.MAX_VALUE, true); // waits while another opener checks alone
                }
            } catch (IOException e) { // a file system without locks: open as before, never alone
                h.channel.close();
                h.channel = null;
                alone = false;
            }
            HELD.put(key, h);
            return new SnapshotLock(key, alone);
        }
    }

    /** True when no other process, and no other {@link Snapshot} in this one, had the directory open. */
    boolean alone() {
        return alone;
    }

    /** After the checks that needed to be alone: lets other openers in, by holding the lock shared from now on. */
    void share() throws IOException {
        if (!alone) {
            return;
        }
        synchronized (HELD) {
            Held h = HELD.get(key);
            h.lock.release();
            h.lock = h.channel.lock(0, Long.MAX_VALUE, true); // waits if another opener got in between
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            Held h = HELD.get(key);
            if (h == null || --h.users > 0) {
                return;
            }
            HELD.remove(key);
            if (h.channel != null) {
                h.channel.close(); // releases the lock
            }
        }
    }
}
