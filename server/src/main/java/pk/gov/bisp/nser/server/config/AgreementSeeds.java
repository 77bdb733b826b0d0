package pk.gov.bisp.nser.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import pk.gov.bisp.nser.server.caller.Agreement;
import pk.gov.bisp.nser.server.caller.DataClass;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Organisation;
import pk.gov.bisp.nser.server.caller.PurposeCategory;
import pk.gov.bisp.nser.server.caller.User;

/**
 * The agreement an organisation of the configuration seeds: from its optional {@code agreement:} block
 * ({@code id}, {@code purpose}, {@code category}, {@code data_classes}, {@code valid_from}, {@code valid_until}),
 * naming every user of the organisation with its role and operations, over the organisation's area scope. Without
 * the block: id = the organisation's id, category {@code poverty_score_api} (API access, protocol 4.2.4 iii b), no
 * end, and the data classes its users' roles need, so a configuration without agreements serves as before.
 */
final class AgreementSeeds {

    private AgreementSeeds() {
    }

    static Agreement of(JsonNode org, String at, Organisation o, List<User> users,
                        BiFunction<String, String, ConfigException> bad) {
        JsonNode a = org.path("agreement");
        if (!a.isMissingNode() && !a.isObject()) {
            throw bad.apply(at + ".agreement", "must be a mapping (id, purpose, category, data_classes, valid_from, "
                    + "valid_until)");
        }
        String id = text(a, "id", o.id());
        if (!id.matches(ID)) {
            throw bad.apply(at + ".agreement.id", "'" + id + "' must be 1-64 letters, digits, dots, dashes or "
                    + "underscores, starting with a letter or digit");
        }
        String purpose = text(a, "purpose", "seeded from the configuration (no agreement block)");
        PurposeCategory category;
        try {
            category = PurposeCategory.ofKey(text(a, "category", PurposeCategory.POVERTY_SCORE_API.key()));
        } catch (IllegalArgumentException e) {
            throw bad.apply(at + ".agreement.category", e.getMessage());
        }
        Set<Operation> ops = EnumSet.noneOf(Operation.class);
        Set<DataClass> needed = EnumSet.noneOf(DataClass.class);
        List<Agreement.Member> members = new ArrayList<>();
        for (User u : users) {
            ops.addAll(u.operations());
            needed.addAll(DataClass.neededBy(u.role()));
            members.add(new Agreement.Member(u.id(), u.name(), u.role(), u.operations()));
        }
        Set<DataClass> classes = needed;
        if (a.has("data_classes")) {
            classes = EnumSet.noneOf(DataClass.class);
            for (JsonNode c : a.path("data_classes")) {
                try {
                    classes.add(DataClass.ofKey(c.asText()));
                } catch (IllegalArgumentException e) {
                    throw bad.apply(at + ".agreement.data_classes", e.getMessage());
                }
            }
            if (!classes.containsAll(needed)) {
                Set<DataClass> missing = EnumSet.copyOf(needed);
                missing.removeAll(classes);
                throw bad.apply(at + ".agreement.data_classes", "the roles of its users need " + missing);
            }
        }
        Instant from = bound(a, "valid_from", false, at, bad);
        Instant until = bound(a, "valid_until", true, at, bad);
        if (from != null && until != null && !until.isAfter(from)) {
            throw bad.apply(at + ".agreement.valid_until", "must be after valid_from");
        }
        Set<String> programmes = new java.util.TreeSet<>(); // checked against the programmes by ServerConfig
        a.path("programmes").forEach(p -> programmes.add(p.asText()));
        return new Agreement(id, o.id(), purpose, category, classes, ops, o.scope(), members, from, until,
                Agreement.Status.ACTIVE, programmes);
    }

    /** An agreement id, as the admin API also checks it. */
    static final String ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private static String text(JsonNode n, String field, String dflt) {
        JsonNode v = n.path(field);
        return v.isValueNode() && !v.asText().isBlank() ? v.asText() : dflt;
    }

    private static Instant bound(JsonNode a, String field, boolean until, String at,
                                 BiFunction<String, String, ConfigException> bad) {
        JsonNode v = a.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        try {
            return Agreement.bound(v.asText(), until);
        } catch (IllegalArgumentException e) {
            throw bad.apply(at + ".agreement." + field, e.getMessage());
        }
    }
}
