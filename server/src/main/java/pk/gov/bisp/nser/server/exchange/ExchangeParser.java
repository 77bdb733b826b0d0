package pk.gov.bisp.nser.server.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.text.Printable;
import pk.gov.bisp.nser.server.feedback.FieldErrors;

/**
 * Reads the items of {@code {"enrolments": [...]}} or {@code {"benefits": [...]}}, reporting every bad field to a
 * {@link FieldErrors} under its path ({@code enrolments[3].status}). Unknown fields are errors, so a misspelt field is
 * never silently dropped. Each item names its household by {@code cnic} or {@code household_id} (exactly one); a
 * household that does not exist or lies outside the organisation's area is the same error ("no household"), and a
 * programme the organisation's agreement does not name is refused. One instance per request.
 */
final class ExchangeParser {

    static final String ENROLMENTS = "enrolments";
    static final String BENEFITS = "benefits";
    /** The earliest date or period taken. */
    static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);
    /** 10,000,000 PKR, in paisa: more than any one household's monthly benefit. */
    static final long MAX_AMOUNT_PAISA = 1_000_000_000L;
    private static final Set<String> ENROLMENT_FIELDS = Set.of("cnic", "household_id", "programme", "status", "date");
    private static final Set<String> BENEFIT_FIELDS = Set.of("cnic", "household_id", "programme", "period",
            "amount_pkr", "kind");

    /** Households the caller may post for. */
    interface Households {
        /** The household id of a CNIC in the caller's area, or -1. */
        long ofCnic(long cnic);

        /** Whether the household exists and lies in the caller's area. */
        boolean visible(long householdId);
    }

    private final Set<String> programmes;
    private final Households households;
    private final LocalDate today;
    private final FieldErrors errors;

    /** @param programmes the programmes the caller's agreement names */
    ExchangeParser(Set<String> programmes, Households households, LocalDate today, FieldErrors errors) {
        this.programmes = programmes;
        this.households = households;
        this.today = today;
        this.errors = errors;
    }

    /** The enrolments of the body; empty when any field was bad (each one reported). */
    List<Enrolment> enrolments(JsonNode root, int maxBatch) {
        List<Enrolment> out = new ArrayList<>();
        for (JsonNode n : list(root, ENROLMENTS, maxBatch)) {
            String at = ENROLMENTS + "[" + out.size() + "]";
            out.add(enrolment(n, at));
        }
        return errors.isEmpty() ? out : List.of();
    }

    /** The benefits of the body; empty when any field was bad (each one reported). */
    List<Benefit> benefits(JsonNode root, int maxBatch) {
        List<Benefit> out = new ArrayList<>();
        for (JsonNode n : list(root, BENEFITS, maxBatch)) {
            String at = BENEFITS + "[" + out.size() + "]";
            out.add(benefit(n, at));
        }
        return errors.isEmpty() ? out : List.of();
    }

    private List<JsonNode> list(JsonNode root, String name, int maxBatch) {
        unknown(root, "", Set.of(name));
        JsonNode list = root.get(name);
        List<JsonNode> out = new ArrayList<>();
        if (list == null || !list.isArray() || list.isEmpty()) {
            errors.add(name, "must be a non-empty array of " + name);
        } else if (list.size() > maxBatch) {
            errors.add(name, "has " + list.size() + " items; at most " + maxBatch + " per request");
        } else {
            list.forEach(out::add);
        }
        return out;
    }

    private Enrolment enrolment(JsonNode n, String at) {
        if (!object(n, at, ENROLMENT_FIELDS)) {
            return null;
        }
        long[] cnic = {-1};
        long household = household(n, at, cnic);
        String programme = programme(n, at);
        String status = text(n, at, "status");
        if (status != null && !Enrolment.STATUSES.contains(status)) {
            errors.add(at + ".status", "'" + Printable.of(status) + "'; valid: " + String.join(", ",
                    Enrolment.STATUSES));
            status = null;
        }
        LocalDate date = date(n, at);
        return household < 0 || programme == null || status == null || date == null ? null
                : new Enrolment(household, cnic[0], programme, status, date);
    }

    private Benefit benefit(JsonNode n, String at) {
        if (!object(n, at, BENEFIT_FIELDS)) {
            return null;
        }
        long[] cnic = {-1};
        long household = household(n, at, cnic);
        String programme = programme(n, at);
        YearMonth period = period(n, at);
        long amount = amount(n, at + ".amount_pkr");
        String kind = text(n, at, "kind");
        if (kind != null && !Benefit.KINDS.contains(kind)) {
            errors.add(at + ".kind", "'" + Printable.of(kind) + "'; valid: " + String.join(", ", Benefit.KINDS));
            kind = null;
        }
        return household < 0 || programme == null || period == null || amount < 0 || kind == null ? null
                : new Benefit(household, cnic[0], programme, period, amount, kind);
    }

    private boolean object(JsonNode n, String at, Set<String> fields) {
        if (n == null || !n.isObject()) {
            errors.add(at, "must be an object with the fields " + new java.util.TreeSet<>(fields));
            return false;
        }
        unknown(n, at, fields);
        return true;
    }

    private void unknown(JsonNode n, String at, Set<String> fields) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                errors.add(path(at, Printable.of(f)), "unknown field; valid: " + new java.util.TreeSet<>(fields));
            }
        }
    }

    private static String path(String at, String field) {
        return at.isEmpty() ? field : at + "." + field;
    }

    /** The household of the item's {@code cnic} or {@code household_id} (exactly one), or -1 after an error. */
    private long household(JsonNode n, String at, long[] cnicOut) {
        JsonNode c = n.get("cnic");
        JsonNode h = n.get("household_id");
        if ((c == null) == (h == null)) {
            errors.add(at + ".cnic", "give exactly one of cnic and household_id");
            return -1;
        }
        if (c != null) {
            long cnic = c.isTextual() ? Cnic.tryParse(c.asText()) : -1;
            if (cnic < 0) {
                errors.add(at + ".cnic", "must be a CNIC: 13 digits, or 5-7-1 with dashes, as a string");
                return -1;
            }
            long household = households.ofCnic(cnic);
            if (household < 0) {
                errors.add(at + ".cnic", "no household in the registry has CNIC " + Cnic.format(cnic));
            }
            cnicOut[0] = cnic;
            return household;
        }
        if (!h.isIntegralNumber() || !h.canConvertToLong() || h.asLong() <= 0) {
            errors.add(at + ".household_id", "must be a positive whole number (an NSER household id)");
            return -1;
        }
        if (!households.visible(h.asLong())) {
            errors.add(at + ".household_id", "no household in the registry has id " + h.asLong());
            return -1;
        }
        return h.asLong();
    }

    private String programme(JsonNode n, String at) {
        String p = text(n, at, "programme");
        if (p != null && !programmes.contains(p)) {
            errors.add(at + ".programme", "'" + Printable.of(p) + "' is not a programme your agreement names"
                    + (programmes.isEmpty() ? " (it names none)" : "; it names " + new java.util.TreeSet<>(programmes)));
            return null;
        }
        return p;
    }

    private LocalDate date(JsonNode n, String at) {
        String raw = text(n, at, "date");
        if (raw == null) {
            return null;
        }
        try {
            LocalDate d = LocalDate.parse(raw);
            if (d.isBefore(EARLIEST) || d.isAfter(today.plusDays(1))) {
                errors.add(at + ".date", raw + " is outside " + EARLIEST + " to today");
                return null;
            }
            return d;
        } catch (DateTimeException e) {
            errors.add(at + ".date", "'" + Printable.of(raw) + "' is not a date (2026-11-30)");
            return null;
        }
    }

    private YearMonth period(JsonNode n, String at) {
        String raw = text(n, at, "period");
        if (raw == null) {
            return null;
        }
        try {
            YearMonth m = YearMonth.parse(raw);
            if (m.isBefore(YearMonth.from(EARLIEST)) || m.isAfter(YearMonth.from(today))) {
                errors.add(at + ".period", raw + " is outside " + YearMonth.from(EARLIEST) + " to this month");
                return null;
            }
            return m;
        } catch (DateTimeException e) {
            errors.add(at + ".period", "'" + Printable.of(raw) + "' is not a month (2026-11)");
            return null;
        }
    }

    /** An amount in PKR (at most two decimals, 0 to 10 million) in paisa, or -1 after an error. */
    private long amount(JsonNode n, String at) {
        JsonNode v = n.get("amount_pkr");
        if (v == null || !v.isNumber()) {
            errors.add(at, "must be a number of PKR");
            return -1;
        }
        BigDecimal d = v.decimalValue();
        if (d.signum() < 0 || d.stripTrailingZeros().scale() > 2
                || d.movePointRight(2).compareTo(BigDecimal.valueOf(MAX_AMOUNT_PAISA)) > 0) {
            errors.add(at, "must be 0 to " + MAX_AMOUNT_PAISA / 100 + " PKR with at most two decimals");
            return -1;
        }
        return d.movePointRight(2).longValueExact();
    }

    private String text(JsonNode n, String at, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            errors.add(at + "." + field, v == null ? "is required" : "must be a non-empty string");
            return null;
        }
        return v.asText();
    }
}
