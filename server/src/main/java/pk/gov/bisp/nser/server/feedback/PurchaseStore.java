package pk.gov.bisp.nser.server.feedback;

import io.vertx.core.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import pk.gov.bisp.nser.core.journal.Completion;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.core.journal.JournalClosedException;
import pk.gov.bisp.nser.core.journal.JournalOptions;
import pk.gov.bisp.nser.core.journal.RecoveryReport;

/**
 * The purchase journal and the summaries derived from it. A batch is appended as one record to a journal that
 * fsyncs every write before completing it; only then is it added to the summaries (on the journal thread, in
 * journal order) and acknowledged. At open the journal is recovered (a torn tail cut) and replayed.
 */
public final class PurchaseStore implements AutoCloseable {

    private final Journal journal;
    private final Summaries summaries;
    private final int maxPayload;

    private PurchaseStore(Journal journal, Summaries summaries, int maxPayload) {
        this.journal = journal;
        this.summaries = summaries;
        this.maxPayload = maxPayload;
    }

    /** Opens (creating, recovering) the journal in {@code dir} and rebuilds the summaries from it. */
    public static PurchaseStore open(Path dir, long segmentBytes) throws IOException {
        JournalOptions o = JournalOptions.defaults(dir).withSegmentBytes(segmentBytes).withFsyncIntervalMicros(0);
        Journal j = Journal.open(o);
        try {
            return new PurchaseStore(j, Summaries.replay(dir), o.maxPayload());
        } catch (IOException | RuntimeException e) {
            j.close();
            throw e;
        }
    }

    /** A store with no journal (routing-only tests): every batch is refused, every summary empty. */
    public static PurchaseStore unavailable() {
        return new PurchaseStore(null, new Summaries(), Integer.MAX_VALUE);
    }

    public Summaries summaries() {
        return summaries;
    }

    /** What opening the journal found (null when there is none). */
    public RecoveryReport recovery() {
        return journal == null ? null : journal.recovery();
    }

    /**
     * Journals {@code batch}; once it is fsynced its purchases join the summaries and {@code accepted} runs on
     * {@code context} with the record's sequence. If it cannot be journaled (journal full, closed or failing),
     * {@code refused} runs on {@code context} and nothing is summarised.
     *
     * @throws IllegalArgumentException if the encoded batch is larger than one journal record may be
     */
    public void append(PurchaseBatch batch, Context context, LongConsumer accepted, Consumer<Throwable> refused) {
        byte[] bytes = BatchCodec.encode(batch);
        if (bytes.length > maxPayload) {
            throw new IllegalArgumentException("the batch takes " + bytes.length + " bytes in the journal; at most "
                    + maxPayload + " fit in one record");
        }
        Completion done = new Completion() {
            @Override
            public void written(long sequence) {
                summaries.add(batch);
                context.runOnContext(v -> accepted.accept(sequence));
            }

            @Override
            public void failed(Throwable cause) {
                context.runOnContext(v -> refused.accept(cause));
            }
        };
        if (journal == null) {
            done.failed(new JournalClosedException(Path.of("(no purchase journal)")));
            return;
        }
        journal.append(BatchCodec.KIND, bytes, 0, bytes.length, done);
    }

    /** Writes what is queued, fsyncs and closes the journal; later batches are refused. */
    @Override
    public void close() throws IOException {
        if (journal != null) {
            journal.close();
        }
    }
}
