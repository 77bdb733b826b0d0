package pk.gov.bisp.nser.server.feedback;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import pk.gov.bisp.nser.core.cnic.Cnic;

/**
 * A {@link PurchaseBatch} as one journal record of kind {@link #KIND}: JSON, so the journal can be read with any
 * tool, with a format version {@code v} that the reader checks. Version 1:
 *
 * <pre>
 * {"v":1,"request_id":"8f3a...","received_at":"2026-11-22T07:40:12.345Z","organisation":"utility-stores",
 *  "user":"pos-1","purchases":[{"household_id":1234,"cnic":"3520212345671","programme":"usc-subsidy",
 *  "outlet_id":"USC-LHR-0042","purchased_at":"2026-11-22T07:35:00Z","amount_paisa":300000,"subsidy_paisa":50000,
 *  "items":[{"code":"atta-20kg","unit":"piece","quantity_milli":1000,"amount_paisa":300000,
 *  "subsidy_paisa":50000}]}]}
 * </pre>
 *
 * Money is in paisa and quantities in thousandths of their unit, so sums are exact. Version 2 is version 1 with
 * the request's Idempotency-Key and a digest of its body after {@code "user"}
 * ({@code "idempotency_key":"till-7-000123","fingerprint":"9b1c..."}); a batch posted without a key is written as
 * version 1. The golden files are {@code server/src/test/resources/golden/feedback/v1/batch.json} and
 * {@code .../v2/batch.json} ({@code BatchCodecGoldenFileTest}); a change of these bytes needs a new version.
 *
 * <p>On a replica (issue 27) a batch is a record of the replicated update log (kind {@code purchases}, these bytes),
 * and the purchase journal keeps what this replica applied from it as records of kind {@link #LOGGED_KIND}: the log
 * position (8 bytes, big-endian), then the same JSON.
 */
public final class BatchCodec {

    /** The journal record kind of a purchase batch. */
    public static final int KIND = 1;
    /** A batch applied from the replicated log, with its position (on a replica). */
    public static final int LOGGED_KIND = 2;
    /** The newest version written (for a batch with an idempotency key; one without is written as version 1). */
    public static final int VERSION = 2;

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BatchCodec() {
    }

    public static byte[] encode(PurchaseBatch b) {
        ByteArrayBuilder buf = new ByteArrayBuilder(256 + 256 * b.purchases().size());
        try (JsonGenerator g = JSON.createGenerator(buf)) {
            g.writeStartObject();
            g.writeNumberField("v", b.idempotencyKey() == null ? 1 : 2);
            g.writeStringField("request_id", b.requestId());
            g.writeStringField("received_at", Instant.ofEpochMilli(b.receivedMillis()).toString());
            g.writeStringField("organisation", b.organisation());
            g.writeStringField("user", b.user());
            if (b.idempotencyKey() != null) {
                g.writeStringField("idempotency_key", b.idempotencyKey());
                g.writeStringField("fingerprint", b.fingerprint());
            }
            g.writeArrayFieldStart("purchases");
            for (Purchase p : b.purchases()) {
                write(g, p);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    private static void write(JsonGenerator g, Purchase p) throws IOException {
        g.writeStartObject();
        g.writeNumberField("household_id", p.householdId());
        g.writeStringField("cnic", Cnic.digits(p.cnic()));
        g.writeStringField("programme", p.programme());
        g.writeStringField("outlet_id", p.outletId());
        g.writeStringField("purchased_at", Instant.ofEpochMilli(p.purchasedAtMillis()).toString());
        g.writeNumberField("amount_paisa", p.amountPaisa());
        g.writeNumberField("subsidy_paisa", p.subsidyPaisa());
        g.writeArrayFieldStart("items");
        for (Purchase.Item i : p.items()) {
            g.writeStartObject();
            g.writeStringField("code", i.code());
            g.writeStringField("unit", i.unit());
            g.writeNumberField("quantity_milli", i.quantityMilli());
            g.writeNumberField("amount_paisa", i.amountPaisa());
            g.writeNumberField("subsidy_paisa", i.subsidyPaisa());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Reads a record written by {@link #encode}; throws naming what is wrong. */
    public static PurchaseBatch decode(byte[] data, int offset, int length) throws IOException {
        JsonNode n = MAPPER.readTree(data, offset, length);
        if (n == null || !n.isObject()) {
            throw new IOException("a purchase batch is a JSON object");
        }
        int v = n.path("v").asInt(-1);
        if (v != 1 && v != 2) {
            throw new IOException("purchase batch format v=" + n.path("v") + "; this server reads v=1 and v=2");
        }
        try {
            List<Purchase> purchases = new ArrayList<>();
            for (JsonNode p : array(n, "purchases")) {
                List<Purchase.Item> items = new ArrayList<>();
                for (JsonNode i : array(p, "items")) {
                    items.add(new Purchase.Item(text(i, "code"), text(i, "unit"), number(i, "quantity_milli"),
                            number(i, "amount_paisa"), number(i, "subsidy_paisa")));
                }
                purchases.add(new Purchase(number(p, "household_id"), Cnic.parse(text(p, "cnic")),
                        text(p, "programme"), text(p, "outlet_id"), millis(p, "purchased_at"), items,
                        number(p, "amount_paisa"), number(p, "subsidy_paisa")));
            }
            return new PurchaseBatch(text(n, "request_id"), millis(n, "received_at"), text(n, "organisation"),
                    text(n, "user"), purchases, v == 2 ? text(n, "idempotency_key") : null,
                    v == 2 ? text(n, "fingerprint") : null);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IOException("purchase batch: " + e.getMessage(), e);
        }
    }

    private static JsonNode array(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray()) {
            throw new IOException("purchase batch: " + field + " is not an array");
        }
        return v;
    }

    private static String text(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException("purchase batch: " + field + " is not a string");
        }
        return v.asText();
    }

    private static long number(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IOException("purchase batch: " + field + " is not a whole number");
        }
        return v.asLong();
    }

    private static long millis(JsonNode n, String field) throws IOException {
        return Instant.parse(text(n, field)).toEpochMilli();
    }
}
