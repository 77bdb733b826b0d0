package pk.gov.bisp.nser.core.journal;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.WaitStrategy;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An append-only journal directory. Any thread may {@link #append}: the record is copied into a preallocated
 * Disruptor ring slot (multi-producer, never blocking: a full ring fails the record), and one journal thread
 * writes each batch with one {@code write()}, then calls the records' {@link Completion}s. Durability: with a
 * group-commit interval ({@link JournalOptions#fsyncIntervalMicros()}) a syncer thread fsyncs meanwhile; with 0,
 * the journal thread fsyncs each batch before completing it. Under load the journal thread gathers records for
 * {@link JournalOptions#gatherMicros()} before each batch instead of being woken for each (see
 * {@code GatheringWaitStrategy}). Sequences start at 1 and continue across restarts. {@link #open} recovers first
 * (see {@link RecoveryReport}).
 */
public final class Journal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Journal.class.getName());
    private static final long NOT_STOPPED = Long.MIN_VALUE;

    private final JournalOptions options;
    private final RecoveryReport recovery;
    private final int maxPayload;
    private final RingBuffer<JournalEvent> ring;
    private final JournalWriter writer;
    private final BatchEventProcessor<JournalEvent> processor;
    private final Thread thread;
    private final JournalFullException full;
    private final JournalClosedException closedFailure;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    private final Object sweepLock = new Object();
    /** The last ring slot failed or written after the journal thread stopped; guarded by sweepLock. */
    private long swept = NOT_STOPPED;
    private final JournalLock lock;

    private Journal(JournalOptions o, Recovery.Recovered r, Consumer<Throwable> errors, JournalLock lock) {
        this.lock = lock;
        options = o;
        recovery = r.report();
        maxPayload = o.maxPayload();
        WaitStrategy wait = new GatheringWaitStrategy(o.gatherMicros() * 1_000,
                o.fsyncIntervalMicros() > Long.MAX_VALUE / 1_000 ? Long.MAX_VALUE : o.fsyncIntervalMicros() * 1_000);
        ring = RingBuffer.createMultiProducer(JournalEvent::new, o.ringSize(), wait);
        writer = new JournalWriter(o, r, errors);
        processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), writer);
        processor.setExceptionHandler(new ToErrors(errors));
        ring.addGatingSequences(processor.getSequence());
        full = new JournalFullException(o.ringSize());
        closedFailure = new JournalClosedException(o.dir());
        thread = new Thread(processor, "nser-journal");
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
     * Queues one record; {@code done} is told once: {@code written(sequence)} on the journal thread, or
     * {@code failed} (synchronously, on this thread, when the ring is full or the journal closed).
     *
     * @throws IllegalArgumentException if {@code kind} is outside 0..65535 or {@code length} is above
     *                                  {@link JournalOptions#maxPayload()}
     */
    public void append(int kind, byte[] payload, int offset, int length, Completion done) {
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
            ring.publish(slot);
        }
        if (closed) {
            synchronized (sweepLock) { // closed while publishing: the journal thread may be gone already
                if (swept != NOT_STOPPED) {
                    sweep();
                }
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
        while (processor.getSequence().get() < target && thread.isAlive()) {
            LockSupport.parkNanos(50_000);
        }
        processor.halt();
        joinJournalThread();
        synchronized (sweepLock) {
            swept = processor.getSequence().get();
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

    /** The processor's failures outside our own handling (start, shutdown) go to the one error handler. */
    private record ToErrors(Consumer<Throwable> errors) implements ExceptionHandler<JournalEvent> {

        @Override
        public void handleEventException(Throwable ex, long sequence, JournalEvent event) {
            errors.accept(ex);
            Completion d = event == null ? null : event.take();
            if (d != null) {
                d.failed(ex);
            }
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            errors.accept(ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            errors.accept(ex);
        }
    }
}
