package pk.gov.bisp.nser.server.feedback;

import io.vertx.core.Context;
import java.io.IOException;
import java.nio.file.Path;
import pk.gov.bisp.nser.core.journal.Completion;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.core.journal.JournalClosedException;
import pk.gov.bisp.nser.core.journal.JournalOptions;
import pk.gov.bisp.nser.core.journal.RecoveryReport;
import pk.gov.bisp.nser.server.cluster.ReplicatedBatches;
import pk.gov.bisp.nser.server.cluster.SharedLog;
import pk.gov.bisp.nser.server.http.IdempotencyClaims;

/**
 * The purchase journal and the summaries derived from it. A batch is appended as one record to a journal that
 * fsyncs every write before completing it; only then is it added to the summaries (on the journal thread, in
 * journal order) and acknowledged. At open the journal is recovered (a torn tail cut) and replayed.
 */
public final class PurchaseStore implements AutoCloseable {

    /**
     * How a batch was answered. Every method runs on the context given to {@link #append}: accepted once journaled
     * (fsynced) and summarised; refused when nothing was stored or summarised.
     */
    public interface Answer extends IdempotencyClaims.Answer {
    }

    private final Journal journal;
    private final Summaries summaries;
    private final IdempotencyKeys keys;
    private final int maxPayload;
    /** The log records of purchase batches (the journal's JSON, {@link BatchCodec}). */
    static final String LOG_KIND = "purchases";
    /** On a replica: batches go through the replicated log (issue 27); null on a single server. */
    private ReplicatedBatches<PurchaseBatch> replicated;
    /** On a replica: the last log position this journal holds a batch of. */
    private volatile long logPosition;

    private PurchaseStore(Journal journal, Summaries summaries, IdempotencyKeys keys, int maxPayload) {
        this.journal = journal;
        this.summaries = summaries;
        this.keys = keys;
        this.maxPayload = maxPayload;
    }

    /**
     * Opens (creating, recovering) the journal in {@code dir} and rebuilds the summaries from it; refuses a journal
     * that lost batches to damage (each was acknowledged once fsynced), naming file, offset and sequences.
     */
    public static PurchaseStore open(Path dir, long segmentBytes) throws IOException {
        return open(dir, segmentBytes, null);
    }

    /**
     * As {@link #open(Path, long)}; on a replica ({@code log} not null) every batch goes through the replicated log,
     * and every replica applies the log's batches in its order, journaling each here with its position.
     */
    public static PurchaseStore open(Path dir, long segmentBytes, SharedLog log) throws IOException {
        PurchaseStore s = replay(dir, segmentBytes);
        if (log != null) {
            s.logPosition = s.summaries.logPosition();
            s.replicated = new ReplicatedBatches<>(log, LOG_KIND, "nser-purchase-timeouts", s.new Logged());
        }
        return s;
    }

    private static PurchaseStore replay(Path dir, long segmentBytes) throws IOException {
        JournalOptions o = JournalOptions.defaults(dir).withSegmentBytes(segmentBytes).withFsyncIntervalMicros(0);
        Journal j = Journal.open(o);
        try {
            j.recovery().requireNothingLost("purchase feedback", 0);
            IdempotencyKeys keys = new IdempotencyKeys();
            return new PurchaseStore(j, Summaries.replay(dir, keys::replayed), keys, o.maxPayload());
        } catch (IOException | RuntimeException e) {
            j.close();
            throw e;
        }
    }

    /** A store with no journal (routing-only tests): every batch is refused, every summary empty. */
    public static PurchaseStore unavailable() {
        return new PurchaseStore(null, new Summaries(), new IdempotencyKeys(), Integer.MAX_VALUE);
    }

    public Summaries summaries() {
        return summaries;
    }

    /** What opening the journal found (null when there is none). */
    public RecoveryReport recovery() {
        return journal == null ? null : journal.recovery();
    }

    /**
     * Journals {@code batch}; once it is fsynced its purchases join the summaries and it is answered accepted with
     * the record's sequence. A batch whose Idempotency-Key this organisation used before is not journaled again:
     * it gets the first batch's answer (once that one is written), or {@link Answer#reused} if it is another
     * request. If it cannot be journaled (journal full, closed or failing) it is refused, nothing is summarised, and
     * its key is free again.
     *
     * @throws IllegalArgumentException if the encoded batch is larger than one journal record may be
     */
    public void append(PurchaseBatch batch, Context context, Answer answer) {
        byte[] bytes = BatchCodec.encode(batch);
        if (bytes.length > maxPayload) {
            throw new IllegalArgumentException("the batch takes " + bytes.length + " bytes in the journal; at most "
                    + maxPayload + " fit in one record");
        }
        if (replicated != null) {
            replicated.submit(batch, bytes, context, answer);
            return;
        }
        Completion done = keys.journaling(batch, context, answer, () -> summaries.add(batch));
        if (done == null) {
            return; // answered from the earlier claim on its Idempotency-Key
        }
        if (journal == null) {
            done.failed(new JournalClosedException(Path.of("(no purchase journal)")));
            return;
        }
        journal.append(BatchCodec.KIND, bytes, 0, bytes.length, done);
    }

    /** The purchase batches as the replicated log carries them. */
    private final class Logged implements ReplicatedBatches.Batches<PurchaseBatch> {
        @Override
        public PurchaseBatch decode(byte[] value) throws IOException {
            return BatchCodec.decode(value, 0, value.length);
        }

        @Override
        public IdempotencyClaims claims() {
            return keys.claims();
        }

        @Override
        public void applyLogged(PurchaseBatch b, byte[] value, long position) {
            PurchaseStore.this.applyLogged(b, value, position);
        }
    }

    /**
     * On a replica, on the thread that applies the log: {@code batch} (encoded as {@code bytes}) at {@code position},
     * journaled here with its position (fsynced), then summarised; false when this journal holds it already.
     */
    boolean applyLogged(PurchaseBatch batch, byte[] bytes, long position) {
        if (position <= logPosition) {
            return false;
        }
        ReplicatedBatches.journal(journal, BatchCodec.LOGGED_KIND, position, bytes, "purchase batch");
        summaries.add(batch);
        logPosition = position;
        return true;
    }

    /** Writes what is queued, fsyncs and closes the journal; later batches are refused. */
    @Override
    public void close() throws IOException {
        if (replicated != null) {
            replicated.close();
        }
        if (journal != null) {
            journal.close();
        }
    }
}
