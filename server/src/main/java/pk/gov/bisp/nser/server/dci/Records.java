package pk.gov.bisp.nser.server.dci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A household as the DCI's {@code Group} (or its people as {@code Member}s), made from the household already
 * projected for the caller's role by the native writer ({@code HouseholdWriter}): only what that projection wrote
 * is read, so a field the role may not see cannot reach a DCI answer either. Mapped names: the household id (or
 * Basic's pseudonym) to {@code group_identifier}, {@code pmt_score} to {@code poverty_score}, {@code members} to
 * {@code member_list} (and their number to {@code group_size}); a member's CNIC to {@code member_identifier}
 * (identifier type {@code CNIC}), name, gender, date of birth and age to {@code demographic_info}. Every other
 * field keeps its native name and value (the contract lets a registry extend the record).
 */
final class Records {

    static final String GROUP = "Group";
    static final String MEMBER = "Member";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> GROUP_MAPPED = Set.of("household_id", "id", "pmt_score", "members");
    private static final Set<String> NAMED = Set.of("household_id", "id", "pmt_score", "members", "name");
    private static final Set<String> MEMBER_MAPPED = Set.of("cnic", "name", "gender", "date_of_birth", "age",
            "searched");

    private Records() {
    }

    /** The household {@code h} (native projection) as a Group. */
    static ObjectNode group(ObjectNode h) {
        ObjectNode g = F.objectNode();
        g.put("@type", GROUP);
        ArrayNode ids = groupIdentifier(h);
        if (ids != null) {
            g.set("group_identifier", ids);
        }
        JsonNode score = h.get("pmt_score");
        if (score != null && !score.isNull()) {
            g.set("poverty_score", score);
            g.put("poverty_score_type", "PMT");
        }
        JsonNode members = h.get("members");
        if (members != null && members.isArray()) {
            g.put("group_size", members.size());
            ArrayNode list = g.putArray("member_list");
            for (JsonNode m : members) {
                list.add(member((ObjectNode) m, null));
            }
        } else if (h.hasNonNull("name")) { // Basic's lookup: the searched person's name, not the roster
            ObjectNode person = F.objectNode();
            person.set("name", h.get("name"));
            g.putArray("member_list").add(member(person, null));
        }
        copyRest(h, g, NAMED);
        return g;
    }

    /**
     * A person of the household {@code h} as a Member: the member at {@code index} of its {@code members}, or, for a
     * projection without members (Basic's lookup: the searched person's name only), the household's own fields.
     */
    static ObjectNode member(ObjectNode h, int index) {
        JsonNode members = h.get("members");
        ArrayNode ids = groupIdentifier(h);
        if (members == null || !members.isArray()) {
            ObjectNode person = F.objectNode();
            person.set("name", h.get("name"));
            return member(person, ids);
        }
        return member((ObjectNode) members.get(index), ids);
    }

    /** The number of members in the projection (1 for a projection without members: one person). */
    static int memberCount(ObjectNode h) {
        JsonNode members = h.get("members");
        return members != null && members.isArray() ? members.size() : 1;
    }

    /** Index of the member marked {@code searched}, or -1. */
    static int searched(ObjectNode h) {
        JsonNode members = h.get("members");
        if (members != null && members.isArray()) {
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).path("searched").asBoolean(false)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static ArrayNode groupIdentifier(ObjectNode h) {
        JsonNode id = h.get("household_id");
        String type = "HOUSEHOLD_ID";
        if (id == null || id.isNull()) {
            id = h.get("id");
            type = "PSEUDONYM";
        }
        if (id == null || id.isNull()) {
            return null;
        }
        ArrayNode ids = F.arrayNode();
        ids.addObject().put("@type", "Identifier").put("identifier_type", type).put("identifier_value", id.asText());
        return ids;
    }

    private static ObjectNode member(ObjectNode m, ArrayNode groupIds) {
        ObjectNode out = F.objectNode();
        out.put("@type", MEMBER);
        JsonNode cnic = m.get("cnic");
        if (cnic != null && !cnic.isNull()) {
            out.putArray("member_identifier").addObject().put("@type", "Identifier")
                    .put("identifier_type", "CNIC").put("identifier_value", cnic.asText());
        }
        if (groupIds != null) {
            out.set("group_identifier", groupIds);
        }
        ObjectNode demo = F.objectNode();
        demo.put("@type", "SRPerson");
        JsonNode name = m.get("name");
        if (name != null && !name.isNull()) {
            demo.putObject("name").put("@type", "Name").put("given_name", name.asText());
        }
        JsonNode gender = m.get("gender");
        if (gender != null && !gender.isNull()) {
            demo.set("sex", gender);
        }
        JsonNode dob = m.get("date_of_birth");
        if (dob != null && !dob.isNull()) {
            demo.set("birth_date", dob);
        }
        JsonNode age = m.get("age");
        if (age != null && !age.isNull()) {
            demo.set("age", age);
        }
        out.set("demographic_info", demo);
        JsonNode searched = m.get("searched");
        if (searched != null) {
            out.set("searched", searched);
        }
        copyRest(m, out, MEMBER_MAPPED);
        return out;
    }

    private static void copyRest(ObjectNode from, ObjectNode to, Set<String> mapped) {
        Iterator<Map.Entry<String, JsonNode>> it = from.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!mapped.contains(f.getKey()) && !to.has(f.getKey())) {
                to.set(f.getKey(), f.getValue());
            }
        }
    }
}
