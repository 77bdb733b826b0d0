package pk.gov.bisp.nser.server.update;

import java.nio.charset.StandardCharsets;

/**
 * What an update request is answered with: a status, a JSON body (a result, or problem+json), and the household
 * version for the ETag (-1 for none); {@code reason} (null: none) is for the access log only, never the caller.
 */
record Outcome(int status, String contentType, byte[] body, long version, boolean replayed, String reason) {

    static final String JSON = "application/json";

    Outcome(int status, String contentType, byte[] body, long version, boolean replayed) {
        this(status, contentType, body, version, replayed, null);
    }

    Outcome replay() {
        return new Outcome(status, contentType, body, version, true, reason);
    }

    /** The same answer, with the access log told why. */
    Outcome because(String why) {
        return new Outcome(status, contentType, body, version, replayed, why);
    }

    @Override
    public String toString() {
        return status + " " + new String(body, StandardCharsets.UTF_8);
    }
}
