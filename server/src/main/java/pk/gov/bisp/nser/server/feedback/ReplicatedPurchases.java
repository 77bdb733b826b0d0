package pk.gov.bisp.nser.server.feedback;

import io.vertx.core.Context;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import pk.gov.bisp.nser.server.cluster.LogRequests;
import pk.gov.bisp.nser.server.cluster.SharedLog;
import pk.gov.bisp.nser.server.http.IdempotencyClaims;

/**
 * The purchase feedback of a replica (issue 27): a batch posted to this replica is not journaled here first but
 * appended to the replicated log as a record of kind {@value #KIND} (the purchase journal's JSON,
 * {@link BatchCodec}); every replica, this one too, applies the log's batches in its one order: a batch whose
 * Idempotency-Key its organisation used before in the log is not counted again, so a till's retry through another
 * replica counts once; every other batch is journaled here with its position and summarised. The receiving replica
 * answers once it has applied its own batch.
 */
final class ReplicatedPurchases implements SharedLog.Applier {

    static final String KIND = "purchases";
    private static final Logger LOG = Logger.getLogger(ReplicatedPurchases.class.getName());

    /** A batch sent through this replica, waiting for its application. */
    private record Waiting(Context context, PurchaseStore.Answer answer) {
    }

    private final PurchaseStore store;
    /** Batches sent through this replica, waiting for their application (refused, 503, when they do not come). */
    private final LogRequests<Waiting> requests;

    ReplicatedPurchases(SharedLog log, PurchaseStore store) {
        this.store = store;
        this.requests = new LogRequests<>(log, "nser-purchase-timeouts", new LogRequests.Wording("batch",
                "retry with the same Idempotency-Key", "retry with the same Idempotency-Key"),
                (w, detail) -> w.context().runOnContext(v -> w.answer().refused(new IOException(detail))));
    }

    /** Answers a retry this replica already knows of at once; appends every other batch to the log. */
    void submit(PurchaseBatch batch, byte[] bytes, Context context, PurchaseStore.Answer answer) {
        if (batch.idempotencyKey() != null) {
            IdempotencyClaims.Claim earlier = store.keys().peek(batch);
            if (earlier != null) {
                IdempotencyClaims.answerFrom(earlier, batch.fingerprint(), context, answer);
                return;
            }
        }
        requests.append(KIND, bytes, new Waiting(context, answer));
    }

    /** On the thread that applies the log: the batch at {@code position}, counted once per Idempotency-Key. */
    @Override
    public Runnable apply(long position, String sender, byte[] value) {
        Waiting mine = requests.claim(sender);
        PurchaseBatch b;
        try {
            b = BatchCodec.decode(value, 0, value.length);
        } catch (IOException | RuntimeException e) { // every replica passes it over alike
            LOG.severe("update log position " + position + " is not a purchase batch this replica can read; skipped: "
                    + e.getMessage());
            return mine == null ? null : () -> mine.context().runOnContext(v -> mine.answer().refused(e));
        }
        if (b.idempotencyKey() != null) {
            IdempotencyClaims.Claim earlier = store.keys().claim(b, CompletableFuture.completedFuture(position));
            if (earlier != null) { // a retry already in the log: counted once
                return mine == null ? null
                        : () -> IdempotencyClaims.answerFrom(earlier, b.fingerprint(), mine.context(), mine.answer());
            }
        }
        store.applyLogged(b, value, position);
        int n = b.purchases().size();
        return mine == null ? null : () -> mine.context().runOnContext(v -> mine.answer().accepted(position, n,
                false));
    }

    /** Batches still waiting for their application are refused (503). */
    void close() {
        requests.close();
    }
}
