package pk.gov.bisp.nser.server.feedback;

import java.util.List;
import pk.gov.bisp.nser.server.http.IdempotencyClaims;

/**
 * The purchases of one accepted request: one journal record, applied to the summaries whole.
 *
 * @param requestId      the request's X-Request-Id (also in the access log)
 * @param receivedMillis when the server accepted it
 * @param organisation   the posting organisation: the only one whose summaries it feeds
 * @param user           the posting user
 * @param idempotencyKey the request's Idempotency-Key, or null
 * @param fingerprint    with a key: a digest of the request body, so a key reused with another body is refused
 */
public record PurchaseBatch(String requestId, long receivedMillis, String organisation, String user,
                            List<Purchase> purchases, String idempotencyKey, String fingerprint)
        implements IdempotencyClaims.Keyed {

    public PurchaseBatch {
        purchases = List.copyOf(purchases);
        if ((idempotencyKey == null) != (fingerprint == null)) {
            throw new IllegalArgumentException("an idempotency key comes with its request's fingerprint");
        }
    }

    @Override
    public int items() {
        return purchases.size();
    }

    /** A batch posted without an Idempotency-Key. */
    public PurchaseBatch(String requestId, long receivedMillis, String organisation, String user,
                         List<Purchase> purchases) {
        this(requestId, receivedMillis, organisation, user, purchases, null, null);
    }
}
