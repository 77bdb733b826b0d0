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
        MemoryLock m = lockFiles(dir);
        synchronized (this) {
            memoryLock = m;
        }
    }

    /**
     * When this registry keeps its snapshot locked in memory: locks {@code dir}'s files (blocking: call it on the
     * fold's thread, before {@link #swap}), which then become the locked ones at the swap, the old ones unlocked.
     */
    public void lockNext(Path dir) {
        if (lockMemory) {
            MemoryLock m = lockFiles(dir);
            synchronized (this) {
                if (nextLock != null) {
                    nextLock.close();
                }
                nextLock = m;
            }
        }
    }

    private MemoryLock nextLock;

    private MemoryLock lockFiles(Path dir) {
        long t0 = System.nanoTime();
        try {
            MemoryLock m = MemoryLock.lock(dir);
            LOG.info(String.format("snapshot %s: %,d bytes locked in memory in %d ms", dir, m.lockedBytes(),
                    (System.nanoTime() - t0) / 1_000_000));
            for (String f : m.failures()) {
                LOG.warning("snapshot " + dir + " not locked in memory: " + f);
            }
            return m;
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "snapshot " + dir + " could not be locked in memory; serving it unlocked", e);
            return null;
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

    /**
     * Pins the generation served now for the life of the request {@code ctx} (until its response ends or its
     * connection closes): it, and any generation served after it while the request runs, is not closed until then.
     * Called once per request, by the first handler.
     */
    public void pin(RoutingContext ctx) {
        Generation g = pin();
        ctx.addEndHandler(v -> g.release());
    }

    /** Pins the generation served now (see {@link #pin(RoutingContext)}); release it when done reading. */
    public Generation pin() {
        while (true) {
            Generation g = generation;
            if (g.acquire()) {
                return g;
            }
        }
    }

    /**
     * Serves {@code next} from now on: readers that start after this see only it. The generation served until now is
     * closed, and {@code retired} told of it, once every request that began before now has ended (also those that
     * began before earlier swaps: a request may have read {@link #snapshot()} again after one).
     */
    public void swap(Snapshot next, java.util.function.Consumer<Snapshot> retired) {
        Generation old;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the registry is closed");
            }
            old = generation;
            old.snapshot = snapshot;
            old.retired = retired;
            retiring.addLast(old);
            generation = new Generation(this);
            snapshot = next;
            if (nextLock != null) { // the new generation's files are the locked ones now; the old may be paged out
                if (memoryLock != null) {
                    memoryLock.close();
                }
                memoryLock = nextLock;
                nextLock = null;
            }
        }
        old.release(); // the registry's own pin on it
    }

    /** Generations swapped out, oldest first, each closed once it and every older one has no reader. */
    private final java.util.ArrayDeque<Generation> retiring = new java.util.ArrayDeque<>();
    private volatile Generation generation = new Generation(this);

    /** Closes the retired generations whose readers, and the readers of all older ones, have finished. */
    private void drain() {
        java.util.List<Generation> done = new java.util.ArrayList<>();
        synchronized (this) {
            while (!retiring.isEmpty() && retiring.peekFirst().pins.get() == 0) {
                done.add(retiring.pollFirst());
            }
        }
        for (Generation g : done) {
            try {
                g.snapshot.close();
                if (g.retired != null) {
                    g.retired.accept(g.snapshot);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing the retired snapshot " + g.snapshot.dir() + " failed", e);
            }
        }
    }

    /** Swapped-out generations not closed yet (readers that began before a swap still run). */
    public synchronized int retiring() {
        return retiring.size();
    }

    /**
     * The readers of one served generation: requests that began while it was served. It holds one pin of its own
     * while served; once swapped out and at zero it can never be pinned again.
     */
    public static final class Generation {
        private final Registry registry;
        private final java.util.concurrent.atomic.AtomicInteger pins = new java.util.concurrent.atomic.AtomicInteger(1);
        private Snapshot snapshot;
        private java.util.function.Consumer<Snapshot> retired;

        private Generation(Registry registry) {
            this.registry = registry;
        }

        private boolean acquire() {
            while (true) {
                int n = pins.get();
                if (n == 0) {
                    return false;
                }
                if (pins.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        /** Ends this reader's pin. */
        public void release() {
            if (pins.decrementAndGet() == 0) {
                registry.drain();
            }
        }
    }

    /** Closes the snapshot; one still being opened is closed as soon as it is done. */
    @Override
    public synchronized void close() {
        closed = true;
        if (memoryLock != null) {
            memoryLock.close();
            memoryLock = null;
        }
        if (nextLock != null) {
            nextLock.close();
            nextLock = null;
        }
        Snapshot s = snapshot;
        snapshot = null;
        if (s != null) {
            s.close();
        }
        for (Generation g : retiring) { // shutting down: no request reads any more
            g.snapshot.close();
        }
        retiring.clear();
    }
}
