package pk.gov.bisp.nser.server.auth;

import java.util.Map;
import pk.gov.bisp.nser.server.caller.User;

/**
 * Who an API key is now: the live keys and agreements (kept by the agreement feature), or a fixed map (tests,
 * experiments). Asked on every authenticated request, so it answers from memory without locks.
 */
public interface KeyDirectory {

    /**
     * What the key with SHA-256 {@code sha256} may do now: its user under an active agreement, or the refusal
     * that says why not; null when no key has that hash.
     */
    KeyStanding lookup(String sha256);

    /** True while the agreement {@code agreementId} is active (for work that outlives its request's check). */
    boolean agreementActive(String agreementId);

    /** A fixed map of key hashes to users, each always allowed. */
    static KeyDirectory of(Map<String, User> usersByKeyHash) {
        Map<String, KeyStanding> standing = new java.util.HashMap<>();
        usersByKeyHash.forEach((h, u) -> standing.put(h, KeyStanding.allowed(u)));
        return new KeyDirectory() {
            @Override
            public KeyStanding lookup(String sha256) {
                return standing.get(sha256);
            }

            @Override
            public boolean agreementActive(String agreementId) {
                return true;
            }
        };
    }
}
