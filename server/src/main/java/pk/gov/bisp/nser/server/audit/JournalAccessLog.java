package pk.gov.bisp.nser.server.audit;

import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.Context;
import java.nio.file.Path;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import pk.gov.bisp.nser.server.journal.Completion;
import pk.gov.bisp.nser.server.journal.Journal;
import pk.gov.bisp.nser.server.metering.Ledger;

/**
 * Access records into the journal. When a record is written the ledger takes it (on the journal thread, in
 * journal order), then the response is released on its own event loop. Releases are handed over in batches:
 * one task per event loop drains every release written since the last, instead of one task (and one wake-up)
 * per response.
 */
public final class JournalAccessLog implements AccessLog {

    private static final ThreadLocal<ByteArrayBuilder> BUFFERS = ThreadLocal.withInitial(() -> new ByteArrayBuilder(512));

    private final Journal journal;
    private final Ledger ledger;
    private final Map<Context, Releases> releases = new ConcurrentHashMap<>();

    public JournalAccessLog(Journal journal, Ledger ledger) {
        this.journal = journal;
        this.ledger = ledger;
    }

    /** The releases waiting for one event loop, and whether a drain task is already queued there. */
    private static final class Releases {
        final Context context;
        final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
        final AtomicBoolean scheduled = new AtomicBoolean();

        Releases(Context context) {
            this.context = context;
        }

        void add(Runnable r) {
            queue.add(r);
            if (scheduled.compareAndSet(false, true)) {
                context.runOnContext(v -> drain());
            }
        }

        private void drain() {
            scheduled.set(false);
            for (Runnable r = queue.poll(); r != null; r = queue.poll()) {
                r.run();
            }
        }
    }

    @Override
    public Path directory() {
        return journal.options().dir();
    }

    @Override
    public void record(int kind, AccessRecord r, Context context, Runnable release, Consumer<Throwable> refused) {
        byte[] bytes = r.encode(BUFFERS.get());
        Releases to = releases.computeIfAbsent(context, Releases::new);
        journal.append(kind, bytes, 0, bytes.length, new Completion() {
            @Override
            public void written(long sequence) {
                ledger.apply(kind, r);
                to.add(release);
            }

            @Override
            public void failed(Throwable cause) {
                context.runOnContext(v -> refused.accept(cause));
            }
        });
    }
}
