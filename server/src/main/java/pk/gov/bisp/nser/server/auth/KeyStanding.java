package pk.gov.bisp.nser.server.auth;

import pk.gov.bisp.nser.server.caller.User;

/**
 * A key's standing now: its {@code user} when allowed; else the refusal, which names only the caller's own status
 * (401 for the key itself: revoked, or replaced and past its overlap; 403 for its agreement: suspended, expired,
 * revoked, not yet valid). A refused key's {@code user} (null for a key refused itself) is who is logged.
 */
public record KeyStanding(User user, int status, String problem, String detail) {

    public static KeyStanding allowed(User user) {
        return new KeyStanding(user, 0, null, null);
    }

    public boolean ok() {
        return status == 0;
    }
}
