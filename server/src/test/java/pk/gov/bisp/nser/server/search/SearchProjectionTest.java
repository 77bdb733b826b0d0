package pk.gov.bisp.nser.server.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.server.SearchHttp.allFields;
import static pk.gov.bisp.nser.server.SearchHttp.assertNoCnicLikeValue;
import static pk.gov.bisp.nser.server.SearchHttp.count;
import static pk.gov.bisp.nser.server.SearchHttp.fields;
import static pk.gov.bisp.nser.server.SearchHttp.list;
import static pk.gov.bisp.nser.server.SearchHttp.rowIds;
import static pk.gov.bisp.nser.server.SearchHttp.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.index.BasicSample;
import pk.gov.bisp.nser.server.Households;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.SampleGrain;
import pk.gov.bisp.nser.server.SearchHttp;
import pk.gov.bisp.nser.server.TestServer;

/** List rows of each role, walked object by object: exactly the role's fields, and Basic only the sample. */
class SearchProjectionTest {

    private static final Set<String> LEVELS = Set.of("province", "division", "district", "tehsil", "union_council");
    private static final Set<String> POWER_TOP = Set.of("household_id", "pmt_score", "pmt_model_version",
            "survey_date", "survey_source", "address", "contact_phone", "dwelling", "assets", "programmes", "members");
    private static final Set<String> MEMBER_DETAILS = Set.of("marital_status", "disability", "education", "literate",
            "school_status", "employment", "chronic_disease", "deceased");
    private static final Set<String> BASIC_TOP = Set.of("id", "pmt_band", "pmt_model_version", "address",
            "dwelling", "assets", "members");
    private static final Set<String> BASIC_MEMBER = union(Set.of("relationship", "gender", "age"), MEMBER_DETAILS);
    private static final Set<String> POWER_MEMBER = union(Set.of("cnic", "name", "guardian_name", "date_of_birth"),
            BASIC_MEMBER);
    private static final List<String> BASIC_NEVER = List.of("household_id", "cnic", "date_of_birth", "contact_phone",
            "village", "text", "latitude", "longitude", "guardian_name", "survey_date", "programmes");
    private static final Pattern PSEUDONYM = Pattern.compile("anon-[0-9a-f]{16}");

    private static NserServer server;
    private static Households hh;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.demo();
        hh = Households.load();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }

    private static void assertAddress(JsonNode address, Set<String> beyondLevels, String where) {
        assertEquals(union(LEVELS, beyondLevels), fields(address), where + " address fields");
        for (String level : LEVELS) {
            assertEquals(Set.of("code", "name"), fields(address.get(level)), where + " address." + level);
            assertTrue(address.get(level).get("code").isInt(), where + " address." + level + ".code");
        }
    }

    @Test
    void powerRowsShouldBeCompleteHouseholdsWithEveryMembersCnic() throws Exception {
        List<JsonNode> rows = stream(server, "power", "province=6");
        assertTrue(rows.size() > 1000, "a sizeable response: " + rows.size());
        Pattern formatted = Pattern.compile("[0-9]{5}-[0-9]{7}-[0-9]");
        for (JsonNode row : rows) {
            String where = "household " + row.get("household_id");
            assertEquals(POWER_TOP, fields(row), where);
            assertAddress(row.get("address"), Set.of("village", "text", "latitude", "longitude"), where);
            assertTrue(row.get("members").size() > 0, where + " has members");
            List<String> cnics = new ArrayList<>();
            for (JsonNode m : row.get("members")) {
                assertEquals(POWER_MEMBER, fields(m), where + " member fields");
                if (!m.get("cnic").isNull()) {
                    assertTrue(formatted.matcher(m.get("cnic").asText()).matches(), where + " cnic " + m);
                    cnics.add(m.get("cnic").asText());
                }
            }
            int o = hh.ordinalOf(row.get("household_id").asLong());
            assertEquals(6, row.get("address").get("province").get("code").asInt(), where);
            assertEquals(hh.pmtHundredths[o], row.get("pmt_score").decimalValue().movePointRight(2).intValueExact());
            if (hh.someCnic[o] != 0) {
                assertTrue(cnics.contains(Cnic.format(hh.someCnic[o])), where + " lists its members' CNICs");
            }
        }
    }

    @Test
    void standardRowsShouldHoldOnlyTheIdTheAddressAndMembersNameRelationshipGenderAge() throws Exception {
        List<JsonNode> rows = stream(server, "standard", "province=6");
        assertEquals(hh.idsWhere(o -> hh.province[o] == 6).stream().map(String::valueOf).toList(), rowIds(rows));
        for (JsonNode row : rows) {
            String where = "household " + row.get("household_id");
            assertEquals(Set.of("household_id", "address", "members"), fields(row), where);
            assertTrue(row.get("household_id").isIntegralNumber(), where);
            assertAddress(row.get("address"), Set.of("village", "text"), where);
            assertTrue(row.get("members").size() > 0, where + " has members");
            for (JsonNode m : row.get("members")) {
                assertEquals(Set.of("name", "relationship", "gender", "age"), fields(m), where + " member fields");
            }
            assertNoCnicLikeValue(row, where);
        }
    }

    @Test
    void basicRowsShouldBeAnonymousWithAPseudonymInsteadOfTheHouseholdId() throws Exception {
        List<JsonNode> rows = stream(server, "basic", "");
        assertTrue(rows.size() > 100, "the 1% sample of 20,000: " + rows.size());
        for (JsonNode row : rows) {
            String where = "basic row " + row.get("id");
            assertEquals(BASIC_TOP, fields(row), where);
            assertTrue(PSEUDONYM.matcher(row.get("id").asText()).matches(), where);
            List<String> shown = new ArrayList<>();
            row.get("address").fieldNames().forEachRemaining(shown::add);
            // nothing, the province, down to the district, or down to the tehsil: never the union council
            assertTrue(Set.of(0, 1, 3, 4).contains(shown.size()) && shown.equals(List.of("province", "division",
                    "district", "tehsil").subList(0, shown.size())), where + " " + shown);
            for (JsonNode m : row.get("members")) {
                assertEquals(BASIC_MEMBER, fields(m), where + " member fields");
            }
            Set<String> all = allFields(row);
            for (String never : BASIC_NEVER) {
                assertFalse(all.contains(never), where + " holds " + never);
            }
            assertNoCnicLikeValue(row, where);
        }
    }

    @Test
    void csvHeadersShouldNameOnlyEachRolesColumns() throws Exception {
        int tehsil = hh.largest(hh.tehsil);
        List<String> geo = List.of("province_code", "province", "division_code", "division", "district_code",
                "district", "tehsil_code", "tehsil", "uc_code", "union_council");
        List<List<String>> power = SearchHttp.csv(list(server, "power", "tehsil=" + tehsil, "format=csv").body());
        assertTrue(power.get(0).containsAll(List.of("household_id", "village", "address", "latitude", "longitude",
                "contact_phone")), power.get(0).toString());
        assertTrue(power.get(0).get(power.get(0).size() - 1).startsWith("members[cnic|name|guardian_name|"));

        List<List<String>> standard = SearchHttp.csv(list(server, "standard", "tehsil=" + tehsil, "format=csv").body());
        List<String> standardHeader = new ArrayList<>(List.of("household_id"));
        standardHeader.addAll(geo);
        standardHeader.addAll(List.of("village", "address", "member_count", "members[name|relationship|gender|age]"));
        assertEquals(standardHeader, standard.get(0));
        assertEquals(power.size(), standard.size(), "the same households");
        for (List<String> line : standard.subList(1, standard.size())) {
            assertEquals(standardHeader.size(), line.size(), "cells of " + line);
            assertEquals(Integer.parseInt(line.get(13)), line.get(14).split(";").length, "member_count " + line);
            for (String member : line.get(14).split(";")) {
                assertEquals(4, member.split("\\|", -1).length, "name|relationship|gender|age: " + member);
            }
            assertFalse(SearchHttp.CNIC_LIKE.matcher(String.join(",", line)).find(), "a CNIC in " + line);
        }

        List<List<String>> basic = SearchHttp.csv(list(server, "basic", "province=6", "format=csv").body());
        List<String> header = basic.get(0);
        assertEquals("id", header.get(0));
        assertTrue(header.containsAll(geo), header.toString());
        for (String never : List.of("household_id", "village", "address", "latitude", "longitude", "contact_phone",
                "survey_date", "uct", "cct")) {
            assertFalse(header.contains(never), "basic CSV has " + never);
        }
        String members = header.get(header.size() - 1);
        assertTrue(members.startsWith("members[relationship|"), members);
        for (String never : List.of("cnic", "name", "guardian_name", "date_of_birth")) {
            assertFalse(Arrays.asList(members.substring(8, members.length() - 1).split("\\|")).contains(never),
                    "basic members column has " + never);
        }
        assertEquals(hh.idsWhere(o -> hh.province[o] == 6 && hh.inSample(o)).size() + 1, basic.size());
        for (List<String> line : basic.subList(1, basic.size())) {
            assertEquals(header.size(), line.size(), "cells of " + line);
            assertTrue(PSEUDONYM.matcher(line.get(0)).matches(), line.get(0));
            assertFalse(SearchHttp.CNIC_LIKE.matcher(String.join(",", line)).find(), "a CNIC in " + line);
        }
    }

    /**
     * Basic rows are exactly the sample households among Power's rows for the same filter, in the same order:
     * each Basic row equals the Power row cut down to Basic's fields.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "province=6", "pmt_below=35&disabled_member=yes", "household_size_min=7"})
    void basicShouldSeeExactlyTheSampleHouseholdsOfAFilter(String filter) throws Exception {
        List<JsonNode> power = stream(server, "power", filter);
        SampleGrain grain = SampleGrain.of(hh, 10);
        List<JsonNode> expected = power.stream().filter(r -> BasicSample.contains(r.get("household_id").asLong()))
                .map(r -> asBasicSees(r, grain)).toList();
        assertTrue(expected.size() > 0, filter + " matches sample households");
        long basicCount = count(server, "basic", filter);
        assertEquals(expected.size(), basicCount, "basic count of " + filter);
        assertTrue(basicCount < count(server, "power", filter));
        List<JsonNode> basic = stream(server, "basic", filter);
        assertEquals(expected.size(), basic.size());
        for (int i = 0; i < basic.size(); i++) {
            ObjectNode withoutId = basic.get(i).deepCopy();
            withoutId.remove("id");
            assertEquals(expected.get(i), withoutId, "basic row " + i + " of " + filter);
        }
    }

    /** A Power row cut down to what Basic sees (area and score as coarse as the sample's grain), without its id. */
    private static JsonNode asBasicSees(JsonNode powerRow, SampleGrain grain) {
        ObjectNode out = new ObjectNode(TestServer.JSON.getNodeFactory());
        JsonNode address = powerRow.get("address");
        int ordinal = hh.ordinalOf(powerRow.get("household_id").asLong());
        out.put("pmt_band", grain.shownBand(ordinal));
        out.set("pmt_model_version", powerRow.get("pmt_model_version"));
        ObjectNode coarse = out.putObject("address");
        for (String level : grain.levels(ordinal)) {
            coarse.set(level, address.get(level));
        }
        for (String f : List.of("dwelling", "assets", "members")) {
            out.set(f, powerRow.get(f).deepCopy());
        }
        for (JsonNode m : (ArrayNode) out.get("members")) {
            ((ObjectNode) m).retain(BASIC_MEMBER);
        }
        return out;
    }

    @Test
    void basicPseudonymsShouldBeStableAcrossRequestsAndFilters() throws Exception {
        List<JsonNode> all = stream(server, "basic", "");
        List<String> first = rowIds(all);
        assertEquals(first, rowIds(stream(server, "basic", "")), "the same query twice");
        assertEquals(first.size(), new HashSet<>(first).size(), "one pseudonym per household");
        List<String> punjab = rowIds(stream(server, "basic", "province=6"));
        assertTrue(punjab.size() > 0 && punjab.size() < first.size());
        assertEquals(punjab, first.stream().filter(new HashSet<>(punjab)::contains).toList(),
                "a household keeps its pseudonym, in the same order");
        JsonNode page = TestServer.json(list(server, "basic", "province=6", "limit=3"));
        assertEquals(punjab.subList(0, 3), List.of(page.get("items").get(0).get("id").asText(),
                page.get("items").get(1).get("id").asText(), page.get("items").get(2).get("id").asText()),
                "and in a JSON page");
    }
}
