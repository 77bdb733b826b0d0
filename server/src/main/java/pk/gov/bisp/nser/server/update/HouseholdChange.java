package pk.gov.bisp.nser.server.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import pk.gov.bisp.nser.core.json.FieldErrors;
import pk.gov.bisp.nser.core.json.HouseholdJson;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.Member;

/**
 * The household an update asks for, before scoring: a new household from its survey, the current one with roster
 * changes, or the current one with a re-survey's dwelling, assets and roster. Names every bad field.
 */
final class HouseholdChange {

    private static final String[] ADDRESS = {"union_council", "village", "address", "latitude", "longitude"};

    private HouseholdChange() {
    }

    /**
     * The requested household (version, score and survey source still to be set by the caller), or null after
     * naming the bad fields in {@code e}.
     *
     * @param current the household now (null for a new one)
     * @param id      the household id (given or assigned)
     */
    static Household of(UpdateCommand cmd, Household current, long id, FieldErrors e) {
        return switch (cmd.kind()) {
            case CREATE -> survey(cmd, null, id, e);
            case SURVEY -> survey(cmd, current, id, e);
            case ROSTER -> {
                Household h = RosterChanges.apply(current, cmd.body(), e);
                // the answers still describe the survey date: a roster change re-scores them, ages unchanged
                yield h == null ? null : check(new Household(h.householdId(), h.address(), h.pmtHundredths(),
                        h.pmtModelVersion(), h.surveyDate(), cmd.type(), h.dwelling(), h.assets(), h.phone(), h.uct(),
                        h.cct(), h.version(), h.members()), cmd.today(), e);
            }
        };
    }

    /** A full survey body: for a re-survey the address and programme status default to the current ones. */
    private static Household survey(UpdateCommand cmd, Household current, long id, FieldErrors e) {
        ObjectNode n = ((ObjectNode) cmd.body()).deepCopy();
        JsonNode given = n.get("household_id");
        if (given != null && !given.isNull() && !given.asText().equals(Long.toString(id))) {
            e.add("household_id", "'" + pk.gov.bisp.nser.core.text.Printable.of(given.asText())
                    + "' does not match the household " + (current == null ? "being created" : "in the path") + ": " + id);
            return null;
        }
        n.put("household_id", id);
        n.put("survey_source", cmd.type().key());
        if (!n.has("survey_date")) {
            n.put("survey_date", cmd.today().toString());
        }
        n.remove("pmt_score");
        n.remove("version");
        n.remove("pmt_model_version");
        if (current != null) {
            ObjectNode now = HouseholdJson.toJson(current);
            for (String f : ADDRESS) {
                if (!n.has(f)) {
                    n.set(f, now.get(f));
                }
            }
            if (!n.has("programmes")) {
                n.set("programmes", now.get("programmes"));
            }
        }
        Household h = HouseholdJson.parse(n, new int[1], e);
        return h == null ? null : check(h, h.surveyDate(), e);
    }

    /**
     * Checks what the JSON shape cannot: CNICs unique within the household, births not after {@code latestBirth}
     * (the survey date of a survey; today for a roster change, which may add a child born since).
     */
    private static Household check(Household h, java.time.LocalDate latestBirth, FieldErrors e) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < h.members().size(); i++) {
            Member m = h.members().get(i);
            if (m.cnic() != 0 && !seen.add(m.cnic())) {
                e.add("members[" + i + "].cnic", pk.gov.bisp.nser.core.cnic.Cnic.format(m.cnic())
                        + " appears twice in this household");
            }
            if (m.dateOfBirth().isAfter(latestBirth)) {
                e.add("members[" + i + "].date_of_birth", m.dateOfBirth() + " is after " + latestBirth);
            }
        }
        return e.any() ? null : h;
    }
}
