package pk.gov.bisp.nser.server.audit;

import io.vertx.core.Context;
import java.nio.file.Path;
import java.util.function.Consumer;
import pk.gov.bisp.nser.core.journal.Completion;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.server.metering.Ledger;

/**
 * Access records into the journal. When a record is written the ledger takes it (on the journal thread, in
 * journal order), then the response is released on its own event loop. Records are encoded by an encoder kept per
 * event-loop thread.
 */
public final class JournalAccessLog implements AccessLog {

    private static final ThreadLocal<AccessRecord.Encoder> ENCODERS = ThreadLocal.withInitial(AccessRecord.Encoder::new);

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
        AccessRecord.Encoder enc = ENCODERS.get();
        byte[] bytes = enc.encoded(r); // the journal copies it into its ring slot before append returns
        journal.append(kind, bytes, 0, enc.size(), new Completion() {
            @Override
            public void written(long sequence) {
                ledger.apply(kind, r, sequence);
                context.runOnContext(v -> release.run());
            }

            @Override
            public void failed(Throwable cause) {
                context.runOnContext(v -> refused.accept(cause));
            }
        });
    }
}
