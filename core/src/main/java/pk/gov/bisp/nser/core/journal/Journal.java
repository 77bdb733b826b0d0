package pk.gov.bisp.nser.core.journal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An append-only journal directory. Any thread may {@link #append}: the record is copied into a preallocated
 * Disruptor ring slot (multi-producer, never blocking: a full ring fails the record), and the journal thread
 * writes each batch with one {@code write()}, then calls the records' {@link Completion}s. Durability: with a
 * group-commit interval ({@link JournalOptions#fsyncIntervalMicros()}) a syncer thread fsyncs meanwhile; with 0,
 * the journal thread fsyncs each batch before completing it. Under load the journal thread gathers records for
 * {@link JournalOptions#gatherMicros()} before each batch instead of being woken for each (see
 * {@code GatheringWaitStrategy}). Sequences start at 1 and continue across restarts. {@link #open} recovers first
 * (see {@link RecoveryReport}).
 *
 * <p>A producer that runs a loop of its own (a Vert.x event loop) may instead {@link #appendQuietly} and then
 * {@link #drain} at the end of its turn: it then writes the ring's records itself, with one {@code write()} to the
 * page cache, and completes them on its own thread, so neither the journal thread nor the producer has to be woken
 * for them. The ring stays the one way in and the order is the ring's: whichever thread holds the write lock takes
 * the records in sequence. A drainer never waits for the lock (the holder looks at the ring again after letting
 * go, so a record published meanwhile is never left behind), and it leaves to the journal thread everything
 * beyond a {@code write()}: per-batch fsyncs (interval 0), segment rolls and recovery from a failed segment.
 */
public final class Journal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Journal.class.getName());
    private static final long NOT_STOPPED = Long.MIN_VALUE;
    /** The most records one thread takes in one go (one batch, one {@code write()} unless the buffer fills). */
    static final int MAX_TAKE = 4_096;

    private final JournalOptions options;
    private final RecoveryReport recovery;
    private final int maxPayload;
    private final GatheringWaitStrategy wait;
    private final RingBuffer<JournalEvent> ring;
    private final SequenceBarrier barrier;
    /** The last ring slot taken (written, or failed); advanced only with {@link #writing} held. */
    private final Sequence taken = new Sequence();
    /** Held by whichever thread takes records from the ring: the journal thread, or a drainer. */
    private final ReentrantLock writing = new ReentrantLock();
    private final JournalWriter writer;
    private final Consumer<Throwable> errors;
    /** Whether callers may write for the journal: only with group commit (no fsync a batch). */
    private final boolean drains;
    private final Thread thread;
    private final JournalFullException full;
    private final JournalClosedException closedFailure;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    /** Set, with {@link #writing} held, once the journal thread has written its last: nobody writes after. */
    private boolean stopped;
    private final Object sweepLock = new Object();
    /** The last ring slot failed or written after the journal thread stopped; guarded by sweepLock. */
    private long swept = NOT_STOPPED;
    private final JournalLock lock;

    private Journal(JournalOptions o, Recovery.Recovered r, Consumer<Throwable> errors, JournalLock lock) {
        this.lock = lock;
        this.errors = errors;
        options = o;
        recovery = r.report();
        maxPayload = o.maxPayload();
        wait = new GatheringWaitStrategy(o.gatherMicros() * 1_000,
                o.fsyncIntervalMicros() > Long.MAX_VALUE / 1_000 ? Long.MAX_VALUE : o.fsyncIntervalMicros() * 1_000);
        ring = RingBuffer.createMultiProducer(JournalEvent::new, o.ringSize(), wait);
        barrier = ring.newBarrier();
        writer = new JournalWriter(o, r, errors);
        drains = o.fsyncIntervalMicros() > 0;
        ring.addGatingSequences(taken);
        full = new JournalFullException(o.ringSize());
        closedFailure = new JournalClosedException(o.dir());
        thread = new Thread(this::run, "nser-journal");
        thread.setDaemon(true); // never holds the JVM up; close() is what makes the tail durable
        thread.start();
    }

    /** Opens (creating, recovering) the directory; errors on the journal thread are logged. */
    public static Journal open(JournalOptions o) throws IOException {
        return open(o, t -> LOG.log(Level.SEVERE, "journal " + o.dir() + ": " + t, t));
    }

    /** Opens the directory; every error on the journal thread goes to {@code errors}, and the thread keeps going. */
    public static Journal open(JournalOptions o, Consumer<Throwable> errors) throws IOException {
        JournalLock lock = JournalLock.acquire(o.dir());
        Recovery.Recovered r;
        try {
            r = Recovery.recover(o.dir());
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        LOG.log(r.report().clean() ? Level.INFO : Level.WARNING, r.report() + " (" + o + ")");
        try {
            return new Journal(o, r, errors, lock);
        } catch (RuntimeException | Error e) {
            r.channel().close();
            lock.close();
            throw e;
        }
    }

    /**
     * Queues one record; {@code done} is told once: {@code written(sequence)} on the thread that wrote it (the
     * journal thread, or a drainer), or {@code failed} (synchronously, on this thread, when the ring is full or the
     * journal closed).
     *
     * @throws IllegalArgumentException if {@code kind} is outside 0..65535 or {@code length} is above
     *                                  {@link JournalOptions#maxPayload()}
     */
    public void append(int kind, byte[] payload, int offset, int length, Completion done) {
        append(kind, payload, offset, length, done, false);
    }

    /**
     * Appends one record; the future completes with its sequence once it is written (fsynced, as the options say),
     * on the thread that wrote it, or exceptionally when the journal refused or failed it.
     */
    public java.util.concurrent.CompletableFuture<Long> appendAsync(int kind, byte[] payload) {
        java.util.concurrent.CompletableFuture<Long> written = new java.util.concurrent.CompletableFuture<>();
        append(kind, payload, 0, payload.length, new Completion() {
            @Override
            public void written(long sequence) {
                written.complete(sequence);
            }

            @Override
            public void failed(Throwable cause) {
                written.completeExceptionally(cause);
            }
        });
        return written;
    }

    /**
     * Appends one record and waits until it is written (fsynced, as the options say) for up to {@code timeoutMillis};
     * its sequence. For a thread that may block and is not the journal's own (its completions would wait on it).
     *
     * @throws IOException when the journal refused or failed the record, or did not write it in time
     */
    public long appendAndWait(int kind, byte[] payload, long timeoutMillis) throws IOException {
        java.util.concurrent.CompletableFuture<Long> written = appendAsync(kind, payload);
        try {
            return written.get(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("journal " + options.dir() + ": the record was not written: " + e.getCause(),
                    e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("journal " + options.dir() + ": the record was not written within "
                    + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the journal " + options.dir() + " wrote a record", e);
        }
    }

    /**
     * {@link #append} without waking the journal thread: the caller promises to call {@link #drain} soon (an event
     * loop: at the end of its turn), which writes the record unless another thread is writing and takes it. Where
     * callers may not write ({@link #drains()} false), this is {@link #append}.
     */
    public void appendQuietly(int kind, byte[] payload, int offset, int length, Completion done) {
        append(kind, payload, offset, length, done, drains);
    }

    private void append(int kind, byte[] payload, int offset, int length, Completion done, boolean quietly) {
        Objects.requireNonNull(done, "done");
        Objects.checkFromIndexSize(offset, length, payload.length);
        if (kind < 0 || kind > JournalLayout.MAX_KIND) {
            throw new IllegalArgumentException("kind=" + kind + " outside 0.." + JournalLayout.MAX_KIND);
        }
        if (length > maxPayload) {
            throw new IllegalArgumentException("length=" + length + " above the largest payload " + maxPayload);
        }
        if (closed) {
            done.failed(closedFailure);
            return;
        }
        long slot;
        try {
            slot = ring.tryNext();
        } catch (InsufficientCapacityException e) {
            done.failed(full);
            return;
        }
        try {
            ring.get(slot).set(kind, payload, offset, length, done);
        } finally {
            if (quietly) {
                wait.publishQuietly(ring, slot);
            } else {
                ring.publish(slot);
            }
        }
        if (closed) {
            synchronized (sweepLock) { // closed while publishing: the journal thread may be gone already
                if (swept != NOT_STOPPED) {
                    sweep();
                }
            }
        }
    }

    /** Whether callers may write for the journal ({@link #drain}): with group commit, not with an fsync a batch. */
    public boolean drains() {
        return drains;
    }

    /**
     * Writes and completes, on this thread, every record published by now, unless another thread is writing (it
     * then takes them) or a record needs more than a {@code write()} (the journal thread is then woken for it).
     * Never waits for a lock; the completions of the records written run on this thread before it returns.
     */
    public void drain() {
        if (!drains) {
            return;
        }
        while (true) {
            VarHandle.fullFence(); // our publish (or our unlock) before the look: pairs with the holder's
            if (!ring.isAvailable(taken.get() + 1) || !writing.tryLock()) {
                return; // nothing to write, or the holder looks at the ring again after letting go
            }
            boolean handOver;
            try {
                if (stopped) {
                    return; // closed: what is left is failed by close()
                }
                handOver = !take(false);
            } finally {
                writing.unlock();
            }
            if (handOver) {
                wait.wake();
                return;
            }
        }
    }

    /** The highest sequence written to the file (in the OS). */
    public long writtenSequence() {
        return writer.written();
    }

    /** The highest sequence known to be fsynced. */
    public long syncedSequence() {
        return writer.synced();
    }

    public RecoveryReport recovery() {
        return recovery;
    }

    public JournalOptions options() {
        return options;
    }

    /**
     * Writes what is queued, fsyncs and closes; later appends fail with {@link JournalClosedException}.
     *
     * @throws IOException if the final write or fsync failed (records may not be durable)
     */
    @Override
    public void close() throws IOException {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        long target = ring.getCursor();
        while (taken.get() < target && thread.isAlive()) {
            wait.wake(); // records appended quietly whose drainer never came are the journal thread's now
            LockSupport.parkNanos(50_000);
        }
        barrier.alert();
        joinJournalThread();
        synchronized (sweepLock) {
            swept = taken.get();
            sweep();
        }
        lock.close();
        IOException f = writer.closeFailure();
        if (f != null) {
            throw f;
        }
    }

    private void joinJournalThread() {
        join(thread);
    }

    /** Waits until {@code thread} has ended, even if interrupted meanwhile (the interrupt is kept). */
    static void join(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fails the records published after the journal thread stopped. Holds sweepLock. */
    private void sweep() {
        long cursor = ring.getCursor();
        for (long s = swept + 1; s <= cursor; s++) {
            while (!ring.isAvailable(s)) {
                Thread.onSpinWait(); // claimed, being copied: published within a moment
            }
            Completion d = ring.get(s).take();
            if (d != null) {
                d.failed(closedFailure);
            }
            swept = s;
        }
    }

    /** The journal thread: takes what producers publish (and drainers leave), then writes its last and stops. */
    private void run() {
        while (true) {
            try {
                barrier.waitFor(taken.get() + 1);
            } catch (AlertException e) {
                break; // closing: every record published before close() began has been taken
            } catch (TimeoutException e) {
                writer.onTimeout();
                continue;
            } catch (InterruptedException e) {
                continue; // nobody interrupts it; only close() ends it
            } catch (RuntimeException | Error e) {
                errors.accept(e);
                continue;
            }
            writing.lock();
            try {
                long before = taken.get();
                take(true);
                wait.took(taken.get() - before);
            } finally {
                writing.unlock();
            }
        }
        writing.lock();
        try {
            take(true);
            stopped = true;
            writer.onShutdown();
            writer.deliver();
        } catch (RuntimeException | Error e) {
            errors.accept(e);
        } finally {
            writing.unlock();
        }
    }

    /**
     * With {@link #writing} held: writes and completes the records published from the next one on, in sequence,
     * at most {@link #MAX_TAKE}. Returns false when it left some for the journal thread: not being it, it stopped
     * before a record that needs it, or at the limit (a drainer is not kept writing for others for long).
     */
    private boolean take(boolean journalThread) {
        long next = taken.get() + 1;
        long last = next - 1;
        try {
            for (int n = 1; ring.isAvailable(next); n++) {
                JournalEvent e = ring.get(next);
                if (!journalThread && e.done != null && writer.needsJournalThread(e)) {
                    writer.endBatch();
                    return false;
                }
                boolean end = n == MAX_TAKE || !ring.isAvailable(next + 1);
                e.slot = next;
                try {
                    writer.onEvent(e, end);
                } catch (RuntimeException | Error ex) {
                    errors.accept(ex);
                    Completion d = e.take();
                    if (d != null) {
                        d.failed(ex);
                    }
                }
                last = next++;
                long done = writer.doneThrough(last);
                if (done > taken.get()) {
                    taken.set(done); // the written records' slots free before they are told
                }
                writer.deliver();
                if (n == MAX_TAKE) {
                    return journalThread || !ring.isAvailable(next);
                }
            }
            return true;
        } finally {
            taken.set(last); // a slot is reused only once its record was written (or failed) and taken out of it
            writer.deliver();
        }
    }
}
