package pk.gov.bisp.nser.server.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * One access-log record: what the data-sharing plan (8.2.3) asks to be logged for each serviced request, and what
 * it was billed. Stored in the journal as JSON (kind {@link #REQUEST}, or {@link #STREAM_END} for the rows a
 * stream actually sent), so the log can be read with any tool.
 */
public record AccessRecord(String requestId, long epochMillis, String clientIp, String userId, String userName,
                           String organisation, String organisationType, String role, String operation,
                           String method, String path, String query, String cnic, long rows, int fieldClasses,
                           int status, long latencyMicros, boolean stream, long billedRows, long amountPaisa) {

    /** A request answered (for a stream: the record written before its first row, billed nothing yet). */
    public static final int REQUEST = 1;
    /** The end of a stream: the rows it sent, and their bill. */
    public static final int STREAM_END = 2;

    private static final JsonFactory JSON = new JsonFactory();
    private static final String[] CLASSES = {"public", "confidential", "secret"};

    /**
     * Encodes records as JSON, reusing one generator and buffer (and the text of the current second) between
     * records. Not thread-safe: one per thread.
     */
    public static final class Encoder {
        private final ByteArrayBuilder buf = new ByteArrayBuilder(512);
        private final JsonGenerator g;
        private long second = Long.MIN_VALUE;
        private String secondText;

        public Encoder() {
            try {
                g = JSON.createGenerator(buf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            g.setRootValueSeparator(null);
        }

        public byte[] encode(AccessRecord r) {
            buf.reset();
            try {
                r.write(g, timestamp(r.epochMillis));
                g.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buf.toByteArray();
        }

        /** ISO-8601 UTC with milliseconds, e.g. 2026-11-22T07:40:12.345Z; the seconds part is formatted once. */
        private String timestamp(long millis) {
            long s = Math.floorDiv(millis, 1000);
            if (s != second) {
                second = s;
                String t = Instant.ofEpochSecond(s).toString();
                secondText = t.substring(0, t.length() - 1);
            }
            int ms = Math.floorMod(millis, 1000);
            return secondText + (ms < 10 ? ".00" : ms < 100 ? ".0" : ".") + ms + "Z";
        }
    }

    private void write(JsonGenerator g, String timestamp) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", requestId);
        g.writeStringField("ts", timestamp);
        g.writeStringField("ip", clientIp);
        g.writeStringField("user", userId);
        g.writeStringField("user_name", userName);
        g.writeStringField("organisation", organisation);
        g.writeStringField("organisation_type", organisationType);
        g.writeStringField("role", role);
        g.writeStringField("operation", operation);
        g.writeStringField("method", method);
        g.writeStringField("path", path);
        g.writeStringField("query", query);
        g.writeStringField("cnic", cnic);
        g.writeNumberField("rows", rows);
        g.writeArrayFieldStart("field_classes");
        for (int c = 0; c < CLASSES.length; c++) {
            if ((fieldClasses & (1 << c)) != 0) {
                g.writeString(CLASSES[c]);
            }
        }
        g.writeEndArray();
        g.writeNumberField("status", status);
        g.writeNumberField("latency_us", latencyMicros);
        g.writeBooleanField("stream", stream);
        g.writeNumberField("billed_rows", billedRows);
        g.writeNumberField("amount_paisa", amountPaisa);
        g.writeEndObject();
    }

    /** Reads a record written by {@link #encode}. */
    public static AccessRecord decode(byte[] data, int offset, int length) throws IOException {
        String id = null, ts = null, ip = null, user = null, userName = null, org = null, orgType = null,
                role = null, op = null, method = null, path = null, query = null, cnic = null;
        long rows = 0, latency = 0, billed = 0, paisa = 0;
        int classes = 0, status = 0;
        boolean stream = false;
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
                orgType, role, op, method, path, query, cnic, rows, classes, status, latency, stream, billed, paisa);
    }
}
