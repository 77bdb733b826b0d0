package pk.gov.bisp.nser.server.feedback;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import pk.gov.bisp.nser.core.cnic.Cnic;

/** Writes the purchase summary of a household: one entry per organisation it is given, and nothing else. */
final class SummaryWriter {

    private SummaryWriter() {
    }

    /**
     * {@code {"cnic", ["household_id",] "organisations": [...]}}; {@code householdId} is written only when it is
     * at least 0 (for audit).
     */
    static void write(JsonGenerator g, long cnic, long householdId, Map<String, Tally> byOrganisation)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("cnic", Cnic.format(cnic));
        if (householdId >= 0) {
            g.writeNumberField("household_id", householdId);
        }
        g.writeArrayFieldStart("organisations");
        for (Map.Entry<String, Tally> e : byOrganisation.entrySet()) {
            organisation(g, e.getKey(), e.getValue());
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void organisation(JsonGenerator g, String organisation, Tally t) throws IOException {
        g.writeStartObject();
        g.writeStringField("organisation", organisation);
        g.writeNumberField("purchases", t.purchases);
        money(g, t.amountPaisa, t.subsidyPaisa);
        g.writeStringField("first_purchase_at", Instant.ofEpochMilli(t.firstMillis).toString());
        g.writeStringField("last_purchase_at", Instant.ofEpochMilli(t.lastMillis).toString());
        g.writeArrayFieldStart("by_programme");
        for (Map.Entry<String, Tally.ProgrammeTotal> e : t.byProgramme.entrySet()) {
            g.writeStartObject();
            g.writeStringField("programme", e.getKey());
            g.writeNumberField("purchases", e.getValue().purchases);
            money(g, e.getValue().amountPaisa, e.getValue().subsidyPaisa);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("items");
        for (Tally.ItemTotal i : t.items.values()) {
            g.writeStartObject();
            g.writeStringField("code", i.code);
            g.writeStringField("unit", i.unit);
            g.writeNumberField("lines", i.lines);
            g.writeFieldName("quantity");
            g.writeNumber(BigDecimal.valueOf(i.quantityMilli, 3).stripTrailingZeros().toPlainString());
            money(g, i.amountPaisa, i.subsidyPaisa);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void money(JsonGenerator g, long amountPaisa, long subsidyPaisa) throws IOException {
        g.writeFieldName("amount_pkr");
        g.writeNumber(PurchaseParser.pkr(amountPaisa));
        g.writeFieldName("subsidy_pkr");
        g.writeNumber(PurchaseParser.pkr(subsidyPaisa));
    }
}
