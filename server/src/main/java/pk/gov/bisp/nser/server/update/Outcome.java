package pk.gov.bisp.nser.server.update;

import java.nio.charset.StandardCharsets;

/**
 * What an update request is answered with: a status, a JSON body (a result, or problem+json), and the household
 * version for the ETag (-1 for none).
 */
record Outcome(int status, String contentType, byte[] body, long version, boolean replayed) {

    static final String JSON = "application/json";

    Outcome replay() {
        return new Outcome(status, contentType, body, version, true);
    }

    @Override
    public String toString() {
        return status + " " + new String(body, StandardCharsets.UTF_8);
    }
}
