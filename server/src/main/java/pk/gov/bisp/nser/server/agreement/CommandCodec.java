package pk.gov.bisp.nser.server.agreement;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import pk.gov.bisp.nser.core.json.FieldErrors;
import pk.gov.bisp.nser.server.caller.Agreement;

/**
 * An {@link AgreementCommand} as one agreement-journal record of kind {@link #KIND}: JSON, version {@code v} 2.
 *
 * <pre>
 * {"v":2,"command":"suspend","at":"2026-12-07T04:00:00Z","by":"admin-1","by_organisation":"bisp",
 *  "request_id":"8f3a...","reason":"failed spot check 2026-12-06","agreement_id":"DSA-2026-001"}
 * </pre>
 *
 * After the common fields: {@code create} and {@code amend} carry {@code "agreement": {terms}} ({@link AgreementJson});
 * {@code suspend}, {@code resume} and {@code revoke} carry {@code agreement_id}; {@code issue_key} carries
 * {@code key_id}, {@code user}, {@code key_sha256}; {@code rotate_key} carries {@code key_id}, {@code new_key_id},
 * {@code key_sha256}, {@code overlap_seconds}; {@code revoke_key} carries {@code key_id}. Never a key itself. The
 * golden files are {@code server/src/test/resources/golden/agreements/v2/commands.ndjson} (written byte for byte) and
 * {@code .../v1/commands.ndjson} (still read) ({@code CommandCodecGoldenFileTest}); a change of these bytes needs a
 * new version.
 *
 * <p>Version 2 (issue 31) added {@code programmes} to the terms of {@code create} and {@code amend}: the partner
 * programmes the agreement lets its organisation post for. A version 1 record has none; its agreement reads with
 * programmes null, which means the configuration's {@code agreement.programmes}, as before version 2.
 *
 * <p>On a replica (issue 27's log) each change is a record of the replicated log, and the agreement journal keeps
 * what this replica applied from it as records of kind {@link #LOGGED_KIND}: the log position (8 bytes, big-endian),
 * then the same JSON; a restarted replica applies again only the log's agreement records after the last of them.
 */
final class CommandCodec {

    static final int KIND = 1;
    /** A command applied from the replicated log, with its position (on a replica). */
    static final int LOGGED_KIND = 2;
    static final int VERSION = 2;
    /** The first version, still read: no {@code programmes} in an agreement's terms. */
    static final int VERSION_1 = 1;
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CommandCodec() {
    }

    static byte[] encode(AgreementCommand c) {
        ByteArrayBuilder buf = new ByteArrayBuilder(512);
        try (JsonGenerator g = JSON.createGenerator(buf)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeStringField("command", c.name());
            AgreementCommand.Meta m = c.meta();
            g.writeStringField("at", m.at().toString());
            g.writeStringField("by", m.by());
            g.writeStringField("by_organisation", m.byOrganisation());
            g.writeStringField("request_id", m.requestId());
            g.writeStringField("reason", m.reason());
            if (c instanceof AgreementCommand.Create x) {
                agreement(g, x.agreement());
            } else if (c instanceof AgreementCommand.Amend x) {
                agreement(g, x.agreement());
            } else if (c instanceof AgreementCommand.SetStatus x) {
                g.writeStringField("agreement_id", x.agreementId());
            } else if (c instanceof AgreementCommand.IssueKey x) {
                g.writeStringField("key_id", x.keyId());
                g.writeStringField("user", x.userId());
                g.writeStringField("key_sha256", x.sha256());
            } else if (c instanceof AgreementCommand.RotateKey x) {
                g.writeStringField("key_id", x.keyId());
                g.writeStringField("new_key_id", x.newKeyId());
                g.writeStringField("key_sha256", x.sha256());
                g.writeNumberField("overlap_seconds", x.overlapSeconds());
            } else if (c instanceof AgreementCommand.RevokeKey x) {
                g.writeStringField("key_id", x.keyId());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    /** {@code c} as applied at {@code position} of the replicated log: a record of {@link #LOGGED_KIND}. */
    static byte[] encodeLogged(long position, AgreementCommand c) {
        byte[] json = encode(c);
        return java.nio.ByteBuffer.allocate(Long.BYTES + json.length).putLong(position).put(json).array();
    }

    /** The log position of a record of {@link #LOGGED_KIND}. */
    static long loggedPosition(byte[] data, int offset, int length) throws IOException {
        if (length < Long.BYTES) {
            throw new IOException("a logged agreement command shorter than its position");
        }
        return java.nio.ByteBuffer.wrap(data, offset, length).getLong();
    }

    private static void agreement(JsonGenerator g, Agreement a) throws IOException {
        g.writeObjectFieldStart("agreement");
        AgreementJson.writeTerms(g, a);
        g.writeEndObject();
    }

    static AgreementCommand decode(byte[] data, int offset, int length) throws IOException {
        JsonNode n = MAPPER.readTree(data, offset, length);
        if (n == null || !n.isObject()) {
            throw new IOException("an agreement command is a JSON object");
        }
        if (n.path("v").asInt() != VERSION && n.path("v").asInt() != VERSION_1) {
            throw new IOException("agreement command version v=" + n.path("v") + " is neither " + VERSION_1 + " nor "
                    + VERSION);
        }
        AgreementCommand.Meta m;
        try {
            m = new AgreementCommand.Meta(Instant.parse(req(n, "at")), req(n, "by"), req(n, "by_organisation"),
                    n.path("request_id").asText(null), n.path("reason").asText(null));
        } catch (DateTimeParseException e) {
            throw new IOException("agreement command: bad 'at': " + e.getMessage());
        }
        String command = req(n, "command");
        return switch (command) {
            case "create" -> new AgreementCommand.Create(m, agreement(n));
            case "amend" -> new AgreementCommand.Amend(m, agreement(n));
            case "suspend" -> new AgreementCommand.SetStatus(m, req(n, "agreement_id"), Agreement.Status.SUSPENDED);
            case "resume" -> new AgreementCommand.SetStatus(m, req(n, "agreement_id"), Agreement.Status.ACTIVE);
            case "revoke" -> new AgreementCommand.SetStatus(m, req(n, "agreement_id"), Agreement.Status.REVOKED);
            case "issue_key" -> new AgreementCommand.IssueKey(m, req(n, "key_id"), req(n, "user"),
                    req(n, "key_sha256"));
            case "rotate_key" -> new AgreementCommand.RotateKey(m, req(n, "key_id"), req(n, "new_key_id"),
                    req(n, "key_sha256"), n.path("overlap_seconds").asLong());
            case "revoke_key" -> new AgreementCommand.RevokeKey(m, req(n, "key_id"));
            default -> throw new IOException("unknown agreement command '" + command + "'");
        };
    }

    private static Agreement agreement(JsonNode n) throws IOException {
        JsonNode a = n.get("agreement");
        if (a == null || !a.isObject()) {
            throw new IOException("agreement command without its agreement");
        }
        FieldErrors errors = new FieldErrors();
        Agreement out = AgreementJson.read(a, null, null, errors);
        if (errors.any()) {
            throw new IOException("agreement command with a bad agreement: " + errors.list());
        }
        return out;
    }

    private static String req(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException("agreement command without '" + field + "'");
        }
        return v.asText();
    }
}
