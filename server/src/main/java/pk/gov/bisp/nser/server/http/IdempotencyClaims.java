package pk.gov.bisp.nser.server.http;

import io.vertx.core.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import pk.gov.bisp.nser.core.journal.Completion;

/**
 * The batches posted with an Idempotency-Key (scoped by organisation) to a journal of posted batches (purchase
 * feedback, the partner exchange), so that a retry is answered with the first answer instead of being applied twice.
 * A key is claimed when its batch is handed to the journal; its answer is the batch's journal sequence once written,
 * and a failed write releases the key so a retry can try again. Rebuilt at start from the journal. The newest
 * {@link #CAPACITY} keys are kept (a retry comes within minutes). Thread-safe.
 */
public final class IdempotencyClaims {

    public static final int CAPACITY = 1_000_000;

    /** A claimed key: the request it came with, how many items it carried, and its sequence once written. */
    /** A batch of items posted by an organisation, perhaps with an Idempotency-Key. */
    public interface Keyed {
        String organisation();

        /** The request's Idempotency-Key, or null. */
        String idempotencyKey();

        /** With a key: a digest of the request, so a key reused with another request is refused. */
        String fingerprint();

        /** The items posted. */
        int items();
    }

    public record Claim(String fingerprint, int accepted, CompletableFuture<Long> sequence) {
    }

    /** How a posted batch was answered; every method runs on the request's context. */
    public interface Answer {
        /** Journaled (fsynced) and applied; {@code replayed} when this is a retry answered from its key. */
        void accepted(long sequence, int count, boolean replayed);

        /** The Idempotency-Key was used before by this organisation with another request. */
        void reused();

        /** Not journaled (journal full, closed or failing): nothing was stored. */
        void refused(Throwable cause);
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

    /** Claims the key; returns null if it was free, else the earlier claim (the caller answers from it). */
    public synchronized Claim claim(String organisation, String key, String fingerprint, int items,
                                    CompletableFuture<Long> sequence) {
        return claims.putIfAbsent(scoped(organisation, key), new Claim(fingerprint, items, sequence));
    }

    /** The claim on the key, or null (claims nothing). */
    public synchronized Claim peek(String organisation, String key) {
        return claims.get(scoped(organisation, key));
    }

    /** Lets go of a claim whose batch was not journaled, so a retry is taken afresh. */
    public synchronized void release(String organisation, String key, String fingerprint, int items,
                                     CompletableFuture<Long> sequence) {
        claims.remove(scoped(organisation, key), new Claim(fingerprint, items, sequence));
    }

    /** A batch read back from the journal at start, written as {@code sequence}. */
    public synchronized void replayed(String organisation, String key, String fingerprint, int items, long sequence) {
        claims.put(scoped(organisation, key), new Claim(fingerprint, items, CompletableFuture.completedFuture(sequence)));
    }

    public synchronized int size() {
        return claims.size();
    }

    /**
     * A batch of {@code items} about to be journaled: claims its key ({@code key} null: none), and returns the
     * completion to hand the journal, which once the batch is written runs {@code apply}, completes the claim and
     * answers accepted; once it failed, releases the key and answers refused. Returns null when the key was claimed
     * before: the request is then answered from that claim (see {@link #answerFrom}) and nothing is journaled.
     */
    public Completion journaling(String organisation, String key, String fingerprint, int items, Context context,
                                 Answer answer, Runnable apply) {
        CompletableFuture<Long> sequence = new CompletableFuture<>();
        if (key != null) {
            Claim earlier = claim(organisation, key, fingerprint, items, sequence);
            if (earlier != null) {
                answerFrom(earlier, fingerprint, context, answer);
                return null;
            }
        }
        return new Completion() {
            @Override
            public void written(long seq) {
                apply.run();
                sequence.complete(seq);
                context.runOnContext(v -> answer.accepted(seq, items, false));
            }

            @Override
            public void failed(Throwable cause) {
                if (key != null) {
                    release(organisation, key, fingerprint, items, sequence);
                }
                sequence.completeExceptionally(cause);
                context.runOnContext(v -> answer.refused(cause));
            }
        };
    }

    /**
     * Answers, on {@code context}, a request whose key was claimed before: the first answer again (replayed) for the
     * same request ({@code fingerprint}), once its batch is written; {@link Answer#reused} for another.
     */
    public static void answerFrom(Claim earlier, String fingerprint, Context context, Answer answer) {
        if (!earlier.fingerprint().equals(fingerprint)) {
            context.runOnContext(v -> answer.reused());
        } else {
            earlier.sequence().whenComplete((seq, t) -> context.runOnContext(v -> {
                if (t == null) {
                    answer.accepted(seq, earlier.accepted(), true);
                } else {
                    answer.refused(t);
                }
            }));
        }
    }
}
