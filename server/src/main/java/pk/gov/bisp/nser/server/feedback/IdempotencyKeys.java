package pk.gov.bisp.nser.server.feedback;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The purchase batches posted with an Idempotency-Key (scoped by organisation), so that a till's retry is
 * answered with the first answer instead of being counted twice. A key is claimed when its batch is handed to
 * the journal; its answer is the batch's journal sequence once written, and a failed write releases the key so a
 * retry can try again. Rebuilt at start from the journal. The newest {@link #CAPACITY} keys are kept (a retry
 * comes within minutes). Thread-safe.
 */
final class IdempotencyKeys {

    static final int CAPACITY = 1_000_000;

    /** A claimed key: the request it came with, how many purchases it carried, and its sequence once written. */
    record Claim(String fingerprint, int accepted, CompletableFuture<Long> sequence) {
    }

    private final Map<String, Claim> claims = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Claim> eldest) {
            return size() > CAPACITY;
        }
    };

    private static String scoped(String organisation, String key) {
        return organisation + '\u0000' + key;
    }

    /** Claims the batch's key; returns null if it was free, else the earlier claim (the caller answers from it). */
    synchronized Claim claim(PurchaseBatch b, CompletableFuture<Long> sequence) {
        String k = scoped(b.organisation(), b.idempotencyKey());
        Claim earlier = claims.get(k);
        if (earlier != null) {
            return earlier;
        }
        claims.put(k, new Claim(b.fingerprint(), b.purchases().size(), sequence));
        return null;
    }

    /** The claim on the batch's key, or null (claims nothing). */
    synchronized Claim peek(PurchaseBatch b) {
        return claims.get(scoped(b.organisation(), b.idempotencyKey()));
    }

    /** Lets go of a claim whose batch was not journaled, so a retry is taken afresh. */
    synchronized void release(PurchaseBatch b, CompletableFuture<Long> sequence) {
        claims.remove(scoped(b.organisation(), b.idempotencyKey()), new Claim(b.fingerprint(), b.purchases().size(),
                sequence));
    }

    /** A batch read back from the journal at start. */
    synchronized void replayed(PurchaseBatch b, long sequence) {
        if (b.idempotencyKey() != null) {
            claims.put(scoped(b.organisation(), b.idempotencyKey()), new Claim(b.fingerprint(), b.purchases().size(),
                    CompletableFuture.completedFuture(sequence)));
        }
    }

    synchronized int size() {
        return claims.size();
    }
}
