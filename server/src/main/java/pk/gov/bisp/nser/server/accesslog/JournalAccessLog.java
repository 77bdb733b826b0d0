package pk.gov.bisp.nser.server.accesslog;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.journal.Completion;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.server.vertx.VertxInternals;

/**
 * Access records into the journal. When a record is written the ledger takes it (in journal order, on the thread
 * writing), then the response is released on its own event loop.
 *
 * <p>With {@code eventLoopWrites} (the default), an event loop appends its records quietly and, once per turn of
 * the loop (a task queued behind the requests it is handling), drains the journal itself: one {@code write()} to
 * the page cache for the records published by then, whosever they are, then its own responses are released in the
 * same task. No thread is woken for a record: not the journal thread to take it, not the event loop to release
 * it. Records another thread wrote (another loop's drain, or the journal thread, which still rolls segments and
 * takes what a drain leaves) are released as before. The fsync stays group commit on the journal's syncer thread;
 * a journal that fsyncs every batch is never written by an event loop ({@link Journal#drains()}).
 *
 * <p>Otherwise the journal thread takes every record, and the releases a batch brings to one event loop run in one
 * task there, not one task each, each on its request's context. (Vert.x gives every request a context of its own,
 * a duplicate of the event loop's: releases are queued per event loop, never per context.) Records are encoded by
 * an encoder kept per event-loop thread.
 */
public final class JournalAccessLog implements AccessLog {

    private static final Logger LOG = Logger.getLogger(JournalAccessLog.class.getName());
    private static final ThreadLocal<AccessRecord.Encoder> ENCODERS = ThreadLocal.withInitial(AccessRecord.Encoder::new);
    /** The releases bound for the calling thread's event loop. */
    private static final ThreadLocal<Releases> RELEASES = new ThreadLocal<>();

    private final Journal journal;
    private final JournalListener ledger;
    private final boolean eventLoopWrites;

    /** @param ledger what bills each record once journaled ({@link JournalListener}) */
    public JournalAccessLog(Journal journal, JournalListener ledger, boolean eventLoopWrites) {
        this.journal = journal;
        this.ledger = ledger;
        this.eventLoopWrites = eventLoopWrites && journal.drains();
    }

    @Override
    public Path directory() {
        return journal.options().dir();
    }

    @Override
    public long lostRecords() {
        return journal.recovery().lostRecords();
    }

    @Override
    public void record(int kind, AccessRecord r, Context context, Runnable release, Consumer<Throwable> refused) {
        Context loop = VertxInternals.eventLoopContext(context);
        Releases releases = RELEASES.get();
        if (releases == null || releases.loop != loop) {
            releases = new Releases(loop, journal);
            RELEASES.set(releases);
        }
        Releases to = releases;
        AccessRecord.Encoder enc = ENCODERS.get();
        byte[] bytes = enc.encoded(r); // the journal copies it into its ring slot before append returns
        Completion done = new Completion() {
            @Override
            public void written(long sequence) {
                ledger.apply(kind, r, sequence);
                to.add(context, release);
            }

            @Override
            public void failed(Throwable cause) {
                context.runOnContext(v -> refused.accept(cause));
            }
        };
        if (eventLoopWrites && to.onLoop()) {
            journal.appendQuietly(kind, bytes, 0, enc.size(), done);
            to.drainSoon();
        } else {
            journal.append(kind, bytes, 0, enc.size(), done);
        }
    }

    /**
     * One event loop's side of the log: the releases waiting to run there, and its drains. A thread that wrote
     * records of this loop adds their releases; the first one added while no run is scheduled schedules one, which
     * runs every release queued by then, each dispatched on its request's context. Releases added by this loop's
     * own drain run at the end of that drain, with no task scheduled.
     */
    private static final class Releases implements Handler<Void> {
        final Context loop;
        private final Journal journal;
        private final EventLoop eventLoop;
        private final ConcurrentLinkedQueue<Release> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final Handler<Void> drain = v -> drain();
        // the loop thread's own state
        private boolean drainScheduled;
        private boolean draining;

        Releases(Context loop, Journal journal) {
            this.loop = loop;
            this.journal = journal;
            this.eventLoop = VertxInternals.eventLoop(loop);
        }

        boolean onLoop() {
            return eventLoop.inEventLoop();
        }

        /** On the loop: drains the journal once the loop has handled what it is handling now. */
        void drainSoon() {
            if (!drainScheduled) {
                loop.runOnContext(drain); // if refused (a closing loop), the journal thread takes the record
                drainScheduled = true;
            }
        }

        private void drain() {
            drainScheduled = false;
            draining = true;
            try {
                journal.drain();
            } finally {
                draining = false;
                release(); // what the drain wrote, even if it failed part way
            }
        }

        void add(Context request, Runnable release) {
            queue.add(new Release(request, release));
            if (onLoop() && draining) { // draining is the loop thread's own field: read it only there
                return; // our own drain wrote it: released when the drain returns
            }
            if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
                loop.runOnContext(this);
            }
        }

        @Override
        public void handle(Void ignored) {
            scheduled.set(false); // before draining: a release added from now on schedules another run
            release();
        }

        private void release() {
            Release r;
            while ((r = queue.poll()) != null) {
                try {
                    VertxInternals.dispatch(r.request, r.release);
                } catch (RuntimeException | Error e) {
                    LOG.log(Level.SEVERE, "releasing a logged response failed", e);
                }
            }
        }
    }

    private record Release(Context request, Runnable release) { }
}
