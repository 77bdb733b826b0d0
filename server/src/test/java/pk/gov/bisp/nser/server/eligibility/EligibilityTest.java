package pk.gov.bisp.nser.server.eligibility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.server.TestServer.expectProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.index.MemberSummary;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

class EligibilityTest {

    private static NserServer server;
    /** cnic, expected kafaalat eligible (1/0), expected usc-subsidy eligible (1/0). */
    private static final List<long[]> CASES = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.demo();
        try (Snapshot s = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            MemberSummary m = new MemberSummary();
            for (int o = 0; o < s.householdCount(); o += 211) {
                s.read(o, r);
                m.of(r, LocalDate.now(pk.gov.bisp.nser.server.http.Today.PAKISTAN)); // the server's today
                int score = r.pmtHundredths();
                boolean kafaalat = score < 3_200 || m.disabilityMask != 0 && score < 3_700;
                boolean usc = score < 4_000 && (m.widow || m.elderly || m.living <= 3);
                CASES.add(new long[] {r.cnic(0), kafaalat ? 1 : 0, usc ? 1 : 0});
            }
        }
        assertTrue(CASES.stream().anyMatch(c -> c[1] == 1) && CASES.stream().anyMatch(c -> c[1] == 0));
        assertTrue(CASES.stream().anyMatch(c -> c[2] == 1) && CASES.stream().anyMatch(c -> c[2] == 0));
    }

    @Test
    void singleChecksShouldFollowTheProgrammeRulesAndCarryNoPersonalData() throws Exception {
        for (long[] c : CASES) {
            for (String programme : List.of("bisp-kafaalat", "usc-subsidy")) {
                HttpResponse<String> r = TestServer.get(server, "/v1/eligibility/" + programme + "/" + c[0],
                        TestServer.key("pos"));
                assertEquals(200, r.statusCode(), r.body());
                JsonNode j = TestServer.json(r);
                boolean expected = (programme.equals("bisp-kafaalat") ? c[1] : c[2]) == 1;
                assertEquals(expected, j.get("eligible").asBoolean(), programme + " " + c[0] + ": " + j);
                assertEquals(programme, j.get("programme").asText());
                assertEquals(1, j.get("pmt_model_version").asInt());
                Set<String> keys = new java.util.HashSet<>();
                j.fieldNames().forEachRemaining(keys::add);
                assertEquals(Set.of("programme", "eligible", "reason", "pmt_model_version"), keys);
            }
        }
    }

    /**
     * Issue 23: a till (and a Standard partner) is told eligible or not, never the attribute behind it (a widow, an
     * elderly or disabled member, the disability cut-off), which its own lookups do not show; Power, who sees those
     * attributes, is told the detailed reason. Before the fix the till read VULNERABLE_WIDOW and the like.
     */
    @Test
    void onlyPowerShouldBeToldTheAttributeBehindTheAnswer() throws Exception {
        Set<String> detailed = new java.util.HashSet<>();
        for (long[] c : CASES) {
            for (String programme : List.of("bisp-kafaalat", "usc-subsidy")) {
                boolean expected = (programme.equals("bisp-kafaalat") ? c[1] : c[2]) == 1;
                for (String role : List.of("pos", "standard")) {
                    JsonNode j = TestServer.json(TestServer.get(server, "/v1/eligibility/" + programme + "/" + c[0],
                            TestServer.key(role)));
                    assertEquals(expected ? "ELIGIBLE" : "NOT_ELIGIBLE", j.get("reason").asText(), role + " " + j);
                }
                JsonNode p = TestServer.json(TestServer.get(server, "/v1/eligibility/" + programme + "/" + c[0],
                        TestServer.key("power")));
                assertEquals(expected, p.get("eligible").asBoolean());
                detailed.add(p.get("reason").asText());
            }
        }
        assertTrue(detailed.contains("BELOW_CUTOFF") && detailed.contains("ABOVE_CUTOFF")
                && detailed.stream().anyMatch(r -> r.startsWith("VULNERABLE_")), "Power's reasons: " + detailed);
        String body = "{\"cnics\": [\"" + Cnic.format(CASES.get(0)[0]) + "\", \"9999999999999\", \"x\"]}";
        HttpResponse<String> r = TestServer.send(server, "POST", "/v1/eligibility/usc-subsidy", body,
                TestServer.key("pos")[0], TestServer.key("pos")[1], "Content-Type", "application/json");
        JsonNode results = TestServer.json(r).get("results");
        assertEquals(CASES.get(0)[2] == 1 ? "ELIGIBLE" : "NOT_ELIGIBLE", results.get(0).get("reason").asText());
        assertEquals("NOT_FOUND", results.get(1).get("reason").asText());
        assertEquals("INVALID_CNIC", results.get(2).get("reason").asText());
    }

    /** Issue 23: a key given twice is refused, not resolved by the last one ({"cnics": [X], "cnics": ["1"]}). */
    @Test
    void aBatchWithADuplicateKeyShouldBeRefused() throws Exception {
        String body = "{\"cnics\": [\"" + Cnic.format(CASES.get(0)[0]) + "\"], \"cnics\": [\"1\"]}";
        HttpResponse<String> r = TestServer.send(server, "POST", "/v1/eligibility/bisp-kafaalat", body,
                TestServer.key("pos")[0], TestServer.key("pos")[1], "Content-Type", "application/json");
        expectProblem(r, 400, "invalid-json");
        assertTrue(TestServer.json(r).get("detail").asText().contains("Duplicate field 'cnics'"), r.body());
    }

    @Test
    void unknownCnicShouldBeNotFoundAndUnknownProgrammeA404() throws Exception {
        JsonNode j = TestServer.json(TestServer.get(server, "/v1/eligibility/bisp-kafaalat/9999999999999",
                TestServer.key("pos")));
        assertEquals("NOT_FOUND", j.get("reason").asText());
        assertEquals(false, j.get("eligible").asBoolean());
        expectProblem(TestServer.get(server, "/v1/eligibility/free-lunch/" + CASES.get(0)[0], TestServer.key("pos")),
                404, "unknown-programme");
        expectProblem(TestServer.get(server, "/v1/eligibility/bisp-kafaalat/12", TestServer.key("pos")), 400,
                "invalid-cnic");
        expectProblem(TestServer.get(server, "/v1/eligibility/bisp-kafaalat/" + CASES.get(0)[0],
                TestServer.key("basic")), 403, "role-not-allowed");
    }

    @Test
    void theSingleRouteShouldTakeProgrammeAndCnicAndLeaveOtherPathsAsBefore() throws Exception {
        String path = "/v1/eligibility/bisp-kafaalat/" + CASES.get(0)[0];
        HttpResponse<String> one = TestServer.get(server, path, TestServer.key("pos"));
        assertEquals(200, one.statusCode(), one.body());
        assertEquals(one.body(), TestServer.get(server, path + "/", TestServer.key("pos")).body(), "trailing slash");
        // the programme alone is the batch's path: GET is not allowed there
        for (String batchPath : List.of("/v1/eligibility/bisp-kafaalat", "/v1/eligibility/bisp-kafaalat/")) {
            HttpResponse<String> r = TestServer.get(server, batchPath, TestServer.key("pos"));
            expectProblem(r, 405, "method-not-allowed");
            assertEquals("POST", r.headers().firstValue("Allow").orElse(""), batchPath);
        }
        expectProblem(TestServer.get(server, "/v1/eligibility/", TestServer.key("pos")), 404, "no-such-route");
        expectProblem(TestServer.get(server, path + "/more", TestServer.key("pos")), 404, "no-such-route");
        // the router folds "//" into "/": a CNIC where the programme goes is the batch's path
        expectProblem(TestServer.get(server, "/v1/eligibility//" + CASES.get(0)[0], TestServer.key("pos")), 405,
                "method-not-allowed");
        HttpResponse<String> put = TestServer.send(server, "PUT", path, "", "Authorization", "Bearer demo-pos-key");
        expectProblem(put, 405, "method-not-allowed");
        assertEquals("GET", put.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void batchShouldAnswerEachCnicInOrder() throws Exception {
        StringBuilder body = new StringBuilder("{\"cnics\": [");
        for (int i = 0; i < 20; i++) {
            body.append('"').append(Cnic.format(CASES.get(i)[0])).append("\",");
        }
        body.append("\"bogus\", \"9999999999999\"]}");
        HttpResponse<String> r = TestServer.send(server, "POST", "/v1/eligibility/bisp-kafaalat", body.toString(),
                TestServer.key("pos")[0], TestServer.key("pos")[1], "Content-Type", "application/json");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode results = TestServer.json(r).get("results");
        assertEquals(22, results.size());
        for (int i = 0; i < 20; i++) {
            assertEquals(Cnic.format(CASES.get(i)[0]), results.get(i).get("cnic").asText());
            assertEquals(CASES.get(i)[1] == 1, results.get(i).get("eligible").asBoolean());
        }
        assertEquals("INVALID_CNIC", results.get(20).get("reason").asText());
        assertEquals("NOT_FOUND", results.get(21).get("reason").asText());
    }

    @Test
    void batchShouldEchoOddEntriesCutTo32CharactersEvenMidCharacter() throws Exception {
        String split = "x".repeat(31) + "\uD83D\uDE00tail"; // an emoji across the 32-character cut
        String body = "{\"cnics\": [" + TestServer.JSON.writeValueAsString(split) + ", 12345, {\"a\": [1]}, null, "
                + "\"line\\nbreak \\\"quoted\\\"\"], \"other\": {\"cnics\": 1}}";
        HttpResponse<String> r = TestServer.send(server, "POST", "/v1/eligibility/bisp-kafaalat", body,
                TestServer.key("pos")[0], TestServer.key("pos")[1], "Content-Type", "application/json");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = TestServer.json(r);
        assertEquals("bisp-kafaalat", j.get("programme").asText());
        assertEquals(1, j.get("pmt_model_version").asInt());
        JsonNode results = j.get("results");
        assertEquals(5, results.size());
        assertEquals(split.substring(0, 32), results.get(0).get("cnic").asText()); // a lone high surrogate, escaped
        assertEquals("12345", results.get(1).get("cnic").asText());
        assertEquals("{\"a\":[1]}", results.get(2).get("cnic").asText());
        assertEquals("null", results.get(3).get("cnic").asText());
        assertEquals("line\nbreak \"quoted\"", results.get(4).get("cnic").asText());
        for (JsonNode result : results) {
            assertEquals("INVALID_CNIC", result.get("reason").asText(), result.toString());
            assertFalse(result.get("eligible").asBoolean());
            assertEquals(Set.of("cnic", "eligible", "reason"), fieldNames(result));
        }
    }

    private static Set<String> fieldNames(JsonNode n) {
        Set<String> keys = new java.util.HashSet<>();
        n.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void batchLimitsShouldBe422And413AndBadJson400() throws Exception {
        String[] pos = TestServer.key("pos");
        StringBuilder big = new StringBuilder("{\"cnics\": [");
        for (int i = 0; i < 1_001; i++) {
            big.append(i == 0 ? "" : ",").append("\"3520212345671\"");
        }
        big.append("]}");
        expectProblem(TestServer.send(server, "POST", "/v1/eligibility/bisp-kafaalat", big.toString(), pos[0], pos[1]),
                422, "batch-too-large");
        String huge = "{\"cnics\": [\"" + "1".repeat(300_000) + "\"]}";
        expectProblem(TestServer.send(server, "POST", "/v1/eligibility/bisp-kafaalat", huge, pos[0], pos[1]), 413,
                "body-too-large");
        expectProblem(TestServer.send(server, "POST", "/v1/eligibility/bisp-kafaalat", "{nope", pos[0], pos[1]), 400,
                "invalid-json");
        expectProblem(TestServer.send(server, "POST", "/v1/eligibility/bisp-kafaalat", "[1,2]", pos[0], pos[1]), 400,
                "invalid-batch");
    }
}
