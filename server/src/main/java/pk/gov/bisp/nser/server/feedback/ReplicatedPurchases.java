package pk.gov.bisp.nser.server.feedback;

import io.vertx.core.Context;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
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
    private static final long APPLY_TIMEOUT_SECONDS = 30;

    /** A batch sent through this replica, waiting for its application. */
    private record Waiting(Context context, PurchaseStore.Answer answer) {
    }

    private final SharedLog log;
    private final PurchaseStore store;
    private final String origin;
    private final AtomicLong requests = new AtomicLong();
    private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nser-purchase-timeouts");
        t.setDaemon(true);
        return t;
    });

    ReplicatedPurchases(SharedLog log, PurchaseStore store) {
        this.log = log;
        this.store = store;
        this.origin = log.node() + "/" + UUID.randomUUID() + "/";
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
        long id = requests.incrementAndGet();
        waiting.put(id, new Waiting(context, answer));
        log.append(KIND, origin + id, bytes, (position, failure) -> {
            if (failure != null) {
                fail(id, new IOException("the update log (Kafka) could not take the batch ("
                        + failure.getClass().getSimpleName() + "); retry with the same Idempotency-Key"));
                return;
            }
            try {
                timeouts.schedule(() -> fail(id, new IOException("the batch is in the update log at position "
                        + position + " but this replica has not applied it within " + APPLY_TIMEOUT_SECONDS + " s; "
                        + "retry with the same Idempotency-Key")), APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (RejectedExecutionException closing) {
                fail(id, new IOException("the server is shutting down"));
            }
        });
    }

    private void fail(long request, Throwable cause) {
        Waiting w = waiting.remove(request);
        if (w != null) {
            w.context().runOnContext(v -> w.answer().refused(cause));
        }
    }

    /** On the thread that applies the log: the batch at {@code position}, counted once per Idempotency-Key. */
    @Override
    public Runnable apply(long position, String sender, byte[] value) {
        Waiting mine = sender != null && sender.startsWith(origin)
                && sender.substring(origin.length()).matches("[0-9]{1,18}")
                ? waiting.remove(Long.parseLong(sender.substring(origin.length()))) : null;
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
        timeouts.shutdownNow();
        for (Long id : waiting.keySet()) {
            fail(id, new IOException("the server is shutting down"));
        }
    }
}
