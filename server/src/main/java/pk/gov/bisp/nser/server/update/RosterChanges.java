package pk.gov.bisp.nser.server.update;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import pk.gov.bisp.nser.core.json.FieldErrors;
import pk.gov.bisp.nser.core.json.HouseholdJson;
import pk.gov.bisp.nser.core.schema.Address;
import pk.gov.bisp.nser.core.schema.Disability;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.MaritalStatus;
import pk.gov.bisp.nser.core.schema.Member;
import pk.gov.bisp.nser.core.text.Printable;

/**
 * The roster changes of {@code PATCH /v1/households/{id}/members}: {@code {"changes": [{"change": KIND, ...}]}}.
 * A change names its member by {@code "cnic"} or by {@code "member"} (the 0-based roster position). Kinds:
 * {@code birth} and {@code join} (with a {@code "member"} object), {@code death}, {@code leave},
 * {@code marriage}, {@code divorce}, {@code widowhood} (optionally a new {@code guardian_name}),
 * {@code disability}, {@code gender}, {@code cnic} (a member gets a CNIC/B-Form), {@code contact}
 * ({@code "phone"}) and {@code address} (the address fields of a household).
 */
final class RosterChanges {

    static final List<String> KINDS = List.of("birth", "join", "death", "leave", "marriage", "divorce", "widowhood",
            "disability", "gender", "cnic", "contact", "address");

    private RosterChanges() {
    }

    /** {@code h} with every change applied, or null after naming each bad field in {@code e}. */
    static Household apply(Household h, JsonNode body, FieldErrors e) {
        JsonNode changes = body.get("changes");
        if (changes == null || !changes.isArray() || changes.isEmpty()) {
            e.add("changes", "expected a non-empty list of changes, each {\"change\": one of " + KINDS + ", ...}");
            return null;
        }
        if (changes.size() > 255) {
            e.add("changes", changes.size() + " changes; at most 255 in one update");
            return null;
        }
        List<Member> roster = new ArrayList<>(h.members());
        long phone = h.phone();
        Address address = h.address();
        for (int i = 0; i < changes.size(); i++) {
            JsonNode c = changes.get(i);
            FieldErrors at = e.under("changes[" + i + "].");
            if (!c.isObject()) {
                at.add("change", "expected an object");
                continue;
            }
            String kind = c.path("change").asText();
            switch (kind) {
                case "birth", "join" -> {
                    Member m = c.has("member") ? HouseholdJson.member(c.get("member"), at.under("member."))
                            : missing(at, "member");
                    if (m != null) {
                        roster.add(m);
                    }
                }
                case "contact" -> phone = at.read(() -> HouseholdJson.phone(c), phone);
                case "address" -> {
                    Address a = HouseholdJson.address(c, at);
                    address = a == null ? address : a;
                }
                case "death", "leave", "marriage", "divorce", "widowhood", "disability", "gender", "cnic" ->
                        change(kind, c, roster, at);
                default -> at.add("change", "'" + Printable.of(kind) + "'; valid: " + KINDS);
            }
        }
        if (roster.isEmpty() || roster.size() > 255) {
            e.add("changes", "the roster would have " + roster.size() + " members; a household has 1 to 255");
        }
        if (e.any()) {
            return null;
        }
        return new Household(h.householdId(), address, h.pmtHundredths(), h.pmtModelVersion(), h.surveyDate(),
                h.surveySource(), h.dwelling(), h.assets(), phone, h.uct(), h.cct(), h.version(), roster);
    }

    private static Member missing(FieldErrors at, String field) {
        at.add(field, "missing");
        return null;
    }

    /** A change to one existing member, found by "cnic" or "member" (position). */
    private static void change(String kind, JsonNode c, List<Member> roster, FieldErrors at) {
        int i = target(c, roster, at);
        if (i < 0) {
            return;
        }
        Member m = roster.get(i);
        switch (kind) {
            case "death" -> roster.set(i, with(m, m.gender(), m.maritalStatus(), m.disability(), m.guardianName(),
                    m.cnic(), true));
            case "leave" -> roster.remove(i);
            case "marriage", "divorce", "widowhood" -> {
                MaritalStatus s = kind.equals("marriage") ? MaritalStatus.MARRIED
                        : kind.equals("divorce") ? MaritalStatus.DIVORCED : MaritalStatus.WIDOWED;
                String guardian = c.has("guardian_name")
                        ? at.read(() -> HouseholdJson.text(c, "guardian_name", 0, 200, false), null) : m.guardianName();
                if (guardian != null) {
                    roster.set(i, with(m, m.gender(), s, m.disability(), guardian, m.cnic(), m.deceased()));
                }
            }
            case "disability" -> {
                Disability d = at.read(() -> HouseholdJson.enumField(c, "disability", Disability::ofKey), null);
                if (d != null) {
                    roster.set(i, with(m, m.gender(), m.maritalStatus(), d, m.guardianName(), m.cnic(), m.deceased()));
                }
            }
            case "gender" -> {
                Gender g = at.read(() -> HouseholdJson.enumField(c, "gender", Gender::ofKey), null);
                if (g != null) {
                    roster.set(i, with(m, g, m.maritalStatus(), m.disability(), m.guardianName(), m.cnic(),
                            m.deceased()));
                }
            }
            case "cnic" -> {
                long cnic = at.read(() -> HouseholdJson.optionalCnic(c, "new_cnic"), -1L);
                if (cnic == 0) {
                    at.add("new_cnic", "missing");
                } else if (cnic > 0) {
                    roster.set(i, with(m, m.gender(), m.maritalStatus(), m.disability(), m.guardianName(), cnic,
                            m.deceased()));
                }
            }
            default -> throw new IllegalStateException(kind);
        }
    }

    private static int target(JsonNode c, List<Member> roster, FieldErrors at) {
        if (c.has("cnic")) {
            long cnic = at.read(() -> HouseholdJson.optionalCnic(c, "cnic"), -1L);
            if (cnic <= 0) {
                if (cnic == 0) {
                    at.add("cnic", "missing");
                }
                return -1;
            }
            for (int i = 0; i < roster.size(); i++) {
                if (roster.get(i).cnic() == cnic) {
                    return i;
                }
            }
            at.add("cnic", "no member of this household has CNIC " + pk.gov.bisp.nser.core.cnic.Cnic.format(cnic));
            return -1;
        }
        if (c.has("member")) {
            long i = at.read(() -> HouseholdJson.longField(c, "member", 0, roster.size() - 1L), -1L);
            return (int) i;
        }
        at.add("cnic", "name the member by \"cnic\" or by \"member\" (roster position from 0)");
        return -1;
    }

    private static Member with(Member m, Gender g, MaritalStatus s, Disability d, String guardian, long cnic,
                               boolean deceased) {
        return new Member(cnic, m.name(), guardian, g, m.dateOfBirth(), m.relationship(), s, d, m.education(),
                m.literate(), m.schoolStatus(), m.employment(), m.chronicDisease(), deceased);
    }
}
