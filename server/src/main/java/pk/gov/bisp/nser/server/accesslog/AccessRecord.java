package pk.gov.bisp.nser.server.accesslog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import pk.gov.bisp.nser.server.json.JsonBytes.Name;
import pk.gov.bisp.nser.server.json.JsonBytes.Text;
import pk.gov.bisp.nser.server.json.JsonBytes;

/**
 * One access-log record: what the data-sharing plan (8.2.3) asks to be logged for each serviced request, and what
 * it was billed. {@code reason} (null: none) is what the caller was not told: why an answer was refused, e.g. a
 * household outside the organisation's area answered as not found ({@code outside-area-scope}). Stored in the journal as JSON (kind {@link #REQUEST}, or {@link #STREAM_END} for the rows a
 * stream actually sent), so the log can be read with any tool. {@code agreement} (null: none) is the data-sharing
 * agreement the user acted under, written after {@code reason} as {@code "agreement"} only when there is one, and
 * {@code purposes} the consent and purpose a DCI search stated (issue 32), written last only when there are some: a
 * record written before either existed reads back with none.
 */
public record AccessRecord(String requestId, long epochMillis, String clientIp, String userId, String userName,
                           String organisation, String organisationType, String role, String operation,
                           String method, String path, String query, String cnic, long rows, int fieldClasses,
                           int status, long latencyMicros, boolean stream, long billedRows, long amountPaisa,
                           String reason, String agreement, java.util.List<Purpose> purposes) {

    /**
     * A record under no agreement and without purposes: what every record was before those fields (and still reads
     * as).
     */
    public AccessRecord(String requestId, long epochMillis, String clientIp, String userId, String userName,
                        String organisation, String organisationType, String role, String operation, String method,
                        String path, String query, String cnic, long rows, int fieldClasses, int status,
                        long latencyMicros, boolean stream, long billedRows, long amountPaisa, String reason) {
        this(requestId, epochMillis, clientIp, userId, userName, organisation, organisationType, role, operation,
                method, path, query, cnic, rows, fieldClasses, status, latencyMicros, stream, billedRows, amountPaisa,
                reason, null, java.util.List.of());
    }

    /** A record under {@code agreement} (null: none), without purposes. */
    public AccessRecord(String requestId, long epochMillis, String clientIp, String userId, String userName,
                        String organisation, String organisationType, String role, String operation, String method,
                        String path, String query, String cnic, long rows, int fieldClasses, int status,
                        long latencyMicros, boolean stream, long billedRows, long amountPaisa, String reason,
                        String agreement) {
        this(requestId, epochMillis, clientIp, userId, userName, organisation, organisationType, role, operation,
                method, path, query, cnic, rows, fieldClasses, status, latencyMicros, stream, billedRows, amountPaisa,
                reason, agreement, java.util.List.of());
    }

    /** A record with the DCI criteria's {@code purposes}, under no agreement. */
    public AccessRecord(String requestId, long epochMillis, String clientIp, String userId, String userName,
                        String organisation, String organisationType, String role, String operation, String method,
                        String path, String query, String cnic, long rows, int fieldClasses, int status,
                        long latencyMicros, boolean stream, long billedRows, long amountPaisa, String reason,
                        java.util.List<Purpose> purposes) {
        this(requestId, epochMillis, clientIp, userId, userName, organisation, organisationType, role, operation,
                method, path, query, cnic, rows, fieldClasses, status, latencyMicros, stream, billedRows, amountPaisa,
                reason, null, purposes);
    }

    public AccessRecord {
        purposes = purposes == null ? java.util.List.of() : java.util.List.copyOf(purposes);
    }

    /**
     * The consent or the authorisation a DCI search criterion carried (issue 32): {@code kind} is {@code consent} or
     * {@code authorize}; {@code ts} its timestamp; {@code text}, {@code code} and {@code refUri} its purpose (each
     * null when absent). Written in the record's {@code purposes} array, only when there is one: a record without
     * purposes is byte for byte what it was before the field existed.
     */
    public record Purpose(String referenceId, String kind, String ts, String text, String code, String refUri) {
    }

    /** A request answered (for a stream: the record written before its first row, billed nothing yet). */
    public static final int REQUEST = 1;
    /** The end of a stream: the rows it sent, and their bill. */
    public static final int STREAM_END = 2;

    private static final JsonFactory JSON = new JsonFactory();
    private static final String[] CLASSES = {"public", "confidential", "secret"};

    private static final Text[] CLASS_TEXTS = JsonBytes.texts(CLASSES);
    private static final Name ID = JsonBytes.name("id");
    private static final Name TS = JsonBytes.name("ts");
    private static final Name IP = JsonBytes.name("ip");
    private static final Name USER = JsonBytes.name("user");
    private static final Name USER_NAME = JsonBytes.name("user_name");
    private static final Name ORGANISATION = JsonBytes.name("organisation");
    private static final Name ORGANISATION_TYPE = JsonBytes.name("organisation_type");
    private static final Name ROLE = JsonBytes.name("role");
    private static final Name OPERATION = JsonBytes.name("operation");
    private static final Name METHOD = JsonBytes.name("method");
    private static final Name PATH = JsonBytes.name("path");
    private static final Name QUERY = JsonBytes.name("query");
    private static final Name CNIC = JsonBytes.name("cnic");
    private static final Name ROWS = JsonBytes.name("rows");
    private static final Name FIELD_CLASSES = JsonBytes.name("field_classes");
    private static final Name STATUS = JsonBytes.name("status");
    private static final Name LATENCY = JsonBytes.name("latency_us");
    private static final Name STREAM = JsonBytes.name("stream");
    private static final Name BILLED_ROWS = JsonBytes.name("billed_rows");
    private static final Name AMOUNT = JsonBytes.name("amount_paisa");
    private static final Name REASON = JsonBytes.name("reason");
    private static final Name AGREEMENT = JsonBytes.name("agreement");
    private static final Name PURPOSES = JsonBytes.name("purposes");
    private static final Name P_REFERENCE = JsonBytes.name("reference_id");
    private static final Name P_KIND = JsonBytes.name("kind");
    private static final Name P_TS = JsonBytes.name("ts");
    private static final Name P_TEXT = JsonBytes.name("text");
    private static final Name P_CODE = JsonBytes.name("code");
    private static final Name P_REF_URI = JsonBytes.name("ref_uri");

    /**
     * Encodes records as JSON into one reused buffer, with the quoted text of the current second formatted once.
     * Not thread-safe: one per thread.
     */
    public static final class Encoder {
        private final JsonBytes out = new JsonBytes(512);
        private long second = Long.MIN_VALUE;
        /** {@code "2026-11-22T07:40:12.345Z"}, quotes included; the milliseconds are rewritten per record. */
        private byte[] timestamp;

        public byte[] encode(AccessRecord r) {
            return Arrays.copyOf(encoded(r), out.size());
        }

        /** Encodes {@code r}; it is the first {@link #size()} bytes of the array returned, until the next record. */
        public byte[] encoded(AccessRecord r) {
            out.reset();
            r.write(out, timestamp(r.epochMillis));
            return out.array();
        }

        /** The length of the last record encoded. */
        public int size() {
            return out.size();
        }

        /** ISO-8601 UTC with milliseconds, quoted; the seconds part is formatted once a second. */
        private byte[] timestamp(long millis) {
            long s = Math.floorDiv(millis, 1000);
            if (s != second) {
                second = s;
                String t = Instant.ofEpochSecond(s).toString(); // ...:12Z
                timestamp = ("\"" + t.substring(0, t.length() - 1) + ".000Z\"").getBytes(StandardCharsets.US_ASCII);
            }
            int ms = Math.floorMod(millis, 1000);
            byte[] b = timestamp;
            int last = b.length - 3; // the millisecond digits end before Z and the closing quote
            b[last] = (byte) ('0' + ms % 10);
            b[last - 1] = (byte) ('0' + ms / 10 % 10);
            b[last - 2] = (byte) ('0' + ms / 100);
            return b;
        }
    }

    private void write(JsonBytes g, byte[] timestamp) {
        g.startObject();
        g.field(ID).value(requestId);
        g.field(TS).rawValue(timestamp);
        g.field(IP).value(clientIp);
        g.field(USER).value(userId);
        g.field(USER_NAME).value(userName);
        g.field(ORGANISATION).value(organisation);
        g.field(ORGANISATION_TYPE).value(organisationType);
        g.field(ROLE).value(role);
        g.field(OPERATION).value(operation);
        g.field(METHOD).value(method);
        g.field(PATH).value(path);
        g.field(QUERY).value(query);
        g.field(CNIC).value(cnic);
        g.field(ROWS).value(rows);
        g.field(FIELD_CLASSES).startArray();
        for (int c = 0; c < CLASSES.length; c++) {
            if ((fieldClasses & (1 << c)) != 0) {
                g.value(CLASS_TEXTS[c]);
            }
        }
        g.endArray();
        g.field(STATUS).value(status);
        g.field(LATENCY).value(latencyMicros);
        g.field(STREAM).value(stream);
        g.field(BILLED_ROWS).value(billedRows);
        g.field(AMOUNT).value(amountPaisa);
        if (reason != null) {
            g.field(REASON).value(reason);
        }
        if (agreement != null) {
            g.field(AGREEMENT).value(agreement);
        }
        if (!purposes.isEmpty()) {
            g.field(PURPOSES).startArray();
            for (Purpose p : purposes) {
                g.startObject();
                g.field(P_REFERENCE).value(p.referenceId());
                g.field(P_KIND).value(p.kind());
                g.field(P_TS).value(p.ts());
                g.field(P_TEXT).value(p.text());
                g.field(P_CODE).value(p.code());
                g.field(P_REF_URI).value(p.refUri());
                g.endObject();
            }
            g.endArray();
        }
        g.endObject();
    }

    /** Reads a record written by {@link #encode}. */
    public static AccessRecord decode(byte[] data, int offset, int length) throws IOException {
        String id = null, ts = null, ip = null, user = null, userName = null, org = null, orgType = null,
                role = null, op = null, method = null, path = null, query = null, cnic = null, reason = null,
                agreement = null;
        long rows = 0, latency = 0, billed = 0, paisa = 0;
        int classes = 0, status = 0;
        boolean stream = false;
        java.util.List<Purpose> purposes = new java.util.ArrayList<>();
        try (JsonParser p = JSON.createParser(data, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("an access record is a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                switch (f) {
                    case "id" -> id = p.getValueAsString();
                    case "ts" -> ts = p.getValueAsString();
                    case "ip" -> ip = p.getValueAsString();
                    case "user" -> user = p.getValueAsString();
                    case "user_name" -> userName = p.getValueAsString();
                    case "organisation" -> org = p.getValueAsString();
                    case "organisation_type" -> orgType = p.getValueAsString();
                    case "role" -> role = p.getValueAsString();
                    case "operation" -> op = p.getValueAsString();
                    case "method" -> method = p.getValueAsString();
                    case "path" -> path = p.getValueAsString();
                    case "query" -> query = p.getValueAsString();
                    case "cnic" -> cnic = p.getValueAsString();
                    case "rows" -> rows = p.getLongValue();
                    case "status" -> status = p.getIntValue();
                    case "latency_us" -> latency = p.getLongValue();
                    case "stream" -> stream = p.getBooleanValue();
                    case "billed_rows" -> billed = p.getLongValue();
                    case "amount_paisa" -> paisa = p.getLongValue();
                    case "reason" -> reason = p.getValueAsString();
                    case "agreement" -> agreement = p.getValueAsString();
                    case "purposes" -> {
                        if (t != JsonToken.START_ARRAY && t.isStructStart()) {
                            p.skipChildren();
                        }
                        while (t == JsonToken.START_ARRAY && p.nextToken() == JsonToken.START_OBJECT) {
                            purposes.add(purpose(p));
                        }
                    }
                    case "field_classes" -> {
                        while (p.nextToken() == JsonToken.VALUE_STRING) {
                            for (int c = 0; c < CLASSES.length; c++) {
                                classes |= CLASSES[c].equals(p.getText()) ? 1 << c : 0;
                            }
                        }
                    }
                    default -> {
                        if (t.isStructStart()) {
                            p.skipChildren();
                        }
                    }
                }
            }
        }
        return new AccessRecord(id, ts == null ? 0 : Instant.parse(ts).toEpochMilli(), ip, user, userName, org,
                orgType, role, op, method, path, query, cnic, rows, classes, status, latency, stream, billed, paisa,
                reason, agreement, purposes);
    }

    private static Purpose purpose(JsonParser p) throws IOException {
        String ref = null, kind = null, ts = null, text = null, code = null, uri = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            switch (f) {
                case "reference_id" -> ref = p.getValueAsString();
                case "kind" -> kind = p.getValueAsString();
                case "ts" -> ts = p.getValueAsString();
                case "text" -> text = p.getValueAsString();
                case "code" -> code = p.getValueAsString();
                case "ref_uri" -> uri = p.getValueAsString();
                default -> {
                    if (t.isStructStart()) {
                        p.skipChildren();
                    }
                }
            }
        }
        return new Purpose(ref, kind, ts, text, code, uri);
    }
}
