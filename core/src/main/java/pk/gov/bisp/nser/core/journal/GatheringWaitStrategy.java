package pk.gov.bisp.nser.core.journal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * How the journal thread waits for records. Under load, when it finds none, it first sleeps for the gather window
 * (no producer has to wake it: it wakes by itself and takes everything published meanwhile as one batch); only
 * when the window brought nothing does it block until a producer signals. Producers signal only a blocked journal
 * thread, so under load appending costs no system call, and the journal thread wakes, writes and completes once
 * per window instead of once per few records. A record appended to an idle journal is taken at once; one appended
 * while the journal thread gathers waits at most the window.
 *
 * <p>"Under load": gathering pays only when a window brings several records; below that rate it would only add
 * latency. Every {@link #PERIOD_NANOS} the journal thread looks at how many records it took in the last period and
 * gathers while that is at least {@link #GATHER_MIN_RECORDS} a window (with the access log's 300 µs: above
 * 10,000 records/s); otherwise it blocks at once.
 *
 * <p>With a window of 0 it is a plain blocking strategy that signals only a waiting thread. With a timeout, a
 * wait that brings nothing for that long ends in {@link TimeoutException} (the journal thread then fsyncs).
 */
final class GatheringWaitStrategy implements WaitStrategy {

    /** Set while the calling thread publishes quietly. */
    private static final ThreadLocal<boolean[]> QUIET = ThreadLocal.withInitial(() -> new boolean[1]);
    private final Object mutex = new Object();
    private final AtomicBoolean signalNeeded = new AtomicBoolean();
    private final long windowNanos;
    private final long timeoutNanos;
    /** How often the journal thread decides whether to gather. */
    static final long PERIOD_NANOS = 5_000_000;
    /** Records a window must bring, on average over a period, for gathering to pay. */
    static final int GATHER_MIN_RECORDS = 3;
    // the journal thread's own state
    private long periodStartNanos;
    private long periodFirstSequence;
    private boolean gathering;
    /** Records the journal thread itself took (not those event loops wrote, see {@link Journal#drain}). */
    private long took;

    /** @param timeoutNanos 0 for none */
    GatheringWaitStrategy(long windowNanos, long timeoutNanos) {
        this(windowNanos, timeoutNanos, System.nanoTime());
    }

    /** With the first period starting at {@code startNanos} ({@link System#nanoTime}'s clock). */
    GatheringWaitStrategy(long windowNanos, long timeoutNanos, long startNanos) {
        this.windowNanos = windowNanos;
        this.timeoutNanos = timeoutNanos;
        this.periodStartNanos = startNanos;
    }

    /**
     * Called by the journal thread when it has taken every record published and has taken {@code next} records
     * itself so far: once a period has passed, gathers from now on if the period brought it at least
     * {@link #GATHER_MIN_RECORDS} a window. Returns whether it gathers.
     */
    boolean decide(long next, long nowNanos) {
        long elapsed = nowNanos - periodStartNanos;
        if (elapsed >= PERIOD_NANOS) {
            long records = next - periodFirstSequence;
            gathering = windowNanos > 0 && (double) records * windowNanos >= (double) GATHER_MIN_RECORDS * elapsed;
            periodStartNanos = nowNanos;
            periodFirstSequence = next;
        }
        return gathering;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependent, SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        long available = dependent.get();
        if (available >= sequence) {
            return available;
        }
        long start = System.nanoTime();
        if (decide(took, start)) {
            LockSupport.parkNanos(this, windowNanos);
            barrier.checkAlert();
            available = dependent.get();
            if (available >= sequence) {
                return available;
            }
        }
        synchronized (mutex) {
            while (true) {
                signalNeeded.set(true); // before the look below: a record published after that look signals
                available = dependent.get();
                if (available >= sequence) {
                    break;
                }
                barrier.checkAlert();
                if (timeoutNanos == 0) {
                    mutex.wait();
                } else {
                    long left = timeoutNanos - (System.nanoTime() - start);
                    if (left <= 0) {
                        throw TimeoutException.INSTANCE;
                    }
                    mutex.wait(left / 1_000_000, (int) (left % 1_000_000));
                }
            }
        }
        return available;
    }

    /** Called by the journal thread after each batch it took: the rate it gathers by is its own. */
    void took(long records) {
        took += records;
    }

    /**
     * Publishes {@code slot} without waking the journal thread (see {@link Journal#appendQuietly}): the publishing
     * thread writes it itself, or leaves it to whoever is writing.
     */
    void publishQuietly(RingBuffer<?> ring, long slot) {
        boolean[] quiet = QUIET.get();
        quiet[0] = true;
        try {
            ring.publish(slot);
        } finally {
            quiet[0] = false;
        }
    }

    /** Wakes the journal thread if it waits, whatever it waits for (records left to it, closing). */
    void wake() {
        synchronized (mutex) {
            mutex.notifyAll();
        }
    }

    @Override
    public void signalAllWhenBlocking() {
        if (QUIET.get()[0]) {
            return;
        }
        if (signalNeeded.getAndSet(false)) {
            synchronized (mutex) {
                mutex.notifyAll();
            }
        }
    }
}
