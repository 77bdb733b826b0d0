package pk.gov.bisp.nser.server.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link ExchangeBatch} as one journal record of kind {@link #KIND}: JSON (version {@code "v": 1}), so the journal
 * can be read with any JSON tool.
 * <pre>
 * {"v":1,"request_id":"...","at":1765000000000,"organisation":"pakistan-bait-ul-mal","user":"partner-1",
 *  "key":"k-1","fingerprint":"ab12...",
 *  "enrolments":[{"household_id":42,"cnic":3520112345671,"programme":"pbm","status":"enrolled","date":"2026-11-01"}],
 *  "benefits":[{"household_id":42,"programme":"pbm","period":"2026-11","amount_paisa":500000,"kind":"cash"}]}
 * </pre>
 * {@code cnic} is absent when the partner named the household id; {@code key} and {@code fingerprint} when it sent
 * no Idempotency-Key.
 *
 * <p>A {@link Rescore} (a live update changed an enrolled household's registry status) is a record of kind
 * {@link #RESCORE}, also JSON version 1; {@code eligible} is absent when the registry has no rule for the programme, and
 * {@code items} is empty in the record a clean close writes to say how far the updates were looked at:
 * <pre>
 * {"v":1,"update":17,"at":1765000000000,"household_id":42,
 *  "items":[{"programme":"pbm","pmt_band":"30-35","eligible":false}]}
 * </pre>
 *
 * <p>On a replica a batch travels on the replicated log as its record of kind {@link #KIND}, and the journal keeps what
 * this replica applied from the log as records of kind {@link #LOGGED}: the log position, then that record.
 */
final class ExchangeCodec {

    static final int KIND = 1;
    static final int RESCORE = 2;
    /**
     * A batch a replica applied from the replicated log (issue 27's Kafka log): the log position (8 bytes, big-endian)
     * followed by the batch's record of kind {@link #KIND}.
     */
    static final int LOGGED = 3;
    static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ExchangeCodec() {
    }

    static byte[] encode(ExchangeBatch b) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("v", VERSION);
        n.put("request_id", b.requestId());
        n.put("at", b.at());
        n.put("organisation", b.organisation());
        n.put("user", b.user());
        if (b.idempotencyKey() != null) {
            n.put("key", b.idempotencyKey());
            n.put("fingerprint", b.fingerprint());
        }
        ArrayNode es = n.putArray("enrolments");
        for (Enrolment e : b.enrolments()) {
            ObjectNode o = es.addObject();
            o.put("household_id", e.householdId());
            if (e.cnic() >= 0) {
                o.put("cnic", e.cnic());
            }
            o.put("programme", e.programme());
            o.put("status", e.status());
            o.put("date", e.date().toString());
        }
        ArrayNode bs = n.putArray("benefits");
        for (Benefit x : b.benefits()) {
            ObjectNode o = bs.addObject();
            o.put("household_id", x.householdId());
            if (x.cnic() >= 0) {
                o.put("cnic", x.cnic());
            }
            o.put("programme", x.programme());
            o.put("period", x.period().toString());
            o.put("amount_paisa", x.amountPaisa());
            o.put("kind", x.kind());
        }
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ExchangeBatch decode(byte[] data, int off, int len) throws IOException {
        JsonNode n;
        try {
            n = MAPPER.readTree(data, off, len);
            if (n == null || n.path("v").asInt() != VERSION) {
                throw new IOException("not an exchange batch of version " + VERSION);
            }
            List<Enrolment> es = new ArrayList<>();
            for (JsonNode o : n.path("enrolments")) {
                es.add(new Enrolment(o.path("household_id").asLong(), o.has("cnic") ? o.path("cnic").asLong() : -1,
                        text(o, "programme"), text(o, "status"), LocalDate.parse(text(o, "date"))));
            }
            List<Benefit> bs = new ArrayList<>();
            for (JsonNode o : n.path("benefits")) {
                bs.add(new Benefit(o.path("household_id").asLong(), o.has("cnic") ? o.path("cnic").asLong() : -1,
                        text(o, "programme"), YearMonth.parse(text(o, "period")), o.path("amount_paisa").asLong(),
                        text(o, "kind")));
            }
            return new ExchangeBatch(text(n, "request_id"), n.path("at").asLong(), text(n, "organisation"),
                    text(n, "user"), es, bs, n.has("key") ? n.path("key").asText() : null,
                    n.has("fingerprint") ? n.path("fingerprint").asText() : null);
        } catch (RuntimeException e) {
            throw new IOException("unreadable exchange batch: " + e.getMessage(), e);
        }
    }

    static byte[] encode(Rescore r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("v", VERSION);
        n.put("update", r.update());
        n.put("at", r.at());
        n.put("household_id", r.householdId());
        ArrayNode items = n.putArray("items");
        for (Rescore.Item i : r.items()) {
            ObjectNode o = items.addObject();
            o.put("programme", i.programme());
            o.put("pmt_band", i.pmtBand());
            if (i.eligible() != null) {
                o.put("eligible", i.eligible());
            }
        }
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Rescore decodeRescore(byte[] data, int off, int len) throws IOException {
        try {
            JsonNode n = MAPPER.readTree(data, off, len);
            if (n == null || n.path("v").asInt() != VERSION || !n.path("update").isIntegralNumber()) {
                throw new IOException("not a rescore record of version " + VERSION);
            }
            List<Rescore.Item> items = new ArrayList<>();
            for (JsonNode o : n.path("items")) {
                items.add(new Rescore.Item(text(o, "programme"), text(o, "pmt_band"),
                        o.has("eligible") ? o.path("eligible").asBoolean() : null));
            }
            return new Rescore(n.path("update").asLong(), n.path("at").asLong(), n.path("household_id").asLong(),
                    items);
        } catch (RuntimeException e) {
            throw new IOException("unreadable rescore record: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException("'" + field + "' is missing");
        }
        return v.asText();
    }
}
