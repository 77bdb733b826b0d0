package pk.gov.bisp.nser.server.feedback;

import io.vertx.core.Context;
import java.util.concurrent.CompletableFuture;
import pk.gov.bisp.nser.core.journal.Completion;
import pk.gov.bisp.nser.server.http.IdempotencyClaims;
import pk.gov.bisp.nser.server.http.IdempotencyClaims.Claim;

/**
 * The purchase batches posted with an Idempotency-Key: {@link IdempotencyClaims} keyed by a purchase batch's
 * organisation and key, so that a till's retry is answered with the first answer instead of being counted twice.
 * Rebuilt at start from the journal. Thread-safe.
 */
final class IdempotencyKeys {

    private final IdempotencyClaims claims = new IdempotencyClaims();

    /** Claims the batch's key; returns null if it was free, else the earlier claim (the caller answers from it). */
    Claim claim(PurchaseBatch b, CompletableFuture<Long> sequence) {
        return claims.claim(b.organisation(), b.idempotencyKey(), b.fingerprint(), b.purchases().size(), sequence);
    }

    /** {@link IdempotencyClaims#journaling} for a purchase batch: null when answered from an earlier claim. */
    Completion journaling(PurchaseBatch b, Context context, IdempotencyClaims.Answer answer, Runnable apply) {
        return claims.journaling(b.organisation(), b.idempotencyKey(), b.fingerprint(), b.purchases().size(), context,
                answer, apply);
    }

    /** The claim on the batch's key, or null (claims nothing). */
    Claim peek(PurchaseBatch b) {
        return claims.peek(b.organisation(), b.idempotencyKey());
    }

    /** A batch read back from the journal at start. */
    void replayed(PurchaseBatch b, long sequence) {
        if (b.idempotencyKey() != null) {
            claims.replayed(b.organisation(), b.idempotencyKey(), b.fingerprint(), b.purchases().size(), sequence);
        }
    }

    /** The claims themselves (the replicated log's batches claim their keys there). */
    IdempotencyClaims claims() {
        return claims;
    }

    int size() {
        return claims.size();
    }
}
