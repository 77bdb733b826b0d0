package pk.gov.bisp.nser.server.registry;

import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.query.LiveSets;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.http.Problem;

/**
 * Holds the snapshot once it is open. Opening verifies every file's checksum, which reads every page once, so
 * when {@link #ready()} turns true the mapped files are warm and the first request pays no page faults.
 */
public final class Registry implements AutoCloseable {

    private volatile Snapshot snapshot;
    private volatile Throwable failure;
    private boolean closed;
    private final AtomicLong warmedBytes = new AtomicLong();
    private static final Logger LOG = Logger.getLogger(Registry.class.getName());
    private final boolean lockMemory;
    private MemoryLock memoryLock;
    /** Household sets kept beside the snapshot (partner programmes' enrolments), filterable like its dimensions. */
    private volatile LiveSets liveSets = LiveSets.NONE;

    public Registry() {
        this(false);
    }

    /** @param lockMemory keep the snapshot's files locked in memory once open ({@link MemoryLock}) */
    public Registry(boolean lockMemory) {
        this.lockMemory = lockMemory;
    }

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
        if (lockMemory) {
            lock(dir);
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

    private void lock(Path dir) {
        long t0 = System.nanoTime();
        try {
            MemoryLock m = MemoryLock.lock(dir);
            synchronized (this) {
                memoryLock = m;
            }
            LOG.info(String.format("snapshot %s: %,d bytes locked in memory in %d ms", dir, m.lockedBytes(),
                    (System.nanoTime() - t0) / 1_000_000));
            for (String f : m.failures()) {
                LOG.warning("snapshot " + dir + " not locked in memory: " + f);
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "snapshot " + dir + " could not be locked in memory; serving it unlocked", e);
        }
    }

    /** Bytes of the snapshot's files locked in memory (0 unless asked for, or if locking failed). */
    public synchronized long lockedBytes() {
        return memoryLock == null ? 0 : memoryLock.lockedBytes();
    }

    public boolean ready() {
        return snapshot != null;
    }

    /** True when the registry can answer; otherwise sends 503 (with Retry-After) and returns false. */
    public boolean ready(RoutingContext ctx) {
        if (ready()) {
            return true;
        }
        ctx.response().putHeader("Retry-After", "5");
        Problem.send(ctx, 503, "not-ready", "Not ready", "the registry snapshot is still being verified and warmed");
        return false;
    }

    /** Reads the household of {@code cnic} into {@code into}; false when no household has it. Only when ready. */
    public boolean readByCnic(long cnic, HouseholdRecord into) {
        Snapshot s = snapshot;
        int ordinal = s.ordinalOfCnic(cnic);
        return ordinal >= 0 && s.read(ordinal, into);
    }

    /** Reads the household with NSER household id {@code id} into {@code into}; false when none has it. */
    public boolean readById(long id, HouseholdRecord into) {
        Snapshot s = snapshot;
        int ordinal = s.ordinalOfHouseholdId(id);
        return ordinal >= 0 && s.read(ordinal, into);
    }

    /** The live sets the query machinery resolves besides the snapshot's bitmaps (set once, at start). */
    public void liveSets(LiveSets sets) {
        this.liveSets = sets;
    }

    public LiveSets liveSets() {
        return liveSets;
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
        if (memoryLock != null) {
            memoryLock.close();
            memoryLock = null;
        }
        Snapshot s = snapshot;
        snapshot = null;
        if (s != null) {
            s.close();
        }
    }
}
