package pk.gov.bisp.nser.server.update;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import pk.gov.bisp.nser.core.schema.SurveySource;
import pk.gov.bisp.nser.server.caller.User;

/**
 * One update request, read and checked for shape on the event loop, decided on the update thread.
 *
 * @param kind            what it does
 * @param householdId     the household changed; for {@link Kind#CREATE} the id given in the body, or 0 to assign one
 * @param body            the request's JSON
 * @param type            the update type (one of the annual report's six)
 * @param source          the organisation the update comes from
 * @param ifMatch         versions the caller expects (If-Match), null when none was sent, empty for {@code *}
 * @param idempotencyKey  the Idempotency-Key header, or null
 * @param fingerprint     a digest of method, path and body: a reused key with another request is refused
 * @param user            who sent it
 * @param today           the date roster changes take effect (Pakistan time)
 */
record UpdateCommand(Kind kind, long householdId, JsonNode body, SurveySource type, String source,
                     long[] ifMatch, String idempotencyKey, String fingerprint, User user, LocalDate today) {

    enum Kind {
        /** {@code POST /v1/households}: a new (missed-out) household with its full survey. */
        CREATE,
        /** {@code PATCH /v1/households/{id}/members}: roster changes. */
        ROSTER,
        /** {@code PUT /v1/households/{id}/survey}: a full re-survey. */
        SURVEY
    }

    /** The key idempotency is tracked under: keys are per organisation. */
    String scopedKey() {
        return idempotencyKey == null ? null : user.organisation().id() + "\u0000" + idempotencyKey;
    }

    boolean versionMatches(long version) {
        if (ifMatch == null || ifMatch.length == 0) {
            return true;
        }
        for (long v : ifMatch) {
            if (v == version) {
                return true;
            }
        }
        return false;
    }
}
