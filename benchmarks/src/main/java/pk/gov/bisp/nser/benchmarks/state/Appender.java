package pk.gov.bisp.nser.benchmarks.state;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import pk.gov.bisp.nser.core.journal.Completion;
import pk.gov.bisp.nser.core.journal.Journal;

/**
 * One benchmark thread's record (an access-log line padded to {@link #RECORD_BYTES}) and its reusable
 * completion: the thread parks until the journal thread (or a draining thread) says the record is written.
 */
@State(Scope.Thread)
public class Appender implements Completion {

    public static final int RECORD_BYTES = 300;
    public static final int KIND = 1;

    public final byte[] record = record();
    private volatile long sequence;
    private volatile Throwable failure;
    private volatile Thread waiter;

    /** The benchmark's record: deterministic, so a test can check what was written. */
    public static byte[] record() {
        StringBuilder s = new StringBuilder("2025-03-01T09:15:42.118204Z GET /v1/households/by-cnic/3520212345671"
                + " 200 1532us org=partner-7 key=k7 role=STANDARD bytes=1893 ");
        while (s.length() < RECORD_BYTES) {
            s.append((char) ('a' + s.length() % 26));
        }
        return s.substring(0, RECORD_BYTES).getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends the record and waits until it is written; returns its sequence. */
    public long appendAndWait(Journal journal) {
        sequence = 0;
        failure = null;
        waiter = Thread.currentThread();
        journal.append(KIND, record, 0, record.length, this);
        while (sequence == 0 && failure == null) {
            LockSupport.park(this);
        }
        if (failure != null) {
            throw new IllegalStateException("append failed", failure);
        }
        return sequence;
    }

    /**
     * Appends the record quietly, drains the journal on this thread (as an event loop does at the end of its turn),
     * and waits until the record is written: at once when this drain wrote it, else until the thread that was
     * writing took it.
     */
    public long appendDrainAndWait(Journal journal) {
        sequence = 0;
        failure = null;
        waiter = Thread.currentThread();
        journal.appendQuietly(KIND, record, 0, record.length, this);
        journal.drain();
        while (sequence == 0 && failure == null) {
            LockSupport.park(this);
        }
        if (failure != null) {
            throw new IllegalStateException("append failed", failure);
        }
        return sequence;
    }

    @Override
    public void written(long seq) {
        sequence = seq;
        LockSupport.unpark(waiter);
    }

    @Override
    public void failed(Throwable cause) {
        failure = cause;
        LockSupport.unpark(waiter);
    }
}
