package pk.gov.bisp.nser.server.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.server.TestServer.expectProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.SearchHttp;
import pk.gov.bisp.nser.server.TestServer;

/** Each role's lookup response, walked field by field: nothing outside the role is ever serialised. */
class LookupProjectionTest {

    private static NserServer server;
    private static final List<long[]> SAMPLES = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.demo();
        try (Snapshot s = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            for (int o = 0; o < s.householdCount(); o += 997) {
                s.read(o, r);
                if (r.memberCount() >= 3) {
                    SAMPLES.add(new long[] {r.cnic(r.memberCount() - 1), r.memberCount(), r.householdId(),
                        r.pmtHundredths()});
                }
            }
        }
        assertTrue(SAMPLES.size() > 10);
    }

    private static Set<String> keys(JsonNode n) {
        return SearchHttp.allFields(n);
    }

    private static List<String> cnicsIn(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.findValues("cnic").forEach(v -> out.add(v.asText()));
        return out;
    }

    @Test
    void powerShouldGetTheCompleteHousehold() throws Exception {
        for (long[] s : SAMPLES) {
            HttpResponse<String> r = TestServer.get(server, "/v1/households/by-cnic/" + Cnic.format(s[0]),
                    TestServer.key("power"));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode j = TestServer.json(r);
            assertEquals(s[2], j.get("household_id").asLong());
            assertEquals(s[3] / 100.0, j.get("pmt_score").asDouble(), 1e-9);
            assertEquals(s[1], j.get("members").size());
            assertEquals(s[1], cnicsIn(j).size(), "every member's CNIC");
            assertTrue(cnicsIn(j).contains(Cnic.format(s[0])));
            assertTrue(j.get("address").has("latitude") && j.get("address").has("longitude"));
            assertTrue(j.has("contact_phone") && j.has("dwelling") && j.has("assets") && j.has("programmes"));
            assertEquals(1, countSearched(j));
        }
    }

    @Test
    void standardShouldNeverSeeOtherMembersCnicsCoordinatesOrContact() throws Exception {
        for (long[] s : SAMPLES) {
            HttpResponse<String> r = TestServer.get(server, "/v1/households/by-cnic/" + s[0], TestServer.key("standard"));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode j = TestServer.json(r);
            assertEquals(List.of(Cnic.format(s[0])), cnicsIn(j), "only the searched CNIC");
            Set<String> keys = keys(j);
            for (String secret : List.of("latitude", "longitude", "contact_phone", "dwelling", "programmes")) {
                assertFalse(keys.contains(secret), secret + " must not be serialised for Standard");
            }
            assertFalse(r.body().contains("923"), "no phone digits anywhere in the body");
            assertEquals(s[1], j.get("members").size());
            assertTrue(keys.containsAll(List.of("name", "address", "assets", "pmt_score")));
            for (JsonNode m : j.get("members")) {
                Set<String> memberKeys = new HashSet<>();
                m.fieldNames().forEachRemaining(memberKeys::add);
                Set<String> allowed = m.get("searched").asBoolean()
                        ? Set.of("cnic", "searched", "name", "relationship", "gender", "age")
                        : Set.of("searched", "name", "relationship", "gender", "age");
                assertEquals(allowed, memberKeys, "Standard member fields");
            }
        }
    }

    @Test
    void basicShouldGetOnlyTheSearchedPersonsNameAddressAndScore() throws Exception {
        for (long[] s : SAMPLES) {
            HttpResponse<String> r = TestServer.get(server, "/v1/households/by-cnic/" + Cnic.format(s[0]),
                    TestServer.key("basic"));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode j = TestServer.json(r);
            Set<String> top = new HashSet<>();
            j.fieldNames().forEachRemaining(top::add);
            assertEquals(Set.of("name", "address", "pmt_score", "pmt_model_version"), top);
            Set<String> keys = keys(j);
            for (String hidden : List.of("cnic", "members", "latitude", "longitude", "contact_phone", "household_id",
                    "assets")) {
                assertFalse(keys.contains(hidden), hidden + " must not be serialised for Basic");
            }
        }
    }

    @Test
    void byIdShouldGivePowerTheHouseholdAndStandardNoCnicAndRefuseBasic() throws Exception {
        for (long[] s : SAMPLES) {
            String path = "/v1/households/" + s[2];
            HttpResponse<String> byCnic = TestServer.get(server, "/v1/households/by-cnic/" + s[0],
                    TestServer.key("power"));
            HttpResponse<String> power = TestServer.get(server, path, TestServer.key("power"));
            assertEquals(200, power.statusCode(), power.body());
            JsonNode p = TestServer.json(power);
            assertEquals(s[2], p.get("household_id").asLong());
            assertEquals(s[1], cnicsIn(p).size(), "every member's CNIC");
            assertTrue(cnicsIn(p).contains(Cnic.format(s[0])));
            assertFalse(keys(p).contains("searched"), "nobody was searched");
            // the same household as by CNIC, less the searched flags; the same version for If-Match
            assertEquals(byCnic.body().replaceAll(",\"searched\":(true|false)", ""), power.body());
            assertEquals(byCnic.headers().firstValue("ETag"), power.headers().firstValue("ETag"));
            assertEquals("1", power.headers().firstValue("Billed-Rows").orElse(""));

            HttpResponse<String> standard = TestServer.get(server, path, TestServer.key("standard"));
            assertEquals(200, standard.statusCode(), standard.body());
            JsonNode st = TestServer.json(standard);
            assertEquals(List.of(), cnicsIn(st), "no CNIC at all by id");
            assertEquals(s[1], st.get("members").size());
            assertTrue(keys(st).containsAll(List.of("name", "address", "assets", "pmt_score")));
            for (String secret : List.of("latitude", "longitude", "contact_phone", "dwelling", "programmes",
                    "searched")) {
                assertFalse(keys(st).contains(secret), secret + " must not be serialised for Standard by id");
            }
            expectProblem(TestServer.get(server, path, TestServer.key("basic")), 403, "role-not-allowed");
        }
        expectProblem(TestServer.get(server, "/v1/households/" + SAMPLES.get(0)[2]), 401, "unauthenticated");
        expectProblem(TestServer.get(server, "/v1/households/12x", TestServer.key("power")), 400,
                "invalid-household-id");
        expectProblem(TestServer.get(server, "/v1/households/0", TestServer.key("power")), 400,
                "invalid-household-id");
        expectProblem(TestServer.get(server, "/v1/households/999999999999", TestServer.key("power")), 404,
                "household-not-found");
        // the list routes keep their paths
        HttpResponse<String> count = TestServer.get(server, "/v1/households/count?province=6",
                TestServer.key("power"));
        assertEquals(200, count.statusCode(), count.body());
        assertTrue(TestServer.json(count).has("count"), count.body());
    }

    private static int countSearched(JsonNode j) {
        int n = 0;
        for (JsonNode m : j.get("members")) {
            n += m.get("searched").asBoolean() ? 1 : 0;
        }
        return n;
    }

    @Test
    void errorsShouldBeProblemJsonWithTheRightStatus() throws Exception {
        String known = Cnic.format(SAMPLES.get(0)[0]);
        expectProblem(TestServer.get(server, "/v1/households/by-cnic/" + known), 401, "unauthenticated");
        expectProblem(TestServer.get(server, "/v1/households/by-cnic/" + known, "Authorization", "Bearer nope"),
                401, "invalid-key");
        expectProblem(TestServer.get(server, "/v1/households/by-cnic/" + known, TestServer.key("pos")), 403,
                "role-not-allowed");
        HttpResponse<String> bad = TestServer.get(server, "/v1/households/by-cnic/35202-12X4567-1",
                TestServer.key("power"));
        expectProblem(bad, 400, "invalid-cnic");
        assertTrue(TestServer.json(bad).get("detail").asText().contains("not a digit or a dash at position 9"));
        // no CNIC at all: a CNIC problem, not "household id 'by-cnic'" from the by-id route
        for (String empty : List.of("/v1/households/by-cnic/", "/v1/households/by-cnic")) {
            HttpResponse<String> none = TestServer.get(server, empty, TestServer.key("power"));
            expectProblem(none, 400, "invalid-cnic");
            assertTrue(TestServer.json(none).get("detail").asText().startsWith("CNIC is empty"), none.body());
        }
        // the route is matched on its prefix: the CNIC is the rest of the path, decoded, less one trailing slash
        HttpResponse<String> exact = TestServer.get(server, "/v1/households/by-cnic/" + known, TestServer.key("power"));
        assertEquals(200, exact.statusCode(), exact.body());
        for (String same : List.of(known + "/", known.replace("-", "%2D"), known.replace("-", "%2d") + "/")) {
            HttpResponse<String> r = TestServer.get(server, "/v1/households/by-cnic/" + same, TestServer.key("power"));
            assertEquals(200, r.statusCode(), same + ": " + r.body());
            assertEquals(exact.body(), r.body(), same);
        }
        HttpResponse<String> deeper = TestServer.get(server, "/v1/households/by-cnic/" + known + "/x",
                TestServer.key("power"));
        expectProblem(deeper, 400, "invalid-cnic");
        assertTrue(TestServer.json(deeper).get("detail").asText().contains("'" + known + "/x'"), deeper.body());
        expectProblem(TestServer.get(server, "/v1/households/by-cnic/9999999999999", TestServer.key("power")), 404,
                "cnic-not-found");
    }

    @Test
    void areaScopeShouldAnswerHouseholdsOutsideTheOrganisationsAreaExactlyAsMissingOnes() throws Exception {
        String yaml = new String(TestServer.class.getResourceAsStream("/demo.yaml").readAllBytes())
                .replace("    type: government_federal_provincial\n",
                        "    type: government_federal_provincial\n    scope: {province: 6}\n");
        try (NserServer scoped = TestServer.start(TestServer.config(yaml))) {
            int outside = 0;
            int inside = 0;
            try (Snapshot s = TestServer.openSnapshot()) {
                HouseholdRecord rec = new HouseholdRecord();
                for (long[] sample : SAMPLES) {
                    s.read(s.ordinalOfCnic(sample[0]), rec);
                    boolean in = rec.unionCouncil() / 10_000_000 == 6;
                    HttpResponse<String> r = TestServer.get(scoped, "/v1/households/by-cnic/" + sample[0],
                            TestServer.key("power"));
                    HttpResponse<String> byId = TestServer.get(scoped, "/v1/households/" + sample[2],
                            TestServer.key("power"));
                    if (in) {
                        inside++;
                        assertEquals(200, r.statusCode(), r.body());
                        assertEquals(200, byId.statusCode(), byId.body());
                    } else {
                        outside++;
                        // exactly as a CNIC and an id that no household has: same status, type, title and detail
                        expectProblem(r, 404, "cnic-not-found");
                        expectProblem(byId, 404, "household-not-found");
                        String cnic = pk.gov.bisp.nser.core.cnic.Cnic.format(sample[0]);
                        assertEquals(TestServer.get(scoped, "/v1/households/by-cnic/9999999999999",
                                TestServer.key("power")).body().replace("99999-9999999-9", cnic), r.body());
                        assertEquals(TestServer.get(scoped, "/v1/households/999999999999", TestServer.key("power"))
                                .body().replace("999999999999", Long.toString(sample[2])), byId.body());
                    }
                }
            }
            assertTrue(outside > 0 && inside > 0, "samples inside and outside Punjab: " + inside + "/" + outside);
        }
    }
}
