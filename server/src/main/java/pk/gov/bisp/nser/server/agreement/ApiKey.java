package pk.gov.bisp.nser.server.agreement;

import java.time.Instant;

/**
 * An API key as it is kept: its id, its user, the SHA-256 of the key (never the key), and its life.
 *
 * @param notAfter   when a rotation ends its overlap: refused from then on (null: no end)
 * @param replacedBy the key that a rotation made to replace it (null: none)
 * @param revokedAt  when it was revoked (null: not revoked)
 */
record ApiKey(String keyId, String userId, String sha256, Instant createdAt, String createdBy, Instant notAfter,
              String replacedBy, Instant revokedAt, String revokedBy) {

    /** The standing at {@code millis}: revoked, expired (past a rotation's overlap), rotating or active. */
    String status(long millis) {
        if (revokedAt != null) {
            return "revoked";
        }
        if (notAfter != null) {
            return millis >= notAfter.toEpochMilli() ? "expired" : "rotating";
        }
        return "active";
    }
}
