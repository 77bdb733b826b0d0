package pk.gov.bisp.nser.server.audit;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.journal.Completion;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.server.metering.Ledger;

/**
 * Access records into the journal. When a record is written the ledger takes it (on the journal thread, in
 * journal order), then the response is released on its own event loop: the releases a batch of the journal brings
 * to one event loop run in one task there, not one task each, each on its request's context. (Vert.x gives every
 * request a context of its own, a duplicate of the event loop's: releases are queued per event loop, never per
 * context.) Records are encoded by an encoder kept per event-loop thread.
 */
public final class JournalAccessLog implements AccessLog {

    private static final Logger LOG = Logger.getLogger(JournalAccessLog.class.getName());
    private static final ThreadLocal<AccessRecord.Encoder> ENCODERS = ThreadLocal.withInitial(AccessRecord.Encoder::new);
    /** The releases bound for the calling thread's event loop. */
    private static final ThreadLocal<Releases> RELEASES = new ThreadLocal<>();

    private final Journal journal;
    private final Ledger ledger;

    public JournalAccessLog(Journal journal, Ledger ledger) {
        this.journal = journal;
        this.ledger = ledger;
    }

    @Override
    public Path directory() {
        return journal.options().dir();
    }

    @Override
    public void record(int kind, AccessRecord r, Context context, Runnable release, Consumer<Throwable> refused) {
        ContextInternal request = (ContextInternal) context;
        Releases releases = RELEASES.get();
        if (releases == null || releases.loop != request.unwrap()) {
            releases = new Releases(request.unwrap());
            RELEASES.set(releases);
        }
        Releases to = releases;
        AccessRecord.Encoder enc = ENCODERS.get();
        byte[] bytes = enc.encoded(r); // the journal copies it into its ring slot before append returns
        journal.append(kind, bytes, 0, enc.size(), new Completion() {
            @Override
            public void written(long sequence) {
                ledger.apply(kind, r, sequence);
                to.add(request, release);
            }

            @Override
            public void failed(Throwable cause) {
                context.runOnContext(v -> refused.accept(cause));
            }
        });
    }

    /**
     * Releases waiting to run on one event loop. The journal thread adds them; the first one added while no drain is
     * scheduled schedules one, which runs every release queued by then, each dispatched on its request's context.
     */
    private static final class Releases implements Handler<Void> {
        final ContextInternal loop;
        private final ConcurrentLinkedQueue<Release> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Releases(ContextInternal loop) {
            this.loop = loop;
        }

        void add(ContextInternal request, Runnable release) {
            queue.add(new Release(request, release));
            if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
                loop.runOnContext(this);
            }
        }

        @Override
        public void handle(Void ignored) {
            scheduled.set(false); // before draining: a release added from now on schedules another drain
            Release r;
            while ((r = queue.poll()) != null) {
                try {
                    r.request.dispatch(r.release);
                } catch (RuntimeException | Error e) {
                    LOG.log(Level.SEVERE, "releasing a logged response failed", e);
                }
            }
        }
    }

    private record Release(ContextInternal request, Runnable release) { }
}
