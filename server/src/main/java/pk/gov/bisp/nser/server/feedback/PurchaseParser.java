package pk.gov.bisp.nser.server.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.http.Problem;

/**
 * Reads the purchases of a request body (one purchase, or {@code {"purchases": [...]}}), reporting every bad field
 * to a {@link FieldErrors} under its path ({@code purchases[3].items[0].quantity}). Unknown fields are errors, so a
 * misspelt field is never silently dropped. One instance per request.
 */
final class PurchaseParser {

    static final int MAX_ITEMS = 100;
    /** 100,000 of a unit, in thousandths. */
    static final long MAX_QUANTITY_MILLI = 100_000_000L;
    /** 1,000,000 PKR per line, in paisa. */
    static final long MAX_LINE_PAISA = 100_000_000L;
    /** How far ahead of the server's clock a till's clock may be. */
    static final long FUTURE_SKEW_MILLIS = 5 * 60_000L;
    /** How late a purchase may be posted (a till that was offline). */
    static final long MAX_AGE_MILLIS = 366 * 86_400_000L;
    static final Set<String> UNITS = Set.of("kg", "g", "l", "ml", "piece");
    private static final Pattern OUTLET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    private static final Set<String> PURCHASE_FIELDS = Set.of("cnic", "programme", "outlet_id", "purchased_at",
            "items", "totals");
    private static final Set<String> ITEM_FIELDS = Set.of("code", "quantity", "unit", "amount_pkr", "subsidy_pkr");
    private static final Set<String> TOTAL_FIELDS = Set.of("amount_pkr", "subsidy_pkr");

    /** The household of a CNIC the caller may post for, or -1 when there is none. */
    @FunctionalInterface
    interface Households {
        long of(long cnic);
    }

    private final Set<String> programmes;
    private final Households households;
    private final long nowMillis;
    private final FieldErrors errors;

    PurchaseParser(Set<String> programmes, Households households, long nowMillis, FieldErrors errors) {
        this.programmes = programmes;
        this.households = households;
        this.nowMillis = nowMillis;
        this.errors = errors;
    }

    /** The purchases of a body that is a JSON object; empty when any field was bad (each one reported). */
    List<Purchase> body(JsonNode root) {
        List<Purchase> out = new ArrayList<>();
        JsonNode list = root.get("purchases");
        if (list == null) {
            Purchase p = purchase(root, "");
            if (p != null) {
                out.add(p);
            }
            return errors.isEmpty() ? out : List.of();
        }
        unknown(root, "", Set.of("purchases"));
        if (!list.isArray() || list.isEmpty()) {
            errors.add("purchases", "must be a non-empty array of purchases");
        } else {
            for (int i = 0; i < list.size(); i++) {
                Purchase p = purchase(list.get(i), "purchases[" + i + "]");
                if (p != null) {
                    out.add(p);
                }
            }
        }
        return errors.isEmpty() ? out : List.of();
    }

    /** One purchase, or null when any of its fields is bad. */
    Purchase purchase(JsonNode n, String at) {
        if (!n.isObject()) {
            errors.add(at.isEmpty() ? "(body)" : at, "must be a purchase object");
            return null;
        }
        int before = errors.count();
        unknown(n, at, PURCHASE_FIELDS);
        long cnic = cnic(n.get("cnic"), path(at, "cnic"));
        long household = cnic < 0 ? -1 : households.of(cnic);
        if (cnic >= 0 && household < 0) {
            errors.add(path(at, "cnic"), "no household in the registry has CNIC " + Cnic.format(cnic));
        }
        String programme = text(n.get("programme"), path(at, "programme"));
        if (programme != null && !programmes.contains(programme)) {
            errors.add(path(at, "programme"), "'" + Problem.printable(programme) + "' is not a programme; known: "
                    + programmes);
        }
        String outlet = matching(n.get("outlet_id"), path(at, "outlet_id"), OUTLET,
                "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        long when = instant(n.get("purchased_at"), path(at, "purchased_at"));
        List<Purchase.Item> items = items(n.get("items"), path(at, "items"));
        long[] totals = totals(n.get("totals"), path(at, "totals"));
        if (errors.count() > before) {
            return null;
        }
        long amount = 0;
        long subsidy = 0;
        for (Purchase.Item i : items) {
            amount += i.amountPaisa();
            subsidy += i.subsidyPaisa();
        }
        if (totals[0] != amount) {
            errors.add(path(at, "totals.amount_pkr"), "is " + pkr(totals[0]) + " but the items add up to "
                    + pkr(amount));
        }
        if (totals[1] != subsidy) {
            errors.add(path(at, "totals.subsidy_pkr"), "is " + pkr(totals[1]) + " but the items add up to "
                    + pkr(subsidy));
        }
        return errors.count() > before ? null
                : new Purchase(household, cnic, programme, outlet, when, items, amount, subsidy);
    }

    private List<Purchase.Item> items(JsonNode n, String at) {
        List<Purchase.Item> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            errors.add(at, "is required: the lines of the purchase");
            return out;
        }
        if (!n.isArray() || n.isEmpty() || n.size() > MAX_ITEMS) {
            errors.add(at, "must be an array of 1 to " + MAX_ITEMS + " items");
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            Purchase.Item item = item(n.get(i), at + "[" + i + "]");
            if (item != null) {
                out.add(item);
            }
        }
        return out;
    }

    private Purchase.Item item(JsonNode n, String at) {
        if (!n.isObject()) {
            errors.add(at, "must be an item object: code, quantity, unit, amount_pkr, subsidy_pkr");
            return null;
        }
        int before = errors.count();
        unknown(n, at, ITEM_FIELDS);
        String code = matching(n.get("code"), path(at, "code"), CODE,
                "1 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit");
        long quantity = decimal(n.get("quantity"), path(at, "quantity"), 3, MAX_QUANTITY_MILLI, "a quantity");
        if (quantity == 0) {
            errors.add(path(at, "quantity"), "must be more than 0");
        }
        String unit = text(n.get("unit"), path(at, "unit"));
        if (unit != null && !UNITS.contains(unit)) {
            errors.add(path(at, "unit"), "'" + Problem.printable(unit) + "' is not a unit; valid: kg, g, l, ml, piece");
        }
        long amount = decimal(n.get("amount_pkr"), path(at, "amount_pkr"), 2, MAX_LINE_PAISA, "an amount in PKR");
        long subsidy = decimal(n.get("subsidy_pkr"), path(at, "subsidy_pkr"), 2, MAX_LINE_PAISA, "an amount in PKR");
        if (amount >= 0 && subsidy > amount) {
            errors.add(path(at, "subsidy_pkr"), "is " + pkr(subsidy) + ", more than the line's amount_pkr "
                    + pkr(amount));
        }
        return errors.count() > before ? null : new Purchase.Item(code, unit, quantity, amount, subsidy);
    }

    /** [amount, subsidy] in paisa; -1 where bad. */
    private long[] totals(JsonNode n, String at) {
        if (n == null || n.isNull() || !n.isObject()) {
            errors.add(at, "is required: an object with amount_pkr and subsidy_pkr, the sums of the items");
            return new long[] {-1, -1};
        }
        unknown(n, at, TOTAL_FIELDS);
        long cap = MAX_LINE_PAISA * MAX_ITEMS;
        return new long[] {decimal(n.get("amount_pkr"), path(at, "amount_pkr"), 2, cap, "an amount in PKR"),
            decimal(n.get("subsidy_pkr"), path(at, "subsidy_pkr"), 2, cap, "an amount in PKR")};
    }

    private long cnic(JsonNode n, String at) {
        String raw = text(n, at);
        if (raw == null) {
            return -1;
        }
        long c = Cnic.tryParse(raw);
        if (c < 0) {
            errors.add(at, Cnic.explain(raw));
        }
        return c;
    }

    private long instant(JsonNode n, String at) {
        String raw = text(n, at);
        if (raw == null) {
            return -1;
        }
        long t;
        try {
            t = Instant.parse(raw).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            errors.add(at, "'" + Problem.printable(raw) + "' is not an ISO-8601 instant such as 2026-11-22T07:40:12Z "
                    + "or 2026-11-22T12:40:12+05:00");
            return -1;
        }
        if (t > nowMillis + FUTURE_SKEW_MILLIS) {
            errors.add(at, raw + " is in the future (the server's clock reads " + Instant.ofEpochMilli(nowMillis)
                    + "; at most 5 minutes ahead is accepted)");
            return -1;
        }
        if (t < nowMillis - MAX_AGE_MILLIS) {
            errors.add(at, raw + " is more than 366 days ago; purchases are accepted for a year");
            return -1;
        }
        return t;
    }

    /**
     * A non-negative decimal of at most {@code scale} decimals and at most {@code max} (in units of 10^-scale),
     * as a whole number of those units; -1 after reporting what is wrong.
     */
    private long decimal(JsonNode n, String at, int scale, long max, String what) {
        if (n == null || n.isNull()) {
            errors.add(at, "is required: " + what);
            return -1;
        }
        if (!n.isNumber()) {
            errors.add(at, "must be a JSON number: " + what);
            return -1;
        }
        BigDecimal v = n.decimalValue();
        BigDecimal limit = BigDecimal.valueOf(max, scale);
        if (v.signum() < 0 || v.compareTo(limit) > 0) {
            errors.add(at, "must be from 0 to " + limit.stripTrailingZeros().toPlainString() + ", got " + Problem.printable(n.asText()));
            return -1;
        }
        if (v.stripTrailingZeros().scale() > scale) {
            errors.add(at, "has more than " + scale + " decimals: " + Problem.printable(n.asText()));
            return -1;
        }
        return v.movePointRight(scale).longValueExact();
    }

    private String matching(JsonNode n, String at, Pattern p, String rule) {
        String s = text(n, at);
        if (s != null && !p.matcher(s).matches()) {
            errors.add(at, "'" + Problem.printable(s) + "' must be " + rule);
            return null;
        }
        return s;
    }

    private String text(JsonNode n, String at) {
        if (n == null || n.isNull()) {
            errors.add(at, "is required");
            return null;
        }
        if (!n.isTextual()) {
            errors.add(at, "must be a string");
            return null;
        }
        return n.asText();
    }

    private void unknown(JsonNode n, String at, Set<String> known) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                errors.add(path(at, Problem.printable(f)), "is not a field here; expected " + known.stream().sorted()
                        .toList());
            }
        }
    }

    private static String path(String at, String field) {
        return at.isEmpty() ? field : at + "." + field;
    }

    static String pkr(long paisa) {
        return BigDecimal.valueOf(paisa, 2).toPlainString();
    }
}
