package pk.gov.bisp.nser.server.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import pk.gov.bisp.nser.core.json.HouseholdJson;
import pk.gov.bisp.nser.core.schema.SurveySource;
import pk.gov.bisp.nser.server.caller.User;

/**
 * An update command as a record of the replicated update log: the request as the receiving replica read it (its
 * body, headers that matter and caller), who is waiting for its answer, and the instant and date it is decided
 * for, so that every replica decides it alike. JSON, version {@value #VERSION}:
 * <pre>{"v":1, "node":"r1", "instance":"...", "request":7, "at":"2026-12-07T05:00:00Z", "kind":"ROSTER",
 *  "household_id":42, "update_type":"roster_update", "source":"bisp", "if_match":[3] (absent: none; []: *),
 *  "idempotency_key":"k" (optional), "fingerprint":"...", "user":"power-1", "today":"2026-12-07", "body":{...}}</pre>
 * The caller is named by user id and found in the replica's own configuration: every replica must be given the same
 * organisations and users.
 */
final class CommandCodec {

    static final int VERSION = 1;
    private static final ObjectMapper JSON = HouseholdJson.JSON;

    /** A command as read back from the log, with who waits for it. */
    record Envelope(String node, String instance, long request, Instant at, UpdateCommand command) {
    }

    private CommandCodec() {
    }

    static byte[] encode(String node, String instance, long request, Instant at, UpdateCommand c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("v", VERSION).put("node", node).put("instance", instance).put("request", request)
                .put("at", at.toString()).put("kind", c.kind().name()).put("household_id", c.householdId())
                .put("update_type", c.type().key()).put("source", c.source());
        if (c.ifMatch() != null) {
            ArrayNode a = n.putArray("if_match");
            for (long v : c.ifMatch()) {
                a.add(v);
            }
        }
        if (c.idempotencyKey() != null) {
            n.put("idempotency_key", c.idempotencyKey());
        }
        n.put("fingerprint", c.fingerprint()).put("user", c.user().id()).put("today", c.today().toString());
        n.set("body", c.body());
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("an update command could not be written as JSON", e);
        }
    }

    /**
     * The command in {@code bytes}.
     *
     * @throws IllegalArgumentException when it is not a command of this version, or names a user this replica
     *                                  does not know (the message says which)
     */
    static Envelope decode(byte[] bytes, Map<String, User> usersById) {
        JsonNode n;
        try {
            n = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (n == null || n.path("v").asInt() != VERSION) {
            throw new IllegalArgumentException("not an update command of version " + VERSION);
        }
        User user = usersById.get(n.path("user").asText());
        if (user == null) {
            throw new IllegalArgumentException("user '" + n.path("user").asText() + "' is not configured on this "
                    + "replica (every replica needs the same organisations and users)");
        }
        long[] ifMatch = null;
        if (n.has("if_match")) {
            JsonNode a = n.get("if_match");
            ifMatch = new long[a.size()];
            for (int i = 0; i < a.size(); i++) {
                ifMatch[i] = a.get(i).asLong();
            }
        }
        UpdateCommand c = new UpdateCommand(UpdateCommand.Kind.valueOf(n.path("kind").asText()),
                n.path("household_id").asLong(), n.get("body"), SurveySource.ofKey(n.path("update_type").asText()),
                n.path("source").asText(), ifMatch, n.has("idempotency_key") ? n.get("idempotency_key").asText()
                : null, n.path("fingerprint").asText(), user, LocalDate.parse(n.path("today").asText()));
        return new Envelope(n.path("node").asText(), n.path("instance").asText(), n.path("request").asLong(),
                Instant.parse(n.path("at").asText()), c);
    }
}
