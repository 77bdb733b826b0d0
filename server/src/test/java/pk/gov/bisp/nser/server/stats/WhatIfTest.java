package pk.gov.bisp.nser.server.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Disability;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

/**
 * {@code /v1/stats/what-if} over HTTP on the 20k test registry, every published cell checked against a
 * brute-force scan of the records scored with the candidate model: within the cell-key noise, and perturbed.
 */
class WhatIfTest {

    private static final Path V2 = Path.of("../config/pmt-model-v2.json").toAbsolutePath().normalize();
    private static final int K = 10;
    private static final int D = CellKeyPerturbation.MAX_NOISE;
    private static final String[] COLUMNS = {"households", "eligible_now", "eligible_candidate", "entering", "leaving"};
    private static NserServer server;
    private static int perturbed;

    @BeforeAll
    static void start() throws Exception {
        String demo = new String(WhatIfTest.class.getResourceAsStream("/demo.yaml").readAllBytes());
        server = TestServer.start(TestServer.config(demo + "pmt_models:\n  - {id: v2-draft, file: '" + V2 + "'}\n"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void publishedCellsShouldBeWhatAScanOfTheRecordsWithTheCandidateGives() throws Exception {
        PmtModel v2 = PmtModel.load(V2);
        int compared = 0;
        compared += compare("group_by=district&model=v2-draft", v2, 3_200, GeoLevel.DISTRICT, r -> true);
        compared += compare("group_by=province&model=v2-draft&cutoff=35.5", v2, 3_550, GeoLevel.PROVINCE, r -> true);
        compared += compare("group_by=tehsil&model=v2-draft&province=6&disabled_member=yes", v2, 3_200,
                GeoLevel.TEHSIL, r -> r.unionCouncil() / 10_000_000 == 6 && disabled(r));
        compared += compare("group_by=district&model=v2-draft&cutoff=40&pmt_max=50", v2, 4_000, GeoLevel.DISTRICT,
                r -> r.pmtHundredths() <= 5_000);
        assertTrue(compared > 500, "published cells compared: " + compared);
        assertTrue(perturbed > compared / 2, "P(noise 0) is 1/4: " + perturbed + " of " + compared + " differ");
    }

    @Test
    void theCurrentModelAtTheMainCutoffMovesNobody() throws Exception {
        JsonNode j = whatIf("group_by=province&model=current&cutoff=32");
        assertEquals("current", j.get("model").asText());
        assertEquals(1, j.get("model_version").asInt());
        assertEquals(32, j.get("current").get("cutoff").asInt());
        assertEquals("indicator column", j.get("scored_from").asText());
        long eligible = 0;
        for (JsonNode g : groupsAndTotal(j)) {
            assertTrue(g.get("entering").isNull() && g.get("leaving").isNull(), "zero is never published: " + g);
            if (!g.get("eligible_now").isNull()) {
                assertEquals(g.get("eligible_now"), g.get("eligible_candidate"), g.toString());
                eligible += g == j.get("total") ? 0 : g.get("eligible_now").asLong();
            }
        }
        assertEquals(scan(PmtModel.builtIn(), 3_200, GeoLevel.PROVINCE, r -> true).get(0)[1],
                j.get("total").get("eligible_now").asLong(), D);
        assertTrue(eligible > 1_000, "eligible in published provinces: " + eligible);
    }

    @Test
    void aSecondWhatIfWhileOneRunsIsToldToRetryAndTheGateIsReleasedAfterEach() throws Exception {
        String path = "/v1/stats/what-if?group_by=province&model=v2-draft";
        assertEquals(200, TestServer.get(server, path, TestServer.key("power")).statusCode());
        assertEquals(1, server.whatIfGate().availablePermits(), "released after a computation");
        assertTrue(server.whatIfGate().tryAcquire(), "the test holds the only permit, as a running what-if does");
        try {
            HttpResponse<String> busy = TestServer.get(server, path, TestServer.key("power"));
            assertEquals(503, busy.statusCode(), busy.body());
            assertEquals("application/problem+json", busy.headers().firstValue("Content-Type").orElse(""));
            assertEquals("10", busy.headers().firstValue("Retry-After").orElse(""));
            assertTrue(busy.body().contains("what-if-busy"), busy.body());
            assertEquals(0, server.whatIfGate().availablePermits(), "a refused request takes no permit");
        } finally {
            server.whatIfGate().release();
        }
        assertEquals(200, TestServer.get(server, path, TestServer.key("power")).statusCode());
        HttpResponse<String> bad = TestServer.get(server, "/v1/stats/what-if?model=v3", TestServer.key("power"));
        assertEquals(400, bad.statusCode());
        assertEquals(1, server.whatIfGate().availablePermits(), "nor does a bad request");
    }

    @Test
    void onlyPowerAndAdminMayAsk() throws Exception {
        String path = "/v1/stats/what-if?model=v2-draft";
        assertEquals(200, TestServer.get(server, path, TestServer.key("power")).statusCode());
        assertEquals(200, TestServer.get(server, path, TestServer.key("admin")).statusCode());
        for (String role : List.of("standard", "basic", "pos")) {
            HttpResponse<String> r = TestServer.get(server, path, TestServer.key(role));
            assertEquals(403, r.statusCode(), role);
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), role);
        }
        assertEquals(401, TestServer.get(server, path).statusCode());
    }

    @Test
    void anUnknownModelOrABadCutoffIsABadRequestNamingIt() throws Exception {
        HttpResponse<String> model = TestServer.get(server, "/v1/stats/what-if?model=v3", TestServer.key("power"));
        assertEquals(400, model.statusCode());
        assertEquals("application/problem+json", model.headers().firstValue("Content-Type").orElse(""));
        assertTrue(model.body().contains("unknown-model") && model.body().contains("v2-draft"), model.body());
        for (String cutoff : List.of("abc", "101", "32.125", "-1", "", "1e2")) {
            HttpResponse<String> r = TestServer.get(server, "/v1/stats/what-if?cutoff=" + cutoff,
                    TestServer.key("power"));
            assertEquals(400, r.statusCode(), cutoff + " " + r.body());
            assertTrue(r.body().contains("invalid-cutoff"), r.body());
        }
        for (String q : List.of("model=v2-draft&model=current", "group_by=village", "house_type=mud")) {
            HttpResponse<String> r = TestServer.get(server, "/v1/stats/what-if?" + q, TestServer.key("power"));
            assertEquals(400, r.statusCode(), q + " " + r.body());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), q);
        }
    }

    /** Compares every published cell of the response with the scan; returns how many were compared. */
    private static int compare(String query, PmtModel model, int cutoff, GeoLevel level, Predicate<HouseholdRecord> f)
            throws Exception {
        JsonNode j = whatIf(query);
        assertEquals(level.key(), j.get("group_by").asText());
        Map<Integer, long[]> expected = scan(model, cutoff, level, f);
        int compared = 0;
        int hidden = 0;
        for (JsonNode g : groupsAndTotal(j)) {
            long[] want = expected.getOrDefault(g.has("code") ? g.get("code").asInt() : 0, new long[5]);
            for (int c = 0; c < COLUMNS.length; c++) {
                JsonNode v = g.get(COLUMNS[c]);
                if (v.isNull()) {
                    hidden++;
                } else {
                    assertEquals(want[c], v.asLong(), D, query + " " + g.get("name") + " " + COLUMNS[c]);
                    perturbed += want[c] != v.asLong() ? 1 : 0;
                    assertTrue(v.asLong() >= K, query + ": published " + COLUMNS[c] + "=" + v + " under k");
                    compared++;
                }
            }
            checkRowNotDerivable(g, query);
        }
        assertEquals(hidden, j.get("suppressed_cells").asInt(), query);
        checkColumnsNotDerivable(j, query);
        return compared;
    }

    /** {households, now, candidate, entering, leaving} per group code at {@code level}, the total under code 0. */
    private static Map<Integer, long[]> scan(PmtModel model, int cutoff, GeoLevel level, Predicate<HouseholdRecord> f)
            throws Exception {
        Map<Integer, long[]> out = new HashMap<>();
        try (Snapshot s = TestServer.openSnapshot()) {
            PmtInputs scratch = PmtModel.newScratch();
            s.scan(s.householdCount(), (r, k) -> {
                if (!f.test(r)) {
                    return;
                }
                boolean now = r.pmtHundredths() < 3_200;
                boolean after = model.scoreHundredths(r, scratch) < cutoff;
                for (int code : new int[] {s.geography().ancestorOfUc(r.unionCouncil(), level), 0}) {
                    long[] row = out.computeIfAbsent(code, x -> new long[5]);
                    row[0]++;
                    row[1] += now ? 1 : 0;
                    row[2] += after ? 1 : 0;
                    row[3] += after && !now ? 1 : 0;
                    row[4] += now && !after ? 1 : 0;
                }
            });
        }
        return out;
    }

    private static boolean disabled(HouseholdRecord r) {
        for (int i = 0; i < r.memberCount(); i++) {
            if (!r.deceased(i) && r.disability(i) != Disability.NONE) {
                return true;
            }
        }
        return false;
    }

    /** No lone hidden cell among eligible_now, eligible_candidate, entering, leaving; no complement under k. */
    private static void checkRowNotDerivable(JsonNode g, String what) {
        int hidden = 0;
        for (int c = 1; c < COLUMNS.length; c++) {
            hidden += g.get(COLUMNS[c]).isNull() ? 1 : 0;
        }
        assertTrue(hidden != 1, what + ": a lone hidden cell could be derived from the row " + g);
        for (String c : List.of("eligible_now", "eligible_candidate")) {
            if (!g.get(c).isNull() && !g.get("households").isNull()) {
                assertTrue(g.get("households").asLong() - g.get(c).asLong() >= K, what + ": complement of " + c + g);
            }
        }
    }

    /** Under a published total, no column has exactly one hidden group cell. */
    private static void checkColumnsNotDerivable(JsonNode j, String what) {
        for (String c : COLUMNS) {
            if (j.get("total").get(c).isNull()) {
                continue;
            }
            int hidden = 0;
            for (JsonNode g : j.get("groups")) {
                hidden += g.get(c).isNull() ? 1 : 0;
            }
            assertTrue(hidden != 1, what + ": a lone hidden " + c + " could be derived from the total");
        }
    }

    private static List<JsonNode> groupsAndTotal(JsonNode j) {
        List<JsonNode> all = new java.util.ArrayList<>();
        j.get("groups").forEach(all::add);
        all.add(j.get("total"));
        return all;
    }

    private static JsonNode whatIf(String query) throws Exception {
        HttpResponse<String> r = TestServer.get(server, "/v1/stats/what-if?" + query, TestServer.key("power"));
        assertEquals(200, r.statusCode(), query + " " + r.body());
        return TestServer.json(r);
    }
}
