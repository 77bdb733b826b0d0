package pk.gov.bisp.nser.server.agreement;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.json.FieldErrors;
import pk.gov.bisp.nser.server.caller.Agreement;
import pk.gov.bisp.nser.server.caller.AreaScope;
import pk.gov.bisp.nser.server.caller.DataClass;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.PurposeCategory;
import pk.gov.bisp.nser.server.caller.Role;

/**
 * An agreement's terms as JSON, the same in the admin API and in the agreement journal:
 *
 * <pre>
 * {"id":"DSA-2026-001","organisation":"punjab-social-protection",
 *  "purpose":{"text":"...","category":"beneficiary_lists"},
 *  "data_classes":["public","confidential","secret"],"operations":["lookup","search"],
 *  "area_scope":{"level":"district","code":301},
 *  "users":[{"id":"power-1","name":"...","role":"power","operations":[]}],
 *  "valid_from":"2026-01-01T00:00:00Z","valid_until":null,"programmes":["pbm"]}
 * </pre>
 *
 * {@code programmes}: the partner programmes the organisation may post enrolments and benefits for (issue 31; sorted,
 * possibly empty); absent in an agreement journaled before they were (agreement journal v1), whose programmes are the
 * configuration's {@code agreement.programmes}.
 *
 * Sets are written in a fixed order, so the same agreement is always the same bytes. {@link #read} takes a whole
 * agreement (create) or the fields to change over a base (amend), naming every bad field.
 */
final class AgreementJson {

    static final String ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    private static final String USER_ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    private static final int MAX_TEXT = 2_000;
    private static final int MAX_USERS = 1_000;
    private static final Set<String> FIELDS = Set.of("id", "organisation", "purpose", "data_classes", "operations",
            "area_scope", "users", "valid_from", "valid_until", "programmes", "reason");
    private static final int MAX_PROGRAMMES = 100;

    private AgreementJson() {
    }

    /** The terms (not the status), as an object's fields: the caller opens and closes the object. */
    static void writeTerms(JsonGenerator g, Agreement a) throws IOException {
        g.writeStringField("id", a.id());
        g.writeStringField("organisation", a.organisation());
        g.writeObjectFieldStart("purpose");
        g.writeStringField("text", a.purpose());
        g.writeStringField("category", a.category().key());
        g.writeEndObject();
        g.writeArrayFieldStart("data_classes");
        for (DataClass c : DataClass.values()) {
            if (a.dataClasses().contains(c)) {
                g.writeString(c.key());
            }
        }
        g.writeEndArray();
        operations(g, "operations", a.operations());
        g.writeObjectFieldStart("area_scope");
        g.writeStringField("level", a.scope().national() ? "national" : a.scope().level().key());
        if (!a.scope().national()) {
            g.writeNumberField("code", a.scope().code());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("users");
        for (Agreement.Member m : a.users()) {
            g.writeStartObject();
            g.writeStringField("id", m.userId());
            g.writeStringField("name", m.name());
            g.writeStringField("role", m.role().name().toLowerCase(Locale.ROOT));
            operations(g, "operations", m.operations());
            g.writeEndObject();
        }
        g.writeEndArray();
        instant(g, "valid_from", a.validFrom());
        instant(g, "valid_until", a.validUntil());
        if (a.programmes() != null) {
            g.writeArrayFieldStart("programmes");
            for (String p : new java.util.TreeSet<>(a.programmes())) {
                g.writeString(p);
            }
            g.writeEndArray();
        }
    }

    private static void operations(JsonGenerator g, String field, Set<Operation> ops) throws IOException {
        g.writeArrayFieldStart(field);
        for (Operation o : Operation.values()) {
            if (ops.contains(o)) {
                g.writeString(o.key());
            }
        }
        g.writeEndArray();
    }

    static void instant(JsonGenerator g, String field, Instant t) throws IOException {
        if (t == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, t.toString());
        }
    }

    /**
     * The agreement {@code body} describes: a whole one when {@code base} is null (the id may be left to
     * {@code newId}), else {@code base} with the fields given replaced (id and organisation cannot change). Every bad
     * field is added to {@code errors}; the result is then null.
     */
    static Agreement read(JsonNode body, Agreement base, String newId, FieldErrors errors) {
        for (Iterator<String> f = body.fieldNames(); f.hasNext(); ) {
            String name = f.next();
            if (!FIELDS.contains(name)) {
                errors.add(name, "unknown field; valid: " + new java.util.TreeSet<>(FIELDS));
            } else if (base != null && (name.equals("id") || name.equals("organisation"))
                    && !body.get(name).asText().equals(name.equals("id") ? base.id() : base.organisation())) {
                errors.add(name, "cannot change; make a new agreement");
            }
        }
        boolean whole = base == null;
        String id = whole ? (body.has("id") ? text(body, "id", 64, errors) : newId) : base.id();
        if (id != null && !id.matches(ID)) {
            errors.add("id", "must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or "
                    + "digit");
        }
        String org = whole ? required(body, "organisation", errors) : base.organisation();
        String purpose = base == null ? null : base.purpose();
        PurposeCategory category = base == null ? null : base.category();
        JsonNode p = body.get("purpose");
        if (p != null || whole) {
            if (p == null || !p.isObject()) {
                errors.add("purpose", "must be an object {\"text\": ..., \"category\": ...}");
            } else {
                purpose = text(p, "text", MAX_TEXT, errors.under("purpose."));
                String c = text(p, "category", 64, errors.under("purpose."));
                category = c == null ? null : coded(c, PurposeCategory::ofKey, "purpose.category", errors);
            }
        }
        Set<DataClass> classes = base == null ? null : base.dataClasses();
        if (body.has("data_classes") || whole) {
            classes = set(body.get("data_classes"), DataClass.class, DataClass::ofKey, "data_classes", errors);
        }
        Set<Operation> ops = base == null ? null : base.operations();
        if (body.has("operations") || whole) {
            ops = set(body.get("operations"), Operation.class, Operation::ofKey, "operations", errors);
        }
        AreaScope scope = base == null ? AreaScope.NATIONAL : base.scope();
        if (body.has("area_scope")) {
            scope = scope(body.get("area_scope"), errors);
        }
        List<Agreement.Member> users = base == null ? null : base.users();
        if (body.has("users") || whole) {
            users = users(body.get("users"), errors);
        }
        Instant from = base == null ? null : base.validFrom();
        Instant until = base == null ? null : base.validUntil();
        if (body.has("valid_from")) {
            from = bound(body.get("valid_from"), false, "valid_from", errors);
        }
        if (body.has("valid_until")) {
            until = bound(body.get("valid_until"), true, "valid_until", errors);
        }
        if (from != null && until != null && !until.isAfter(from)) {
            errors.add("valid_until", "must be after valid_from (" + from + ")");
        }
        Set<String> programmes = base == null ? null : base.programmes();
        if (body.has("programmes")) {
            programmes = programmes(body.get("programmes"), errors);
        }
        if (errors.any()) {
            return null;
        }
        return new Agreement(id, org, purpose, category, classes, ops, scope, users, from, until,
                base == null ? Agreement.Status.ACTIVE : base.status(), programmes);
    }

    private static String required(JsonNode n, String field, FieldErrors errors) {
        if (!n.has(field)) {
            errors.add(field, "is required");
            return null;
        }
        return text(n, field, 64, errors);
    }

    private static String text(JsonNode n, String field, int max, FieldErrors errors) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            errors.add(field, "must be a non-empty string");
            return null;
        }
        if (v.asText().length() > max) {
            errors.add(field, "is longer than " + max + " characters");
            return null;
        }
        return v.asText();
    }

    private static <E> E coded(String key, Function<String, E> of, String field, FieldErrors errors) {
        try {
            return of.apply(key);
        } catch (IllegalArgumentException e) {
            errors.add(field, e.getMessage());
            return null;
        }
    }

    private static <E extends Enum<E>> Set<E> set(JsonNode a, Class<E> type, Function<String, E> of, String field,
                                                  FieldErrors errors) {
        if (a == null || !a.isArray() || a.isEmpty()) {
            errors.add(field, "must be a non-empty list");
            return null;
        }
        Set<E> out = EnumSet.noneOf(type);
        for (JsonNode v : a) {
            E e = v.isTextual() ? coded(v.asText(), of, field, errors) : null;
            if (!v.isTextual()) {
                errors.add(field, "must list strings");
            }
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** A list of programme ids (possibly empty); whether each is a configured programme is the caller's check. */
    private static Set<String> programmes(JsonNode a, FieldErrors errors) {
        if (a == null || !a.isArray() || a.size() > MAX_PROGRAMMES) {
            errors.add("programmes", "must be a list of at most " + MAX_PROGRAMMES + " programme ids");
            return null;
        }
        Set<String> out = new java.util.TreeSet<>();
        for (JsonNode v : a) {
            if (!v.isTextual() || !v.asText().matches(ID)) {
                errors.add("programmes", "must list programme ids (letters, digits, dots, dashes, underscores)");
                return null;
            }
            out.add(v.asText());
        }
        return out;
    }

    private static AreaScope scope(JsonNode s, FieldErrors errors) {
        if (s == null || !s.isObject() || !s.path("level").isTextual()) {
            errors.add("area_scope", "must be {\"level\": \"national\"} or {\"level\": \"province\"|\"district\"|"
                    + "\"tehsil\", \"code\": N}");
            return null;
        }
        String level = s.get("level").asText();
        if (level.equals("national")) {
            return AreaScope.NATIONAL;
        }
        GeoLevel l = null;
        for (GeoLevel g : List.of(GeoLevel.PROVINCE, GeoLevel.DISTRICT, GeoLevel.TEHSIL)) {
            if (g.key().equals(level)) {
                l = g;
            }
        }
        if (l == null) {
            errors.add("area_scope.level", "must be national, province, district or tehsil");
            return null;
        }
        JsonNode code = s.get("code");
        if (code == null || !code.isInt() || code.asInt() <= 0) {
            errors.add("area_scope.code", "must be a positive code");
            return null;
        }
        return new AreaScope(l, code.asInt());
    }

    private static List<Agreement.Member> users(JsonNode a, FieldErrors errors) {
        if (a == null || !a.isArray() || a.isEmpty() || a.size() > MAX_USERS) {
            errors.add("users", "must be a list of 1 to " + MAX_USERS + " users {id, name, role, operations}");
            return null;
        }
        List<Agreement.Member> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < a.size(); i++) {
            FieldErrors e = errors.under("users[" + i + "].");
            JsonNode u = a.get(i);
            if (!u.isObject()) {
                e.add("", "must be an object {id, name, role, operations}");
                continue;
            }
            String id = text(u, "id", 64, e);
            if (id != null && !id.matches(USER_ID)) {
                e.add("id", "must be 1-64 letters, digits, dots, dashes or underscores");
            } else if (id != null && !ids.add(id)) {
                e.add("id", "'" + id + "' repeats");
            }
            String name = text(u, "name", 200, e);
            String r = text(u, "role", 16, e);
            Role role = null;
            if (r != null) {
                try {
                    role = Role.valueOf(r.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException x) {
                    e.add("role", "'" + r + "'; valid: power, standard, basic, pos, admin");
                }
            }
            Set<Operation> ops = u.has("operations") && u.get("operations").isArray() && u.get("operations").isEmpty()
                    ? EnumSet.noneOf(Operation.class)
                    : u.has("operations") ? set(u.get("operations"), Operation.class, Operation::ofKey, "operations", e)
                    : EnumSet.noneOf(Operation.class);
            out.add(new Agreement.Member(id, name, role, ops == null ? Set.of() : ops));
        }
        return out;
    }

    private static Instant bound(JsonNode v, boolean until, String field, FieldErrors errors) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            errors.add(field, "must be a date (2027-06-30), an instant (2027-06-30T19:00:00Z) or null");
            return null;
        }
        try {
            return Agreement.bound(v.asText(), until);
        } catch (IllegalArgumentException e) {
            errors.add(field, e.getMessage());
            return null;
        }
    }
}
