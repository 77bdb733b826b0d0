package pk.gov.bisp.nser.server.update;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.snapshot.DeltaCheckpoint;
import pk.gov.bisp.nser.core.snapshot.Generations;
import pk.gov.bisp.nser.core.snapshot.Manifest;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotFold;
import pk.gov.bisp.nser.server.registry.Registry;

/**
 * The online fold (issue 29): the changed households held in memory are folded into a new snapshot generation while
 * the server serves, so its heap stays bounded however many updates it takes. One fold at a time:
 * <ol>
 *   <li>on the update thread, the cut: the changed records at the update position applied (references, cheap),
 *       the dictionary and the idempotency answers; checkpoints wait until the fold ends;</li>
 *   <li>on the fold thread, the new generation is written in ordinal order ({@link SnapshotFold#write}), with a
 *       checkpoint of the answers at the cut, opened with every checksum verified, and compared record by record
 *       with the cut ({@link SnapshotFold#verify});</li>
 *   <li>on the update thread again, the updates applied since the cut are applied to it ({@link
 *       SnapshotFold#catchUp}), it is made the current generation on disk ({@link Generations#publish}), the
 *       registry and the update service switch to it, and a checkpoint of it is written (which deletes the older
 *       checkpoints and the journal before it). The old generation is closed once no request that could have read it
 *       runs ({@link Registry#swap}), and its files are deleted (never those of the base snapshot).</li>
 * </ol>
 * Started by {@code POST /admin/compact} or when {@code updates.fold_every} households are changed.
 */
public final class Folds implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Folds.class.getName());

    /** What the last (or the running) fold did. {@code state}: idle, running, done or failed. */
    public record Status(String state, long generation, long position, int households, int folded, int caughtUp,
                         long millis, String snapshot, String error, long folds) {
    }

    private final UpdateService updates;
    private final Registry registry;
    private final Path dir;
    private final int every;
    private final Consumer<Snapshot> swapped;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nser-fold");
        t.setDaemon(true);
        return t;
    });
    private volatile Status status = new Status("idle", 0, 0, 0, 0, 0, 0, null, null, 0);
    private long folds;
    /** Changed households at which the size trigger starts the next fold (after a failure, {@link #every} more). */
    private volatile int nextAt;

    /**
     * @param every   changed households that start a fold (0: only when asked)
     * @param swapped told of each new generation just before it is served (on the update thread; the generation it
     *                moves away from stays open until then)
     */
    Folds(UpdateService updates, Registry registry, Path dir, int every, Consumer<Snapshot> swapped) {
        this.updates = updates;
        this.registry = registry;
        this.dir = dir;
        this.every = every;
        this.swapped = swapped;
        this.nextAt = every;
    }

    public Status status() {
        Status st = status;
        Snapshot s = updates.snapshot();
        if (st.folds() == 0 && st.state().equals("idle") && s != null) { // the generation served since start
            Manifest m = s.manifest();
            return new Status("idle", Long.parseLong(m.build().getOrDefault(SnapshotFold.GENERATION, "0")),
                    SnapshotFold.position(m), s.householdCount(), 0, 0, 0, s.dir().getFileName().toString(), null, 0);
        }
        return st;
    }

    /** Starts a fold; false when one is running already. */
    public boolean start() {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        Status last = status;
        status = new Status("running", last.generation(), last.position(), 0, 0, 0, 0, last.snapshot(), null,
                last.folds());
        updates.onThread(this::cut);
        return true;
    }

    /** On the update thread, after each applied update: starts a fold at {@link #every} changed households. */
    void grew(int changed) {
        if (every > 0 && changed >= nextAt && !running.get()) {
            LOG.info("updates: " + changed + " changed households held in memory (updates.fold_every " + every
                    + "): folding them into a new snapshot generation");
            start();
        }
    }

    /** On the update thread: takes the cut and hands the build to the fold thread. */
    private void cut() {
        long t0 = System.nanoTime();
        Snapshot s = updates.snapshot();
        if (s == null || updates.broken()) {
            fail(t0, "the registry is not serving updates");
            return;
        }
        if (s.updatedCount() == 0) {
            Status last = status;
            status = new Status("done", last.generation(), last.position(), s.householdCount(), 0, 0, 0,
                    s.dir().getFileName().toString(), null, last.folds());
            running.set(false);
            return;
        }
        SnapshotFold.Cut cut = SnapshotFold.cut(s, updates.appliedSequence());
        List<byte[]> answers = Checkpoints.notes(updates.idempotency());
        updates.folding(true);
        try {
            worker.execute(() -> build(s, cut, answers, t0));
        } catch (RejectedExecutionException e) {
            updates.folding(false);
            fail(t0, "the server is shutting down");
        }
    }

    /** On the fold thread: writes, opens and verifies the new generation, then swaps it in on the update thread. */
    private void build(Snapshot s, SnapshotFold.Cut cut, List<byte[]> answers, long t0) {
        long generation = Long.parseLong(s.manifest().build().getOrDefault(SnapshotFold.GENERATION, "0")) + 1;
        Path out = Generations.next(dir, generation, cut.position());
        Snapshot next = null;
        try {
            Manifest m = SnapshotFold.write(s, cut, out);
            new DeltaCheckpoint(cut.position(), (int) m.households(), cut.dictionary().size(),
                    DeltaCheckpoint.identity(m), List.of(), Map.of(), answers).write(out);
            next = Snapshot.open(out, Snapshot.Verify.FULL);
            SnapshotFold.verify(next, s, cut);
            registry.lockNext(out); // when the served files are kept locked in memory (--lock-memory)
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "the fold into " + out + " failed; the updates stay in memory and the journal", e);
            abandon(next, out);
            updates.onThread(() -> updates.folding(false));
            fail(t0, e.toString());
            return;
        }
        Snapshot built = next;
        updates.onThread(() -> swap(s, built, cut, generation, t0));
    }

    /** On the update thread: catches up, publishes and serves the new generation. */
    private void swap(Snapshot old, Snapshot next, SnapshotFold.Cut cut, long generation, long t0) {
        int caught;
        try {
            if (updates.snapshot() != old) {
                throw new IllegalStateException("the served snapshot changed during the fold");
            }
            caught = SnapshotFold.catchUp(old, cut, next);
            Generations.publish(dir, next.dir());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "the fold into " + next.dir() + " could not be served; the updates stay in memory "
                    + "and the journal", e);
            abandon(next, next.dir());
            updates.folding(false);
            fail(t0, e.toString());
            return;
        }
        try { // before the swap: the old generation, still served, cannot be closed under what it moves away from
            swapped.accept(next);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "at the fold, a component could not move to the new generation", e);
        }
        registry.swap(next, this::retired);
        updates.swapped(next);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        status = new Status("done", generation, cut.position(), next.householdCount(), cut.records().size(), caught,
                millis, next.dir().getFileName().toString(), null, ++folds);
        nextAt = every;
        LOG.info("updates: folded " + cut.records().size() + " changed households through update position "
                + cut.position() + " into " + next.dir() + " (+" + caught + " applied since) in " + millis + " ms");
        if (every > 0 && next.updatedCount() >= every) { // as many changed during the fold as start one: again
            Status done = status;
            status = new Status("running", done.generation(), done.position(), 0, 0, 0, 0, done.snapshot(), null,
                    done.folds());
            updates.onThread(this::cut);
        } else {
            running.set(false);
        }
    }

    /** Once no request reads the old generation: deletes its files (a generation's; never the base snapshot). */
    private void retired(Snapshot old) {
        try {
            worker.execute(() -> {
                try {
                    Generations.delete(dir, old.dir());
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "the old generation " + old.dir() + " could not be deleted", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down: the next start deletes it (Generations.clean)
        }
    }

    private void abandon(Snapshot next, Path out) {
        if (next != null) {
            next.close();
        }
        try {
            Generations.delete(dir, out);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete the abandoned generation " + out, e);
        }
    }

    private void fail(long t0, String why) {
        Snapshot s = updates.snapshot();
        nextAt = (s == null ? 0 : s.updatedCount()) + every; // not again at the next update: a failing disk stays so
        Status last = status;
        status = new Status("failed", last.generation(), last.position(), 0, 0, 0,
                (System.nanoTime() - t0) / 1_000_000, last.snapshot(), why, last.folds());
        running.set(false);
    }

    /** Whether a fold is running. */
    public boolean running() {
        return running.get();
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
