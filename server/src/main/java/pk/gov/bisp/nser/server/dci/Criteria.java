package pk.gov.bisp.nser.server.dci;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import org.roaringbitmap.RoaringBitmap;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.index.PmtIndex;
import pk.gov.bisp.nser.core.query.Clause;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryException;
import pk.gov.bisp.nser.core.query.QueryParser;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.text.Printable;
import pk.gov.bisp.nser.server.caller.AreaScope;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.projection.SampleCells;
import pk.gov.bisp.nser.server.search.SearchContext;

/**
 * A DCI search criterion's {@code query} compiled onto the bitmap query engine: never a scan. Each condition on a
 * household attribute becomes the native list API's filter (the same {@link QueryParser}, so the same names, codes
 * and checks), evaluated to a bitmap; {@code and}, {@code or} and {@code not} combine the bitmaps. Identifiers
 * (UIN, NIN, CNIC, HOUSEHOLD_ID) go through the CNIC and household-id indexes.
 *
 * <p>Attributes: {@code poverty_score} (the PMT score, 0-100), {@code group_size} / {@code household_size},
 * {@code province}, {@code division}, {@code district}, {@code tehsil}, {@code uc} and {@code location} (our
 * geography codes; location at whichever level its code names), every household dimension of the native filter
 * ({@code house_type}, {@code disabled_member}, {@code widow}, {@code female_head}, ...; {@code programme} a partner
 * programme, and {@code benefit_pkr_min}, only for callers the native lists allow them), {@code age} where an index
 * answers it exactly ({@code lt 5} / {@code le 4}: a child under 5; {@code ge 65} / {@code gt 64}: a member aged 65
 * or more), {@code marital_status eq widow} (a widow in the household), and the identifiers. Operators {@code eq},
 * {@code ne}, {@code lt}, {@code le}, {@code gt}, {@code ge}, {@code in} (and the NoSQL form's {@code $eq},
 * {@code $lt}, ... {@code $and}, {@code $or}, {@code $not}). Anything else is {@code rjct.search_criteria.invalid}
 * naming it.
 */
final class Criteria {

    /** A compiled condition: evaluated to the ordinals of the households it holds for. */
    sealed interface Node permits All, And, Or, Not, Leaf, Id {
    }

    /** Every household (an empty condition). */
    record All() implements Node {
    }

    record And(List<Node> parts) implements Node {
    }

    record Or(List<Node> parts) implements Node {
    }

    record Not(Node part) implements Node {
    }

    /** A native filter. */
    record Leaf(Query query) implements Node {
    }

    /** One household by identifier: {@code cnic} (a member's CNIC or B-Form) or {@code householdId}. */
    record Id(long cnic, long householdId) implements Node {
    }

    /** Identifier types of {@code idtype-value} (and of identifier attributes): a member's CNIC or B-Form. */
    static final Set<String> PERSON_IDS = Set.of("UIN", "NIN", "CNIC", "BFORM", "B-FORM");
    static final String HOUSEHOLD_ID = "HOUSEHOLD_ID";
    static final String MOBILE = "MOBILE";

    private static final Set<String> SCORE = Set.of("poverty_score", "pmt_score", "pmt");
    private static final Set<String> SIZE = Set.of("group_size", "household_size");
    private static final Set<String> OPERATORS = Set.of("eq", "ne", "lt", "le", "gt", "ge", "in");
    private static final int MAX_NODES = 256;

    private final QueryParser parser;
    private final Snapshot snapshot;
    private int nodes;

    Criteria(SearchContext sc) {
        this.parser = sc.parser();
        this.snapshot = sc.snapshot();
    }

    /** The attributes a query may name (for messages). */
    static String supported() {
        Set<String> names = new TreeSet<>(QueryParser.filterNames());
        names.addAll(List.of("poverty_score", "group_size", "location", "age", "marital_status", "UIN", "NIN",
                "CNIC", HOUSEHOLD_ID));
        names.removeIf(n -> n.startsWith("pmt_") || n.startsWith("household_size_"));
        return String.join(", ", names);
    }

    /** An {@code idtype-value} query: {@code {"type": "UIN", "value": "..."}}. */
    Id idTypeValue(JsonNode q) {
        if (q == null || !q.isObject() || !q.path("type").isTextual() || q.path("value").isMissingNode()
                || q.path("value").isNull()) {
            throw Rejection.criteria("an idtype-value query is {\"type\": ID TYPE, \"value\": IDENTIFIER}");
        }
        return identifier(q.path("type").asText(), q.path("value"));
    }

    /** {@link #idTypeValue(JsonNode)} of a query whose {@code type} and {@code value} are strings (the streamed read). */
    static Id idTypeValue(String type, String value) {
        return identifier(type, value.trim());
    }

    private static Id identifier(String type, JsonNode value) {
        return identifier(type, value.isValueNode() ? value.asText().trim() : "");
    }

    private static Id identifier(String type, String v) {
        String t = type.trim().toUpperCase(Locale.ROOT);
        if (PERSON_IDS.contains(t)) {
            long cnic = Cnic.tryParse(v);
            if (cnic < 0) {
                throw Rejection.criteria("'" + Printable.of(v) + "' is not a CNIC or B-Form (" + t + "): "
                        + Cnic.explain(v));
            }
            return new Id(cnic, -1);
        }
        if (t.equals(HOUSEHOLD_ID)) {
            long id;
            try {
                id = Long.parseLong(v);
            } catch (NumberFormatException e) {
                id = -1;
            }
            if (id < 0) {
                throw Rejection.criteria("HOUSEHOLD_ID '" + Printable.of(v) + "' is not an NSER household id "
                        + "(a whole number)");
            }
            return new Id(-1, id);
        }
        if (t.equals(MOBILE)) {
            throw Rejection.criteria("MOBILE is not searchable: this registry keeps no index of contact numbers, "
                    + "and does not scan; search by UIN, NIN or CNIC (a member's CNIC or B-Form) or HOUSEHOLD_ID");
        }
        throw Rejection.criteria("unknown identifier type '" + Printable.of(type) + "'; valid: UIN, NIN, CNIC "
                + "(a member's CNIC or B-Form), HOUSEHOLD_ID");
    }

    /**
     * An {@code expression} or {@code predicate} query: the predicate list ({@code [{seq_num, expression1,
     * condition, expression2}]}) or the NoSQL form ({@code {"type": .., "value": {"expression": {"collection": ..,
     * "query": {"$and": [..]}}}}}), whichever the query is (the standard's own examples mix the two names).
     */
    Node compile(JsonNode q) {
        nodes = 0;
        if (q != null && q.isArray()) {
            return predicates(q);
        }
        if (q != null && q.isObject()) {
            JsonNode e = q.path("value").path("expression");
            if (e.isObject()) {
                JsonNode inner = e.path("query");
                return inner.isObject() ? mongo(inner) : mongo(e);
            }
            if (q.has("expression1")) {
                return predicate(q);
            }
        }
        throw Rejection.criteria("the query is neither a list of predicates [{\"expression1\": {\"attribute_name\", "
                + "\"operator\", \"attribute_value\"}, \"condition\", \"expression2\"}] nor an expression "
                + "{\"type\", \"value\": {\"expression\": {\"query\": {\"$and\": [...]}}}}");
    }

    private void count() {
        if (++nodes > MAX_NODES) {
            throw Rejection.criteria("the query has more than " + MAX_NODES + " conditions");
        }
    }

    private Node predicates(JsonNode list) {
        if (list.isEmpty()) {
            throw Rejection.criteria("the list of predicates is empty");
        }
        List<JsonNode> items = new ArrayList<>();
        list.forEach(items::add);
        // seq_num orders the predicates where it is a number; the others keep their place
        items.sort(Comparator.comparingDouble(n -> n.path("seq_num").isNumber() ? n.path("seq_num").asDouble()
                : Double.MAX_VALUE));
        List<Node> parts = new ArrayList<>();
        for (JsonNode item : items) {
            parts.add(predicate(item));
        }
        return parts.size() == 1 ? parts.get(0) : new And(parts);
    }

    /** {@code expression1 [condition expression2 [condition expression3 ...]]}, left to right. */
    private Node predicate(JsonNode item) {
        if (!item.isObject() || !item.path("expression1").isObject()) {
            throw Rejection.criteria("each predicate needs expression1: {\"attribute_name\", \"operator\", "
                    + "\"attribute_value\"}");
        }
        Node acc = expression(item.path("expression1"));
        String condition = item.path("condition").asText("").trim().toLowerCase(Locale.ROOT);
        for (int k = 2; k < 64; k++) {
            JsonNode e = item.path("expression" + k);
            if (!e.isObject()) {
                if (e.isMissingNode() || e.isNull() || e.isTextual() && e.asText().isEmpty()) {
                    break;
                }
                throw Rejection.criteria("expression" + k + " is not an expression object");
            }
            Node next = expression(e);
            acc = switch (condition.isEmpty() ? "and" : condition) {
                case "and" -> new And(List.of(acc, next));
                case "or" -> new Or(List.of(acc, next));
                case "not" -> new And(List.of(acc, new Not(next)));
                default -> throw Rejection.criteria("unknown condition '" + Printable.of(condition)
                        + "'; valid: and, or, not");
            };
        }
        return acc;
    }

    private Node expression(JsonNode e) {
        JsonNode name = e.path("attribute_name");
        JsonNode op = e.path("operator");
        if (!name.isTextual() || !op.isTextual() || e.path("attribute_value").isMissingNode()) {
            throw Rejection.criteria("an expression is {\"attribute_name\", \"operator\", \"attribute_value\"}");
        }
        return condition(name.asText(), op.asText(), e.path("attribute_value"));
    }

    /** The NoSQL form: {@code {"$and": [..]}}, {@code {"$or": [..]}}, {@code {"$not": {..}}}, {@code {attr: {"$lt": v}}}. */
    private Node mongo(JsonNode q) {
        List<Node> parts = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = q.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = f.getKey();
            JsonNode v = f.getValue();
            switch (key) {
                case "$and", "$or" -> {
                    if (!v.isArray() || v.isEmpty()) {
                        throw Rejection.criteria(key + " takes a non-empty list of conditions");
                    }
                    List<Node> subs = new ArrayList<>();
                    for (JsonNode s : v) {
                        if (!s.isObject()) {
                            throw Rejection.criteria(key + " takes a list of condition objects");
                        }
                        subs.add(mongo(s));
                    }
                    parts.add(key.equals("$and") ? new And(subs) : new Or(subs));
                }
                case "$not" -> {
                    if (!v.isObject()) {
                        throw Rejection.criteria("$not takes a condition object");
                    }
                    parts.add(new Not(mongo(v)));
                }
                default -> {
                    if (key.startsWith("$")) {
                        throw Rejection.criteria("unknown operator '" + Printable.of(key) + "'; valid: $and, $or, "
                                + "$not, and on an attribute $eq, $ne, $lt, $lte, $gt, $gte, $in");
                    }
                    if (v.isObject()) {
                        Iterator<Map.Entry<String, JsonNode>> ops = v.properties().iterator();
                        if (!ops.hasNext()) {
                            throw Rejection.criteria("attribute '" + Printable.of(key) + "' has no operator");
                        }
                        while (ops.hasNext()) {
                            Map.Entry<String, JsonNode> o = ops.next();
                            parts.add(condition(key, mongoOperator(o.getKey()), o.getValue()));
                        }
                    } else {
                        parts.add(condition(key, "eq", v));
                    }
                }
            }
        }
        if (parts.isEmpty()) {
            return new All();
        }
        return parts.size() == 1 ? parts.get(0) : new And(parts);
    }

    private static String mongoOperator(String op) {
        return switch (op) {
            case "$eq" -> "eq";
            case "$ne" -> "ne";
            case "$lt" -> "lt";
            case "$lte", "$le" -> "le";
            case "$gt" -> "gt";
            case "$gte", "$ge" -> "ge";
            case "$in" -> "in";
            default -> throw Rejection.criteria("unknown operator '" + Printable.of(op) + "'; valid: $eq, $ne, $lt, "
                    + "$lte, $gt, $gte, $in");
        };
    }

    /** One condition {@code attribute operator value}. */
    private Node condition(String attribute, String operator, JsonNode value) {
        count();
        String op = operator.trim().toLowerCase(Locale.ROOT);
        if (!OPERATORS.contains(op)) {
            throw Rejection.criteria("unknown operator '" + Printable.of(operator) + "' on '"
                    + Printable.of(attribute) + "'; valid: eq, ne, lt, le, gt, ge, in");
        }
        if (op.equals("in")) {
            List<JsonNode> values = new ArrayList<>();
            if (value.isArray()) {
                value.forEach(values::add);
            } else if (value.isTextual()) {
                for (String s : value.asText().split(",")) {
                    values.add(com.fasterxml.jackson.databind.node.TextNode.valueOf(s.trim()));
                }
            } else {
                values.add(value);
            }
            if (values.isEmpty()) {
                throw Rejection.criteria("'in' on '" + Printable.of(attribute) + "' has no values");
            }
            List<Node> alts = new ArrayList<>();
            for (JsonNode v : values) {
                alts.add(condition(attribute, "eq", v));
            }
            return alts.size() == 1 ? alts.get(0) : new Or(alts);
        }
        if (op.equals("ne")) {
            return new Not(condition(attribute, "eq", value));
        }
        if (!value.isValueNode() || value.isNull()) {
            throw Rejection.criteria("the value of '" + Printable.of(attribute) + "' must be a string, number or "
                    + "boolean");
        }
        String raw = attribute.trim();
        String attr = raw.substring(raw.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String v = value.isBoolean() ? (value.asBoolean() ? "yes" : "no") : value.asText().trim();
        String upper = attr.toUpperCase(Locale.ROOT);
        if (PERSON_IDS.contains(upper) || upper.equals(HOUSEHOLD_ID) || upper.equals(MOBILE)) {
            requireEq(raw, op);
            return identifier(upper, value);
        }
        if (SCORE.contains(attr)) {
            return score(raw, op, v);
        }
        if (SIZE.contains(attr)) {
            return size(raw, op, v);
        }
        if (attr.equals("location")) {
            requireEq(raw, op);
            return leaf(Map.of(locationLevel(v).key(), List.of(v)));
        }
        if (attr.equals("age")) {
            return age(raw, op, v);
        }
        if (attr.equals("marital_status") && isWidow(v)) {
            requireEq(raw, op);
            return leaf(Map.of("widow", List.of("yes")));
        }
        String key = attr.equals("union_council") ? "uc" : attr;
        if (key.startsWith(QueryParser.NOT) || !QueryParser.filterNames().contains(key)
                || key.startsWith("pmt_") || key.startsWith("household_size_")) {
            throw Rejection.criteria("unknown attribute '" + Printable.of(raw) + "'; valid: " + supported());
        }
        requireEq(raw, op);
        return leaf(Map.of(key, List.of(v)));
    }

    private static boolean isWidow(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        return s.equals("w") || s.equals("widow") || s.equals("widowed");
    }

    private static void requireEq(String attr, String op) {
        if (!op.equals("eq")) {
            throw Rejection.criteria("operator '" + op + "' does not apply to '" + Printable.of(attr) + "'; valid: "
                    + "eq, ne, in");
        }
    }

    private GeoLevel locationLevel(String v) {
        int code;
        try {
            code = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw Rejection.criteria("location '" + Printable.of(v) + "' is not a geography code (a number: a "
                    + "province, division, district, tehsil or union council code)");
        }
        for (GeoLevel l : GeoLevel.values()) {
            if (snapshot.geography().find(l, code) != null) {
                return l;
            }
        }
        throw Rejection.criteria("location " + code + " is not a geography code of this registry");
    }

    private Node score(String attr, String op, String v) {
        int h;
        try {
            BigDecimal d = new BigDecimal(v);
            if (d.scale() > 2 || d.signum() < 0 || d.compareTo(BigDecimal.valueOf(100)) > 0) {
                h = -1;
            } else {
                h = d.movePointRight(2).intValueExact();
            }
        } catch (NumberFormatException | ArithmeticException e) {
            h = -1;
        }
        if (h < 0) {
            throw Rejection.criteria("'" + Printable.of(attr) + "' takes a score from 0 to 100 with at most two "
                    + "decimals, not '" + Printable.of(v) + "'");
        }
        Map<String, List<String>> p = new LinkedHashMap<>();
        switch (op) {
            case "lt" -> {
                if (h == 0) {
                    return new Or(List.of());
                }
                p.put("pmt_max", List.of(hundredths(h - 1)));
            }
            case "le" -> p.put("pmt_max", List.of(hundredths(h)));
            case "gt" -> {
                if (h == PmtIndex.MAX_VALUE) {
                    return new Or(List.of());
                }
                p.put("pmt_min", List.of(hundredths(h + 1)));
            }
            case "ge" -> p.put("pmt_min", List.of(hundredths(h)));
            default -> {
                p.put("pmt_min", List.of(hundredths(h)));
                p.put("pmt_max", List.of(hundredths(h)));
            }
        }
        return leaf(p);
    }

    private static String hundredths(int h) {
        return h / 100 + "." + (h % 100 < 10 ? "0" : "") + h % 100;
    }

    private Node size(String attr, String op, String v) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw Rejection.criteria("'" + Printable.of(attr) + "' takes a whole number of members, not '"
                    + Printable.of(v) + "'");
        }
        int max = pk.gov.bisp.nser.core.index.Dimensions.MAX_SIZE_BUCKET; // the bucket of max or more members
        int lo = switch (op) {
            case "gt" -> n + 1;
            case "ge", "eq" -> n;
            default -> 1;
        };
        int hi = switch (op) {
            case "lt" -> n - 1;
            case "le", "eq" -> n;
            default -> Integer.MAX_VALUE;
        };
        lo = Math.max(lo, 1);
        if (hi < lo) {
            return new Or(List.of()); // no household
        }
        if (lo > max || hi != Integer.MAX_VALUE && hi >= max) {
            throw Rejection.criteria("'" + Printable.of(attr) + " " + op + " " + n + "': households of " + max
                    + " or more members are indexed together, so sizes above " + (max - 1) + " are asked as 'ge "
                    + max + "'");
        }
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("household_size_min", List.of(Integer.toString(lo)));
        if (hi != Integer.MAX_VALUE) {
            p.put("household_size_max", List.of(Integer.toString(hi)));
        }
        return leaf(p);
    }

    private Node age(String attr, String op, String v) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            n = Integer.MIN_VALUE;
        }
        if (op.equals("lt") && n == 5 || op.equals("le") && n == 4) {
            return leaf(Map.of("children_under_5", List.of("yes")));
        }
        if (op.equals("ge") && n == 65 || op.equals("gt") && n == 64) {
            return leaf(Map.of("member_65_plus", List.of("yes")));
        }
        throw Rejection.criteria("'" + Printable.of(attr) + " " + op + " " + Printable.of(v) + "' has no index: "
                + "ages are indexed as 'lt 5' (a child under 5) and 'ge 65' (a member aged 65 or more), and the "
                + "registry does not scan");
    }

    private Node leaf(Map<String, List<String>> params) {
        try {
            return new Leaf(parser.parse(params, Set.of()));
        } catch (QueryException e) {
            throw Rejection.criteria(e.getMessage());
        }
    }

    /**
     * Refuses what {@code user} may not ask: an address outside the organisation's area, a partner programme or
     * benefits paid that {@code mayFilter} does not allow it (as the native lists refuse them), and for Basic,
     * filters finer than its view of the sample (tehsil, union council, score bounds off the 5-point bands).
     */
    void check(Node n, SearchContext sc, User user, boolean basic, BiPredicate<User, String> mayFilter) {
        if (n instanceof And a) {
            a.parts().forEach(p -> check(p, sc, user, basic, mayFilter));
        } else if (n instanceof Or o) {
            o.parts().forEach(p -> check(p, sc, user, basic, mayFilter));
        } else if (n instanceof Not x) {
            check(x.part(), sc, user, basic, mayFilter);
        } else if (n instanceof Leaf l) {
            AreaScope scope = user.organisation().scope();
            Clause outside = sc.outsideScope(l.query(), scope);
            if (outside != null) {
                throw Rejection.criteria("filter " + outside.canonical() + " reaches outside the organisation's "
                        + "area scope (" + scope + ")");
            }
            String live = sc.liveSetNotAllowed(l.query(), b -> mayFilter.test(user, b));
            if (live != null) {
                throw Rejection.criteria("role " + user.role().name().toLowerCase(Locale.ROOT) + " of organisation '"
                        + user.organisation().id() + "' may not filter by " + Printable.of(live) + ": it does not "
                        + "see which partner programmes serve a household or what they paid");
            }
            if (basic) {
                for (Clause c : l.query().clauses()) {
                    if (c.geoLevel() == GeoLevel.TEHSIL || c.geoLevel() == GeoLevel.UNION_COUNCIL) {
                        throw Rejection.criteria("role basic may filter the sample by province, division and "
                                + "district only, not by " + c.key());
                    }
                }
                int band = SampleCells.BAND_HUNDREDTHS;
                Query q = l.query();
                if (q.pmtMin() % band != 0 || q.pmtMax() != PmtIndex.MAX_VALUE && (q.pmtMax() + 1) % band != 0) {
                    throw Rejection.criteria("role basic sees poverty scores in " + band / 100 + "-point bands, "
                            + "and may filter on their edges only (e.g. poverty_score lt 25, ge 20)");
                }
            }
        } else if (n instanceof Id id && basic && id.householdId() >= 0) {
            throw Rejection.criteria("role basic may not search by HOUSEHOLD_ID");
        }
    }

    /** The households {@code n} holds for, among {@code universe} (every household, for {@code not}). */
    static RoaringBitmap evaluate(Node n, SearchContext sc, java.util.function.Supplier<RoaringBitmap> universe) {
        if (n instanceof All) {
            return universe.get().clone();
        }
        if (n instanceof And a) {
            RoaringBitmap acc = null;
            for (Node p : a.parts()) {
                RoaringBitmap b = evaluate(p, sc, universe);
                acc = acc == null ? b : RoaringBitmap.and(acc, b);
                if (acc.isEmpty()) {
                    break;
                }
            }
            return acc == null ? new RoaringBitmap() : acc;
        }
        if (n instanceof Or o) {
            RoaringBitmap acc = new RoaringBitmap();
            for (Node p : o.parts()) {
                acc.or(evaluate(p, sc, universe));
            }
            return acc;
        }
        if (n instanceof Not x) {
            return RoaringBitmap.andNot(universe.get(), evaluate(x.part(), sc, universe));
        }
        if (n instanceof Leaf l) {
            return sc.engine().evaluate(l.query());
        }
        Id id = (Id) n;
        Snapshot s = sc.snapshot();
        int ordinal = id.cnic() >= 0 ? s.ordinalOfCnic(id.cnic()) : s.ordinalOfHouseholdId(id.householdId());
        RoaringBitmap b = new RoaringBitmap();
        if (ordinal >= 0) {
            b.add(ordinal);
        }
        return b;
    }
}
