package pk.gov.bisp.nser.core.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Writes the journal's records, always with the journal's write lock held (by the journal thread, or by a thread
 * draining the ring for it, see {@link Journal#drain}): frames each batch of records into one direct buffer,
 * writes it with one {@code write()}, then completes the records; rolls segments; fsyncs by group commit. Every
 * failure is caught, handed to the one error handler, and the records concerned are failed; the next batch tries
 * again. Only the journal thread rolls, reopens or fsyncs ({@link #needsJournalThread}).
 *
 * <p>With a group-commit interval, the fsync runs on a thread of its own (the syncer): an fsync takes about half a
 * millisecond here and up to a few, and the writing goes on meanwhile instead of holding every response back for
 * it. The syncer makes durable what was written when it began. The channel is only replaced or closed (segment
 * roll, failure) under {@link #syncLock}, which the syncer holds while it fsyncs, so it never fsyncs a closed
 * segment; a segment is fsynced before it is closed. With interval 0 the journal thread fsyncs each batch itself,
 * before completing it.
 */
final class JournalWriter {

    private static final int BATCH_BYTES = 1 << 20;
    private static final long REOPEN_AFTER_NANOS = 1_000_000_000L;

    private final Path dir;
    private final long segmentBytes;
    private final long fsyncIntervalNanos;
    private final Consumer<Throwable> errors;
    private final CRC32C crc = new CRC32C();
    private final List<JournalEvent> pending = new ArrayList<>();
    // the outcomes of records written or failed, taken out of their slots, until deliver() tells them
    private Completion[] outDone = new Completion[64];
    private long[] outSequence = new long[64];
    private Throwable[] outFailure = new Throwable[64];
    private int outcomes;
    private ByteBuffer batch = ByteBuffer.allocateDirect(BATCH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    /** Guards replacing and closing {@link #channel} against the syncer's fsync. */
    private final Object syncLock = new Object();
    /**
     * Null after a failure we could not undo: a fresh segment is opened for the next record. Written only with the
     * write lock held, under syncLock.
     */
    private volatile FileChannel channel;
    private long position;
    private long nextSequence;
    /** When the writer last fsynced or asked the syncer to. */
    private long lastSyncNanos = System.nanoTime();
    /** Null with interval 0: the journal thread fsyncs. */
    private final Syncer syncer;
    /** The segment whose fsync failed on the syncer, for the journal thread to give up. */
    private volatile FileChannel syncFailedOn;
    private long failedAtNanos;
    private IOException failure;
    private IOException closeFailure;
    private volatile long written;
    private volatile long synced;
    /** The current segment's size up to {@link #written}: set with the write lock held, under syncLock on a swap. */
    private volatile long writtenBytes;
    /** Whether fsynced pages are dropped from the page cache ({@link JournalOptions#releaseSyncedPages}). */
    private final boolean releasePages;
    /** What each new segment reserves on disk ahead ({@link JournalOptions#reserveSegments}), or 0. */
    private final long reserve;
    /** The current segment's blocks and pages; replaced under syncLock with {@link #channel}. */
    private SegmentSpace space;

    JournalWriter(JournalOptions o, Recovery.Recovered r, Consumer<Throwable> errors) {
        this.dir = o.dir();
        this.segmentBytes = o.segmentBytes();
        this.fsyncIntervalNanos = o.fsyncIntervalMicros() * 1_000;
        this.errors = errors;
        this.channel = r.channel();
        this.position = r.position();
        this.writtenBytes = position;
        this.nextSequence = r.nextSequence();
        this.written = r.nextSequence() - 1;
        this.synced = written;
        this.releasePages = o.releaseSyncedPages();
        this.reserve = o.reserveSegments() ? segmentBytes : 0;
        this.space = SegmentSpace.of(dir.resolve(r.report().activeSegment()), reserve);
        this.syncer = fsyncIntervalNanos > 0 ? new Syncer() : null;
    }

    long written() {
        return written;
    }

    long synced() {
        return synced;
    }

    /** Why the final flush or fsync failed, if it did (read after the thread ended). */
    IOException closeFailure() {
        return closeFailure;
    }

    /** Takes one record (called with the journal's write lock held); the last of a batch writes them all. */
    void onEvent(JournalEvent e, boolean endOfBatch) {
        if (e.done != null) {
            add(e);
        }
        if (endOfBatch) {
            endBatch();
        }
    }

    /** Nothing came for a whole interval. */
    void onTimeout() {
        if (syncer != null) {
            syncer.request(); // idle for a whole interval: commit what the last batches wrote
        }
    }

    /** The journal thread's last act, with the write lock held: writes, fsyncs and closes. */
    void onShutdown() {
        flush();
        if (syncer != null) {
            syncer.stop();
        }
        sync();
        if (written > synced) {
            closeFailure = failure != null ? failure : new IOException("journal " + dir + ": records up to "
                    + written + " were written but not fsynced");
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ex) {
                closeFailure = ex;
            }
        }
        synchronized (syncLock) {
            closeSpace(closeFailure == null && written == synced);
        }
    }

    /**
     * Whether taking {@code e} may need more than a {@code write()} to the page cache: an fsync per batch (interval
     * 0), a segment roll (an fsync and a new file), or a segment to give up or reopen after a failure. Only the
     * journal thread does those; a thread writing for the journal otherwise stops before such a record.
     */
    boolean needsJournalThread(JournalEvent e) {
        if (fsyncIntervalNanos == 0 || channel == null || syncFailedOn != null) {
            return true;
        }
        long used = position + batch.position();
        return used + JournalLayout.FRAME_HEADER_SIZE + e.length > segmentBytes
                && used > JournalLayout.SEGMENT_HEADER_SIZE;
    }

    /** Writes and completes the records taken so far; asks the syncer for an fsync once an interval has passed. */
    void endBatch() {
        flush();
        if (syncer != null && System.nanoTime() - lastSyncNanos >= fsyncIntervalNanos) {
            lastSyncNanos = System.nanoTime();
            syncer.request();
        }
    }

    private void add(JournalEvent e) {
        FileChannel failedOn = syncFailedOn;
        if (failedOn != null) {
            syncFailedOn = null;
            if (failedOn == channel) { // the fsync of the segment we write failed: its pages may be gone
                broken(new IOException("journal " + dir + ": fsync failed on the syncer"));
            }
        }
        try {
            if (channel == null && !reopen()) {
                fail(e, failure);
                return;
            }
            int frame = JournalLayout.FRAME_HEADER_SIZE + e.length;
            long used = position + batch.position();
            if (used + frame > segmentBytes && used > JournalLayout.SEGMENT_HEADER_SIZE) {
                flush();
                roll();
            } else if (batch.remaining() < frame) {
                flush();
            }
            if (channel == null) {
                fail(e, failure);
                return;
            }
            if (batch.capacity() < frame) {
                batch = ByteBuffer.allocateDirect(frame).order(ByteOrder.LITTLE_ENDIAN);
            }
            JournalLayout.putFrame(batch, nextSequence, e.kind, e.payload, e.length, crc);
            e.sequence = nextSequence++;
            pending.add(e);
        } catch (IOException | RuntimeException ex) {
            broken(ex instanceof IOException io ? io : new IOException(ex));
            fail(e, ex);
        }
    }

    /** Writes the framed records, (with interval 0: fsyncs,) then completes them; on failure, fails them. */
    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        if (channel == null) {
            for (JournalEvent e : pending) {
                fail(e, failure);
            }
            nextSequence = pending.get(0).sequence;
            pending.clear();
            batch.clear();
            return;
        }
        batch.flip();
        try {
            while (batch.hasRemaining()) {
                channel.write(batch);
            }
            if (fsyncIntervalNanos == 0) {
                channel.force(false);
            }
            position += batch.limit();
            writtenBytes = position;
            written = pending.get(pending.size() - 1).sequence;
            if (fsyncIntervalNanos == 0) {
                synced = written;
                lastSyncNanos = System.nanoTime();
            }
            for (JournalEvent e : pending) {
                complete(e);
            }
        } catch (IOException ex) {
            nextSequence = pending.get(0).sequence;
            for (JournalEvent e : pending) {
                fail(e, ex);
            }
            undo(ex);
        } finally {
            batch.clear();
            pending.clear();
        }
    }

    /** Cuts a partly written batch off; if even that fails, the segment is given up. */
    private void undo(IOException cause) {
        try {
            channel.truncate(position);
            channel.position(position);
            errors.accept(cause);
        } catch (IOException ex) {
            cause.addSuppressed(ex);
            broken(cause);
        }
    }

    /** Fsyncs and closes the full segment, then starts the next; channel stays null if that fails. */
    private void roll() throws IOException {
        synchronized (syncLock) {
            sync();
            if (channel == null) {
                return; // the fsync failed and was reported
            }
            FileChannel full = channel;
            channel = null;
            full.close();
            closeSpace(true); // fsynced whole: none of it is needed in memory
            channel = SegmentFiles.create(dir, nextSequence);
            position = JournalLayout.SEGMENT_HEADER_SIZE;
            writtenBytes = position;
            space = SegmentSpace.of(dir.resolve(SegmentFiles.name(nextSequence)), reserve);
        }
    }

    /** Fsyncs on the journal thread (interval 0, a roll, shutdown). */
    private void sync() {
        force(true);
    }

    /**
     * Fsyncs the current segment, making durable every record written by now (earlier segments were fsynced when
     * they rolled). After a failed fsync the OS may have dropped the pages, so the segment is never trusted again:
     * the journal thread gives it up at once; the syncer reports it and leaves that to the journal thread.
     */
    private void force(boolean onJournalThread) {
        synchronized (syncLock) {
            FileChannel ch = channel;
            long w = written;
            long bytes = writtenBytes; // read with w, before the fsync: all of it is durable after
            if (ch == null || w == synced) {
                return;
            }
            try {
                ch.force(false);
                synced = w;
                if (releasePages && space != null) {
                    space.release(bytes, JournalOptions.RELEASE_STEP_BYTES);
                }
                if (onJournalThread) {
                    lastSyncNanos = System.nanoTime();
                }
            } catch (IOException | RuntimeException ex) {
                if (onJournalThread) {
                    broken(ex instanceof IOException io ? io : new IOException(ex));
                } else {
                    errors.accept(ex);
                    syncFailedOn = ch;
                }
            }
        }
    }

    private boolean reopen() {
        if (System.nanoTime() - failedAtNanos < REOPEN_AFTER_NANOS) {
            return false;
        }
        try {
            FileChannel fresh = SegmentFiles.create(dir, nextSequence);
            synchronized (syncLock) {
                channel = fresh;
                position = JournalLayout.SEGMENT_HEADER_SIZE;
                writtenBytes = position;
                space = SegmentSpace.of(dir.resolve(SegmentFiles.name(nextSequence)), reserve);
            }
            failure = null;
            return true;
        } catch (IOException ex) {
            broken(ex);
            return false;
        }
    }

    private void broken(IOException ex) {
        errors.accept(ex);
        failure = ex;
        failedAtNanos = System.nanoTime();
        synchronized (syncLock) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    ex.addSuppressed(suppressed);
                }
                channel = null;
            }
            closeSpace(false); // its pages may not be on disk, nor its size known: leave both to the kernel
        }
    }

    /**
     * Under syncLock, once the current segment is written for good: gives back its unused reserved blocks and, when
     * it is durable, drops its pages; then lets go of it.
     */
    private void closeSpace(boolean durable) {
        if (space != null) {
            if (durable) {
                space.trim(position);
                if (releasePages) {
                    space.releaseAll();
                }
            }
            space.close();
            space = null;
        }
    }

    /**
     * The fsync thread of a group-commit journal: each request fsyncs the current segment, making durable every
     * record written by then (earlier segments were fsynced when they rolled). A failure is reported and the
     * segment handed back to the journal thread to give up.
     */
    private final class Syncer implements Runnable {
        private final AtomicBoolean requested = new AtomicBoolean();
        private final Thread thread;
        private volatile boolean stopped;

        Syncer() {
            thread = new Thread(this, "nser-journal-sync");
            thread.setDaemon(true);
            thread.start();
        }

        void request() {
            if (!requested.get() && requested.compareAndSet(false, true)) {
                LockSupport.unpark(thread);
            }
        }

        /** Stops after any fsync under way; the journal thread does the last one itself. */
        void stop() {
            stopped = true;
            LockSupport.unpark(thread);
            Journal.join(thread);
        }

        @Override
        public void run() {
            while (!stopped) {
                if (requested.getAndSet(false)) {
                    force(false);
                } else {
                    LockSupport.park(this);
                }
            }
        }

    }

    private void complete(JournalEvent e) {
        outcome(e.sequence, e.take(), null);
    }

    private void fail(JournalEvent e, Throwable cause) {
        outcome(0, e.take(), cause);
    }

    /** Keeps a record's outcome, taken out of its ring slot, for {@link #deliver}. */
    private void outcome(long sequence, Completion d, Throwable failure) {
        if (outcomes == outDone.length) {
            outDone = java.util.Arrays.copyOf(outDone, outcomes * 2);
            outSequence = java.util.Arrays.copyOf(outSequence, outcomes * 2);
            outFailure = java.util.Arrays.copyOf(outFailure, outcomes * 2);
        }
        outDone[outcomes] = d;
        outSequence[outcomes] = sequence;
        outFailure[outcomes] = failure;
        outcomes++;
    }

    /**
     * The ring slot up to which every record taken so far, through {@code last}, is done with its slot: all of them
     * but those still waiting in the batch. The journal frees those slots before it {@link #deliver}s, so a producer
     * told its record is written finds the slot free again.
     */
    long doneThrough(long last) {
        return pending.isEmpty() ? last : pending.get(0).slot - 1;
    }

    /** Tells the records written or failed since the last call, in sequence order (the slots are free by now). */
    void deliver() {
        for (int i = 0; i < outcomes; i++) {
            Completion d = outDone[i];
            Throwable failure = outFailure[i];
            outDone[i] = null;
            outFailure[i] = null;
            try {
                if (failure == null) {
                    d.written(outSequence[i]);
                } else {
                    d.failed(failure);
                }
            } catch (RuntimeException | Error ex) {
                errors.accept(ex);
            }
        }
        outcomes = 0;
    }
}
