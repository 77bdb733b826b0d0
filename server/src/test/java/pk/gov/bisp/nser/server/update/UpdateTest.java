package pk.gov.bisp.nser.server.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.json.HouseholdJson;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotVerifier;
import pk.gov.bisp.nser.server.Households;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.SearchHttp;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * Live updates over HTTP: each kind of update, then lookup, count, list and statistics reflect it; versions,
 * If-Match, CNIC conflicts, per-field 422s and idempotency; restart and checkpoint give the same state.
 */
class UpdateTest {

    private static final String[] POWER = TestServer.key("power");
    private static ServerConfig config;
    private static Path updates;
    private static NserServer server;
    private static long nextCnic = 9_900_000_000_000L;

    @BeforeAll
    static void start() throws Exception {
        updates = Files.createTempDirectory("nser-update-test");
        config = TestServer.demoConfig().withUpdatesDir(updates);
        server = TestServer.start(config);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static synchronized long freshCnic() throws Exception {
        try (Snapshot s = TestServer.openSnapshot()) {
            while (s.ordinalOfCnic(++nextCnic) >= 0) {
                // taken in the generated registry: try the next
            }
        }
        return nextCnic;
    }

    /** A new household's survey: a copy of the one at {@code ordinal} with fresh CNICs and no household id. */
    private static ObjectNode newHousehold(int ordinal) throws Exception {
        try (Snapshot s = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            assertTrue(s.read(ordinal, r));
            Household h = HouseholdCodec.decode(r, s.dictionary());
            ObjectNode n = HouseholdJson.toJson(h);
            n.remove("household_id");
            n.remove("pmt_score");
            n.remove("version");
            n.remove("pmt_model_version");
            for (JsonNode m : n.get("members")) {
                if (!m.get("cnic").asText().isEmpty()) {
                    ((ObjectNode) m).put("cnic", Cnic.format(freshCnic()));
                }
            }
            return n;
        }
    }

    private static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        return TestServer.send(server, "POST", path, body, concat(POWER, headers));
    }

    private static HttpResponse<String> patch(long id, String body, String... headers) throws Exception {
        return TestServer.send(server, "PATCH", "/v1/households/" + id + "/members", body, concat(POWER, headers));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length + 2];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        out[out.length - 2] = "Content-Type";
        out[out.length - 1] = "application/json";
        return out;
    }

    private static JsonNode lookup(String cnic) throws Exception {
        HttpResponse<String> r = TestServer.get(server, "/v1/households/by-cnic/" + cnic, POWER);
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    private static long create(ObjectNode household) throws Exception {
        HttpResponse<String> r = post("/v1/households", household.toString());
        assertEquals(201, r.statusCode(), r.body());
        JsonNode j = TestServer.json(r);
        assertEquals("\"1\"", r.headers().firstValue("ETag").orElse(""));
        assertEquals(1, j.get("version").asInt());
        assertTrue(j.get("created").asBoolean());
        return j.get("household_id").asLong();
    }

    private static String firstCnic(ObjectNode h) {
        for (JsonNode m : h.get("members")) {
            if (!m.get("cnic").asText().isEmpty()) {
                return m.get("cnic").asText();
            }
        }
        throw new AssertionError("no member with a CNIC");
    }

    @Test
    void newHouseholdIsFoundByLookupCountListAndStats() throws Exception {
        ObjectNode h = newHousehold(7);
        int uc = h.get("union_council").asInt();
        String filter = "uc=" + uc;
        long before = SearchHttp.count(server, "power", filter);
        long statsBefore = ucHouseholds(uc);
        long id = create(h);
        JsonNode found = lookup(firstCnic(h));
        assertEquals(id, found.get("household_id").asLong());
        assertEquals("missed_out", found.get("survey_source").asText());
        assertEquals(before + 1, SearchHttp.count(server, "power", filter));
        List<String> ids = SearchHttp.rowIds(SearchHttp.stream(server, "power", filter));
        assertEquals(before + 1, ids.size(), "count and list agree");
        assertTrue(ids.contains(Long.toString(id)));
        // each answer is its true count within the cell-key noise (the new household's record key read from it)
        assertEquals(statsBefore + 1, ucHouseholds(uc),
                2 * pk.gov.bisp.nser.server.stats.CellKeyPerturbation.MAX_NOISE);
    }

    /** Households of the province of a union council, by /v1/stats (large enough never to be suppressed). */
    private static long ucHouseholds(int uc) throws Exception {
        try (Snapshot s = TestServer.openSnapshot()) {
            int province = s.geography().ancestorOfUc(uc, pk.gov.bisp.nser.core.geo.GeoLevel.PROVINCE);
            HttpResponse<String> r = TestServer.get(server, "/v1/stats?group_by=province", TestServer.key("power"));
            assertEquals(200, r.statusCode(), r.body());
            for (JsonNode g : TestServer.json(r).get("groups")) {
                if (g.get("code").asInt() == province) {
                    assertTrue(g.get("households").isNumber(), r.body());
                    return g.get("households").asLong();
                }
            }
            throw new AssertionError("province " + province + " missing from " + r.body());
        }
    }

    @Test
    void birthAddsAMemberAndMovesTheHouseholdSizeBitmap() throws Exception {
        ObjectNode h = newHousehold(11);
        long id = create(h);
        int size = h.get("members").size();
        String filter = "uc=" + h.get("union_council").asInt() + "&household_size=" + (size + 1);
        long bigger = SearchHttp.count(server, "power", filter);
        ObjectNode child = HouseholdJson.memberJson(new pk.gov.bisp.nser.core.schema.Member(0, "Baby Test",
                "Father Test", pk.gov.bisp.nser.core.schema.Gender.FEMALE, java.time.LocalDate.now().minusDays(3),
                pk.gov.bisp.nser.core.schema.Relationship.DAUGHTER, pk.gov.bisp.nser.core.schema.MaritalStatus.NEVER_MARRIED,
                pk.gov.bisp.nser.core.schema.Disability.NONE, pk.gov.bisp.nser.core.schema.EducationLevel.NONE, false,
                pk.gov.bisp.nser.core.schema.SchoolStatus.NEVER_ATTENDED, pk.gov.bisp.nser.core.schema.Employment.NOT_APPLICABLE,
                false, false), HouseholdJson.JSON.createObjectNode());
        ObjectNode body = HouseholdJson.JSON.createObjectNode();
        body.putArray("changes").addObject().put("change", "birth").set("member", child);
        HttpResponse<String> r = patch(id, body.toString(), "If-Match", "\"1\"");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = TestServer.json(r);
        assertEquals(2, j.get("version").asInt());
        assertEquals("\"2\"", r.headers().firstValue("ETag").orElse(""));
        assertEquals(size + 1, j.get("members").asInt());
        JsonNode found = lookup(firstCnic(h));
        assertEquals(size + 1, found.get("members").size());
        assertEquals("Baby Test", found.get("members").get(size).get("name").asText());
        assertEquals(bigger + 1, SearchHttp.count(server, "power", filter));
    }

    @Test
    void deathMarksTheMemberAndStaleIfMatchIs412() throws Exception {
        ObjectNode h = newHousehold(13);
        long id = create(h);
        String cnic = firstCnic(h);
        String death = "{\"changes\":[{\"change\":\"death\",\"cnic\":\"" + cnic + "\"}]}";
        HttpResponse<String> ok = patch(id, death, "If-Match", "\"1\"");
        assertEquals(200, ok.statusCode(), ok.body());
        HttpResponse<String> stale = patch(id, death, "If-Match", "\"1\"");
        assertEquals(412, stale.statusCode(), stale.body());
        assertEquals("\"2\"", stale.headers().firstValue("ETag").orElse(""));
        assertEquals("application/problem+json", stale.headers().firstValue("Content-Type").orElse(""));
        JsonNode found = lookup(cnic);
        for (JsonNode m : found.get("members")) {
            if (m.get("cnic").asText().equals(cnic)) {
                assertTrue(m.get("deceased").asBoolean());
            }
        }
        assertEquals("\"2\"", TestServer.get(server, "/v1/households/by-cnic/" + cnic, POWER).headers()
                .firstValue("ETag").orElse(""));
    }

    @Test
    void aCnicOfAnotherHouseholdIs409() throws Exception {
        ObjectNode a = newHousehold(17);
        create(a);
        ObjectNode b = newHousehold(19);
        ((ObjectNode) b.get("members").get(0)).put("cnic", firstCnic(a));
        HttpResponse<String> r = post("/v1/households", b.toString());
        assertEquals(409, r.statusCode(), r.body());
        assertTrue(TestServer.json(r).get("detail").asText().contains(firstCnic(a)), r.body());
    }

    /** Issue 23: a key given twice in an update body is refused (last-one-wins let one body say two things). */
    @Test
    void aDuplicateKeyIsRefusedAndNothingChanges() throws Exception {
        long applied = server.updates().applied();
        long id = Households.load().ids[31];
        HttpResponse<String> r = patch(id, "{\"changes\":[{\"change\":\"contact\",\"phone\":\"923001234567\","
                + "\"phone\":\"923007654321\"}]}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(TestServer.json(r).get("detail").asText().contains("Duplicate field 'phone'"), r.body());
        ObjectNode h = newHousehold(37);
        String twice = h.toString().replaceFirst("\\{", "{\"rooms\": 2, ");
        HttpResponse<String> c = post("/v1/households", twice);
        assertEquals(400, c.statusCode(), c.body());
        assertEquals(applied, server.updates().applied());
    }

    @Test
    void everyBadFieldIsNamedIn422() throws Exception {
        ObjectNode h = newHousehold(23);
        h.put("rooms", -4).put("toilet", "golden");
        ((ObjectNode) h.get("members").get(0)).put("gender", "x").put("date_of_birth", "yesterday");
        HttpResponse<String> r = post("/v1/households", h.toString());
        assertEquals(422, r.statusCode(), r.body());
        Set<String> fields = new TreeSet<>();
        for (JsonNode e : TestServer.json(r).get("errors")) {
            fields.add(e.get("field").asText());
            assertFalse(e.get("detail").asText().isEmpty());
        }
        assertEquals(Set.of("rooms", "toilet", "members[0].gender", "members[0].date_of_birth"), fields);
    }

    @Test
    void anIdempotencyKeyAppliesOnceAndAnswersAgain() throws Exception {
        ObjectNode h = newHousehold(29);
        long id = create(h);
        String change = "{\"changes\":[{\"change\":\"contact\",\"phone\":\"923001112233\"}]}";
        HttpResponse<String> first = patch(id, change, "Idempotency-Key", "retry-me-" + id);
        HttpResponse<String> again = patch(id, change, "Idempotency-Key", "retry-me-" + id);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(first.body(), again.body());
        JsonNode pmt = TestServer.json(first).get("pmt");
        assertEquals(pmt.get("before").asDouble(), pmt.get("after").asDouble(), 0.0,
                "a contact change keeps the survey date, so the score: " + first.body());
        assertEquals("true", again.headers().firstValue("Idempotency-Replayed").orElse(""));
        assertEquals("\"2\"", TestServer.get(server, "/v1/households/by-cnic/" + firstCnic(h), POWER).headers()
                .firstValue("ETag").orElse(""), "applied once");
        HttpResponse<String> other = patch(id, "{\"changes\":[{\"change\":\"contact\",\"phone\":\"923009999999\"}]}",
                "Idempotency-Key", "retry-me-" + id);
        assertEquals(422, other.statusCode(), other.body());
    }

    /** The first household scoring below {@code hundredths}. */
    private static int poorHousehold(int hundredths) throws Exception {
        try (Snapshot s = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            for (int o = 100; o < s.householdCount(); o++) {
                if (s.read(o, r) && r.pmtHundredths() < hundredths) {
                    return o;
                }
            }
        }
        throw new AssertionError("no household below " + hundredths);
    }

    @Test
    void aResurveyRescoresAndSaysWhetherEligibilityChanged() throws Exception {
        ObjectNode h = newHousehold(poorHousehold(1_500));
        long id = create(h);
        ObjectNode rich = h.deepCopy();
        rich.put("house_type", "pacca").put("rooms", 12).put("electricity", "metered")
                .put("toilet", "formal_latrine").put("gas", "piped");
        ArrayNode assets = rich.putArray("assets");
        for (pk.gov.bisp.nser.core.schema.Asset a : pk.gov.bisp.nser.core.schema.Asset.values()) {
            assets.add(a.key());
        }
        rich.put("update_type", "recertification");
        HttpResponse<String> r = TestServer.send(server, "PUT", "/v1/households/" + id + "/survey", rich.toString(),
                concat(POWER, new String[0]));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = TestServer.json(r);
        assertTrue(j.get("pmt").get("before").asDouble() < 15, r.body());
        double after = j.get("pmt").get("after").asDouble();
        Snapshot live = server.registry().snapshot();
        HouseholdRecord rec = new HouseholdRecord();
        assertTrue(live.read(live.ordinalOfHouseholdId(id), rec));
        assertEquals(pk.gov.bisp.nser.core.scoring.PmtModel.builtIn().scoreHundredths(rec,
                pk.gov.bisp.nser.core.scoring.PmtModel.newScratch()), Math.round(after * 100));
        assertEquals(rec.pmtHundredths(), Math.round(after * 100));
        assertTrue(after > 37, "a rich re-survey leaves the programme: " + r.body());
        JsonNode e = j.get("eligibility");
        assertTrue(e.get("before").asBoolean(), r.body());
        assertFalse(e.get("after").asBoolean(), r.body());
        assertTrue(e.get("changed").asBoolean(), r.body());
        assertEquals("above_cutoff", e.get("reason").asText());
        JsonNode found = lookup(firstCnic(h));
        assertEquals(after, found.get("pmt_score").asDouble(), 1e-9);
        assertEquals("recertification", found.get("survey_source").asText());
        assertEquals("pacca", found.get("dwelling").get("house_type").asText(), found.toString());
        HttpResponse<String> noType = TestServer.send(server, "PUT", "/v1/households/" + id + "/survey",
                h.toString(), concat(POWER, new String[0]));
        assertEquals(422, noType.statusCode(), noType.body());
        assertTrue(noType.body().contains("update_type"), noType.body());
    }

    @Test
    void onlyPowerWithTheUpdateOperationMayUpdate() throws Exception {
        String body = newHousehold(37).toString();
        for (String role : List.of("standard", "basic", "pos", "admin")) {
            HttpResponse<String> r = TestServer.send(server, "POST", "/v1/households", body,
                    concat(TestServer.key(role), new String[0]));
            assertEquals(403, r.statusCode(), role + ": " + r.body());
        }
        assertEquals(401, TestServer.send(server, "POST", "/v1/households", body).statusCode());
        assertEquals(404, patch(999_999_999L, "{\"changes\":[{\"change\":\"contact\",\"phone\":\"923001112233\"}]}")
                .statusCode());
        assertEquals(400, patch(12, "{not json").statusCode());
        assertEquals(400, patch(12, "{}", "If-Match", "three").statusCode());
    }

    @Test
    void restartAndCheckpointGiveTheSameStateAndVerifyPasses() throws Exception {
        List<ObjectNode> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ObjectNode h = newHousehold(41 + i);
            create(h);
            made.add(h);
        }
        List<String> before = new ArrayList<>();
        for (ObjectNode h : made) {
            before.add(lookup(firstCnic(h)).toString());
        }
        long count = SearchHttp.count(server, "power", "");
        assertEquals(List.of(), SnapshotVerifier.verify(server.registry().snapshot(), n -> { }));
        String metrics = TestServer.get(server, "/metrics").body();
        assertTrue(metrics.contains("nser_households_changed " + server.registry().snapshot().updatedCount()),
                metrics);
        assertTrue(server.registry().snapshot().updatedCount() >= made.size());
        server.close();
        server = TestServer.start(config);
        assertEquals(count, SearchHttp.count(server, "power", ""), "replayed from the journal");
        for (int i = 0; i < made.size(); i++) {
            assertEquals(before.get(i), lookup(firstCnic(made.get(i))).toString());
        }
        assertEquals(List.of(), SnapshotVerifier.verify(server.registry().snapshot(), n -> { }));
        assertEquals(403, TestServer.send(server, "POST", "/admin/checkpoint", null, POWER).statusCode());
        HttpResponse<String> cp = TestServer.send(server, "POST", "/admin/checkpoint", null,
                TestServer.key("admin"));
        assertEquals(200, cp.statusCode(), cp.body());
        JsonNode c = TestServer.json(cp);
        assertTrue(c.get("file").asText().startsWith("checkpoint-"), cp.body());
        assertTrue(c.get("households").asInt() >= made.size(), cp.body());
        assertTrue(Files.exists(updates.resolve(c.get("file").asText())));
        server.close();
        server = TestServer.start(config);
        assertEquals(count, SearchHttp.count(server, "power", ""), "from the checkpoint");
        for (int i = 0; i < made.size(); i++) {
            assertEquals(before.get(i), lookup(firstCnic(made.get(i))).toString());
        }
        assertEquals(List.of(), SnapshotVerifier.verify(server.registry().snapshot(), n -> { }));
        server.close();
        compactIntoANewSnapshotInGeographicOrder(count, made);
        server = TestServer.start(config);
    }

    private static void compactIntoANewSnapshotInGeographicOrder(long count, List<ObjectNode> made) throws Exception {
        String snap = TestServer.snapshot().toString();
        assertEquals(0, new picocli.CommandLine(new pk.gov.bisp.nser.builder.cli.Main()).execute("verify", snap,
                "--updates", updates.toString()), "the deep verify with the live updates folded in");
        Path out = Files.createTempDirectory("nser-compacted").resolve("snap");
        assertEquals(0, new picocli.CommandLine(new pk.gov.bisp.nser.builder.cli.Main()).execute("compact", snap,
                "--updates", updates.toString(), "--out", out.toString()));
        try (Snapshot c = Snapshot.open(out, Snapshot.Verify.FULL)) {
            assertEquals(count, c.householdCount());
            assertEquals(0, c.updatedCount());
            assertEquals(List.of(), SnapshotVerifier.verify(c, n -> { }));
            HouseholdRecord r = new HouseholdRecord();
            int previousUc = 0;
            for (int o = 0; o < c.householdCount(); o++) {
                c.read(o, r);
                assertTrue(r.unionCouncil() >= previousUc, "geographic order at ordinal " + o);
                previousUc = r.unionCouncil();
            }
            for (ObjectNode h : made) {
                int o = c.ordinalOfCnic(Cnic.parse(firstCnic(h)));
                assertTrue(o >= 0, "created household found in the compacted snapshot");
                c.read(o, r);
                assertEquals(h.get("union_council").asInt(), r.unionCouncil());
                assertEquals(1, r.recordVersion());
            }
        }
    }

}
