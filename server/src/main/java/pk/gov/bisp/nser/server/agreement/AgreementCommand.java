package pk.gov.bisp.nser.server.agreement;

import java.time.Instant;
import pk.gov.bisp.nser.server.caller.Agreement;

/**
 * One change to the agreements and keys, decided by an administrator: everything needed to apply it is in it (the
 * time, the new key's hash, the whole amended agreement), so {@link AgreementState#apply} is a function of the
 * state and the command alone. That is what lets the same commands, in the same order, give the same state on
 * every replica: today they are replayed from the agreement journal; in a cluster they are to travel on the ordered
 * log that carries the updates.
 */
sealed interface AgreementCommand {

    /** Who decided the change, when and why, and the request that carried it (its access record's id). */
    record Meta(Instant at, String by, String byOrganisation, String requestId, String reason) {
    }

    Meta meta();

    /** The command's name in the journal and the history. */
    String name();

    /** A new agreement (status active). */
    record Create(Meta meta, Agreement agreement) implements AgreementCommand {
        public String name() {
            return "create";
        }
    }

    /** The agreement's terms replaced by these (id, organisation and status unchanged). */
    record Amend(Meta meta, Agreement agreement) implements AgreementCommand {
        public String name() {
            return "amend";
        }
    }

    /** Suspend, resume or revoke an agreement. */
    record SetStatus(Meta meta, String agreementId, Agreement.Status status) implements AgreementCommand {
        public String name() {
            return switch (status) {
                case SUSPENDED -> "suspend";
                case ACTIVE -> "resume";
                case REVOKED -> "revoke";
            };
        }
    }

    /** A new key for a user; only its SHA-256 is kept. */
    record IssueKey(Meta meta, String keyId, String userId, String sha256) implements AgreementCommand {
        public String name() {
            return "issue_key";
        }
    }

    /** A new key replacing {@code keyId}, which stays valid {@code overlapSeconds} more. */
    record RotateKey(Meta meta, String keyId, String newKeyId, String sha256, long overlapSeconds)
            implements AgreementCommand {
        public String name() {
            return "rotate_key";
        }
    }

    /** The key refused from now on. */
    record RevokeKey(Meta meta, String keyId) implements AgreementCommand {
        public String name() {
            return "revoke_key";
        }
    }
}
