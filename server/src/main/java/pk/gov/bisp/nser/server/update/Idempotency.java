package pk.gov.bisp.nser.server.update;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answers given to requests with an Idempotency-Key (scoped by organisation), so a retry is answered again
 * instead of applied twice. Rebuilt at start from the checkpoint and the journal. The newest {@link #CAPACITY}
 * keys are kept (a retry comes within minutes; a million keys is days of updates at full speed). Used by the
 * update thread only.
 */
final class Idempotency {

    static final int CAPACITY = 1_000_000;

    /** The first answer, and the fingerprint of the request that got it. */
    record Stored(String fingerprint, Outcome outcome) {
    }

    private final Map<String, Stored> answers = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Stored> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The answer to replay for {@code key}, {@link #reused()} if the key came with another request, or null. */
    Outcome answer(String key, String fingerprint) {
        Stored s = answers.get(key);
        if (s == null) {
            return null;
        }
        return s.fingerprint().equals(fingerprint) ? s.outcome().replay() : reused();
    }

    static Outcome reused() {
        return UpdateProblems.of(422, "idempotency-key-reused", "Unprocessable update", "this Idempotency-Key was "
                + "already used with a different request; use a new key for a new update");
    }

    void remember(String key, String fingerprint, Outcome outcome) {
        answers.put(key, new Stored(fingerprint, outcome));
    }

    Map<String, Stored> all() {
        return answers;
    }
}
