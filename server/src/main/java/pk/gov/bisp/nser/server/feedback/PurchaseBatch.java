package pk.gov.bisp.nser.server.feedback;

import java.util.List;

/**
 * The purchases of one accepted request: one journal record, applied to the summaries whole.
 *
 * @param requestId      the request's X-Request-Id (also in the access log)
 * @param receivedMillis when the server accepted it
 * @param organisation   the posting organisation: the only one whose summaries it feeds
 * @param user           the posting user
 */
public record PurchaseBatch(String requestId, long receivedMillis, String organisation, String user,
                            List<Purchase> purchases) {

    public PurchaseBatch {
        purchases = List.copyOf(purchases);
    }
}
