package pk.gov.bisp.nser.core.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The half of {@link SnapshotWriter#append} that cannot refuse a record the caller's half accepted: the households
 * map put, the bitmaps, the PMT index and the indicator column. It runs on a thread of its own, record by record in
 * ordinal order, so the files are the same as if the caller had done it, while the caller's thread goes on to the
 * next record's CNICs. A failure here is rethrown by the caller's next {@link #submit} or by {@link #finish}.
 */
final class AppendTail implements AutoCloseable {

    /** What is done for each record, in ordinal order, on the tail's thread. */
    @FunctionalInterface
    interface Work {
        void accept(int ordinal, byte[] record) throws IOException;
    }

    private static final int BATCH = 1_024;
    private static final byte[][] END = new byte[0][];

    private final BlockingQueue<byte[][]> queue = new ArrayBlockingQueue<>(32);
    private final Work work;
    private final Thread thread;
    private byte[][] batch = new byte[BATCH][];
    private int filled;
    private volatile Throwable failure;

    AppendTail(Work work) {
        this.work = work;
        this.thread = new Thread(this::run, "nser-snapshot-append");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues the next record (the tail keeps the array). */
    void submit(byte[] record) {
        batch[filled++] = record;
        if (filled == BATCH) {
            send(batch);
            batch = new byte[BATCH][];
            filled = 0;
        }
    }

    /** Waits until every submitted record is done; rethrows the tail's failure. */
    void finish() {
        if (filled > 0) {
            send(Arrays.copyOf(batch, filled));
            filled = 0;
        }
        send(END);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while finishing the snapshot", e);
        }
        rethrow();
    }

    /** Stops the tail without waiting for what is queued. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(byte[][] b) {
        try {
            while (!queue.offer(b, 100, TimeUnit.MILLISECONDS)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while appending", e);
        }
        rethrow();
    }

    private void rethrow() {
        Throwable t = failure;
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof IOException e) {
            throw new UncheckedIOException(e);
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    private void run() {
        int ordinal = 0;
        try {
            while (true) {
                byte[][] b = queue.take();
                if (b == END) {
                    return;
                }
                for (byte[] record : b) {
                    work.accept(ordinal++, record);
                }
            }
        } catch (InterruptedException e) {
            failure = new IllegalStateException("snapshot append stopped", e);
        } catch (Throwable t) {
            failure = t;
        }
    }
}
