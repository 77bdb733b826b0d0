package pk.gov.bisp.nser.server.update;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import pk.gov.bisp.nser.core.json.HouseholdJson;
import pk.gov.bisp.nser.core.schema.Household;

/**
 * One update journal record (kind {@link #KIND}): the household's whole new state (so replaying it twice gives
 * the same result), where it goes, who sent it, and the answer given, which an Idempotency-Key retry gets again.
 * The payload is a JSON object replayed by {@code DeltaReplay}; JOURNAL-FORMAT.md gives the frame.
 *
 * @param ordinal        the household's ordinal (a new household's is the count before it)
 * @param created        true for a new household
 * @param household      the household after the update
 * @param updateType     the update type key
 * @param source         the organisation the update comes from
 * @param user           the user id that sent it
 * @param organisation   the user's organisation
 * @param at             when it was decided
 * @param idempotencyKey the caller's key scoped by organisation, or null
 * @param fingerprint    digest of the request, or null
 * @param status         the status answered
 * @param response       the body answered
 */
record UpdateEntry(int ordinal, boolean created, Household household, String updateType, String source, String user,
                   String organisation, Instant at, String idempotencyKey, String fingerprint, int status,
                   byte[] response) {

    static final int KIND = pk.gov.bisp.nser.core.snapshot.DeltaReplay.KIND;
    private static final ObjectMapper JSON = HouseholdJson.JSON;

    byte[] encode() {
        ObjectNode n = JSON.createObjectNode();
        n.put("ordinal", ordinal).put("created", created).put("update_type", updateType).put("source", source)
                .put("user", user).put("organisation", organisation).put("at", at.toString());
        if (idempotencyKey != null) {
            n.put("idempotency_key", idempotencyKey).put("fingerprint", fingerprint);
        }
        n.put("status", status).put("response", new String(response, StandardCharsets.UTF_8));
        n.set("household", HouseholdJson.toJson(household));
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("an update entry could not be written as JSON", e);
        }
    }
}
