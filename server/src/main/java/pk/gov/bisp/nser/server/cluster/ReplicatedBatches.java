package pk.gov.bisp.nser.server.cluster;

import io.vertx.core.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.server.http.IdempotencyClaims;

/**
 * Batches posted by partners on a replica (purchase feedback, issue 27; the partner programmes' exchange, issue 31):
 * a batch posted to this replica is not journaled here first but appended to the replicated log as a record of the
 * feature's kind (its journal's encoding); every replica, this one too, applies the log's batches in its one order.
 * A batch whose Idempotency-Key its organisation used before in the log is not applied again, so a retry through
 * another replica counts once; every other batch is journaled by the feature with its position and applied. The
 * receiving replica answers once it has applied its own batch.
 *
 * @param <B> the feature's batch
 */
public final class ReplicatedBatches<B extends IdempotencyClaims.Keyed> implements SharedLog.Applier {

    private static final Logger LOG = Logger.getLogger(ReplicatedBatches.class.getName());

    /** What the feature tells of its batches. */
    public interface Batches<B> {
        /** The batch a log record holds (the journal's encoding). */
        B decode(byte[] value) throws IOException;

        /** The Idempotency-Keys claimed so far (replayed from the journal at start). */
        IdempotencyClaims claims();

        /** On the thread that applies the log: journals {@code batch} here with its position, then applies it. */
        void applyLogged(B batch, byte[] value, long position);
    }

    /** A batch sent through this replica, waiting for its application. */
    private record Waiting(Context context, IdempotencyClaims.Answer answer) {
    }

    private final String kind;
    private final Batches<B> batches;
    /** Batches sent through this replica, waiting for their application (refused, 503, when they do not come). */
    private final LogRequests<Waiting> requests;

    /**
     * Hands every record of {@code kind} in {@code log} to this replica's applier.
     *
     * @param thread the name of the thread that times requests out
     */
    public ReplicatedBatches(SharedLog log, String kind, String thread, Batches<B> batches) {
        this.kind = kind;
        this.batches = batches;
        this.requests = new LogRequests<>(log, thread, new LogRequests.Wording("batch",
                "retry with the same Idempotency-Key", "retry with the same Idempotency-Key"),
                (w, detail) -> w.context().runOnContext(v -> w.answer().refused(new IOException(detail))));
        log.applier(kind, this);
    }

    /** Answers a retry this replica already knows of at once; appends every other batch to the log. */
    public void submit(B batch, byte[] bytes, Context context, IdempotencyClaims.Answer answer) {
        if (batch.idempotencyKey() != null) {
            IdempotencyClaims.Claim earlier = batches.claims().peek(batch.organisation(), batch.idempotencyKey());
            if (earlier != null) {
                IdempotencyClaims.answerFrom(earlier, batch.fingerprint(), context, answer);
                return;
            }
        }
        requests.append(kind, bytes, new Waiting(context, answer));
    }

    /** On the thread that applies the log: the batch at {@code position}, applied once per Idempotency-Key. */
    @Override
    public Runnable apply(long position, String sender, byte[] value) {
        Waiting mine = requests.claim(sender);
        B b;
        try {
            b = batches.decode(value);
        } catch (IOException | RuntimeException e) { // every replica passes it over alike
            LOG.severe("update log position " + position + " is not a " + kind + " batch this replica can read; "
                    + "skipped: " + e.getMessage());
            return mine == null ? null : () -> mine.context().runOnContext(v -> mine.answer().refused(e));
        }
        if (b.idempotencyKey() != null) {
            IdempotencyClaims.Claim earlier = batches.claims().claim(b.organisation(), b.idempotencyKey(),
                    b.fingerprint(), b.items(), CompletableFuture.completedFuture(position));
            if (earlier != null) { // a retry already in the log: applied once
                return mine == null ? null : () -> IdempotencyClaims.answerFrom(earlier, b.fingerprint(),
                        mine.context(), mine.answer());
            }
        }
        batches.applyLogged(b, value, position);
        int n = b.items();
        return mine == null ? null : () -> mine.context().runOnContext(v -> mine.answer().accepted(position, n,
                false));
    }

    /**
     * Journals {@code value}, the batch applied from the log at {@code position}, in the feature's own journal as a
     * record of {@code kind}: the position (8 bytes, big-endian), then the batch; waits for its fsync. A batch that
     * cannot be journaled is logged ({@code what} names it) and applied all the same: the log holds it, and every
     * replica applies it; only a restart from a later checkpoint would not have it here.
     */
    public static void journal(Journal journal, int kind, long position, byte[] value, String what) {
        byte[] record = ByteBuffer.allocate(Long.BYTES + value.length).putLong(position).put(value).array();
        try {
            journal.appendAndWait(kind, record, 30_000);
        } catch (IOException e) {
            LOG.severe("the " + what + " at update log position " + position + " could not be journaled here; a "
                    + "restart from a later checkpoint would not have it: " + e);
        }
    }

    /** Batches still waiting for their application are refused (503). */
    public void close() {
        requests.close();
    }
}
