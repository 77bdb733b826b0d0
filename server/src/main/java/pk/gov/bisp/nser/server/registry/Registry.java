package pk.gov.bisp.nser.server.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * Holds the snapshot once it is open. Opening verifies every file's checksum, which reads every page once, so
 * when {@link #ready()} turns true the mapped files are warm and the first request pays no page faults.
 */
public final class Registry implements AutoCloseable {

    private volatile Snapshot snapshot;
    private volatile Throwable failure;
    private boolean closed;
    private final AtomicLong warmedBytes = new AtomicLong();

    /** Brings an opened snapshot up to date before it is served (the live updates' replay). */
    @FunctionalInterface
    public interface BeforeReady {
        void accept(Snapshot s) throws IOException;
    }

    /** Opens and verifies the snapshot (blocking; call from a worker thread). */
    public void open(Path dir) throws IOException {
        open(dir, s -> { });
    }

    /** Opens and verifies the snapshot, runs {@code beforeReady} on it, then serves it. */
    public void open(Path dir, BeforeReady beforeReady) throws IOException {
        Snapshot s;
        try {
            s = Snapshot.open(dir, Snapshot.Verify.FULL, warmedBytes::addAndGet);
        } catch (IOException | RuntimeException e) {
            failure = e;
            throw e;
        }
        try {
            beforeReady.accept(s);
        } catch (IOException | RuntimeException e) {
            failure = e;
            s.close();
            throw e;
        }
        synchronized (this) {
            if (closed) {
                s.close();
                return;
            }
            snapshot = s;
        }
    }

    public boolean ready() {
        return snapshot != null;
    }

    /** Why opening failed, or null. */
    public Throwable failure() {
        return failure;
    }

    public long warmedBytes() {
        return warmedBytes.get();
    }

    /** The snapshot; only call when {@link #ready()}. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** Closes the snapshot; one still being opened is closed as soon as it is done. */
    @Override
    public synchronized void close() {
        closed = true;
        Snapshot s = snapshot;
        snapshot = null;
        if (s != null) {
            s.close();
        }
    }
}
