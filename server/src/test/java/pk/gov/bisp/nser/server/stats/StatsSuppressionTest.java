package pk.gov.bisp.nser.server.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

/**
 * Small-cell suppression on the 20k demo registry, where union councils hold about a dozen households: no
 * published cell is under k, no lone hidden cell sits under a published total, no published count has a
 * complement under k, and what is published is the true count within the cell-key noise
 * ({@link StatsDifferencingAttackTest} checks that the noise defeats differencing).
 */
class StatsSuppressionTest {

    private static final int K = 10;
    private static final int D = CellKeyPerturbation.MAX_NOISE;
    private static final List<String> MEASURES = List.of("", "widow:yes", "house_type:kacha", "disabled_member:yes",
            "pmt_below:32", "literacy:female", "out_of_school", "toilet:none", "asset:refrigerator");
    private static final String[] COLUMNS = {"households", "members", "count", "base"};

    @Test
    void noPublishedCellIsUnderKOrDerivable() throws Exception {
        NserServer s = TestServer.demo();
        int hiddenSeen = 0;
        for (String level : List.of("province", "district", "tehsil", "uc")) {
            for (String m : MEASURES) {
                JsonNode j = stats(s, "/v1/stats?group_by=" + level + (m.isEmpty() ? "" : "&measure=" + m));
                hiddenSeen += j.get("suppressed_cells").asInt();
                checkInvariants(j, level + " " + m);
            }
        }
        assertTrue(hiddenSeen > 100, "the 20k registry's small union councils must cause suppression: " + hiddenSeen);
    }

    @Test
    void filteredTablesKeepTheInvariantsToo() throws Exception {
        NserServer s = TestServer.demo();
        for (String q : List.of("district=6001&measure=widow:yes", "pmt_max=32&measure=disabled_member:yes",
                "province=2&group_by=tehsil&measure=literacy", "group_by=uc&tehsil=600101&measure=member_65_plus:yes")) {
            String path = "/v1/stats?" + (q.contains("group_by") ? q : "group_by=uc&" + q);
            checkInvariants(stats(s, path), q);
        }
    }

    @Test
    void publishedCellsAreTheTrueCountsWithinTheNoise() throws Exception {
        NserServer s = TestServer.demo();
        JsonNode j = stats(s, "/v1/stats?group_by=tehsil&province=6&measure=widow:yes");
        int compared = 0;
        int perturbed = 0;
        for (JsonNode g : j.get("groups")) {
            String uc = "tehsil=" + g.get("code").asInt();
            for (String[] c : new String[][] {{"households", ""}, {"count", "&widow=yes"}}) {
                if (!g.get(c[0]).isNull()) {
                    long truth = count(s, uc + c[1]);
                    assertEquals(truth, g.get(c[0]).asLong(), D, uc + " " + c[0]);
                    perturbed += truth != g.get(c[0]).asLong() ? 1 : 0;
                    compared++;
                }
            }
        }
        assertTrue(compared > 20, "compared " + compared);
        assertTrue(perturbed > compared / 2, "P(noise 0) is 1/4: " + perturbed + " of " + compared + " differ");
        assertEquals(count(s, "province=6"), j.get("total").get("households").asLong(), D);
        JsonNode again = stats(s, "/v1/stats?group_by=tehsil&province=6&measure=widow:yes");
        assertEquals(j, again, "the same query, the same answer");
    }

    @Test
    void theGroupsComeFromTheGeographyNotTheData() throws Exception {
        NserServer s = TestServer.demo();
        JsonNode all = stats(s, "/v1/stats?group_by=uc&tehsil=600101");
        JsonNode none = stats(s, "/v1/stats?group_by=uc&tehsil=600101&pmt_min=100");
        assertEquals(all.get("groups").size(), none.get("groups").size());
        for (JsonNode g : all.get("groups")) {
            assertEquals(600101, g.get("code").asInt() / 100);
        }
    }

    @Test
    void theThresholdComesFromConfig() throws Exception {
        try (NserServer s = TestServer.start(TestServer.config(TestServer.minimal(1_000, 1_000, "")
                + "search: {min_cell: 3000}\n"))) {
            HttpResponse<String> r = TestServer.get(s, "/v1/stats?group_by=province");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode j = TestServer.json(r);
            assertEquals(3000, j.get("min_cell").asInt());
            for (JsonNode g : j.get("groups")) {
                JsonNode h = g.get("households");
                assertTrue(h.isNull() || h.asLong() >= 3000, g.toString());
            }
            assertTrue(j.get("suppressed_cells").asInt() >= 2, j.toString());
        }
    }

    @Test
    void thePublicMayGroupDownToDistrictOnly() throws Exception {
        NserServer s = TestServer.demo();
        assertEquals(200, TestServer.get(s, "/v1/stats?group_by=district&measure=house_type:kacha").statusCode());
        HttpResponse<String> uc = TestServer.get(s, "/v1/stats?group_by=uc");
        assertEquals(403, uc.statusCode());
        assertEquals("application/problem+json", uc.headers().firstValue("Content-Type").orElse(""));
        assertTrue(uc.body().contains("district"), uc.body());
        assertEquals(403, TestServer.get(s, "/v1/stats?group_by=district&tehsil=600101").statusCode());
        assertEquals(200, TestServer.get(s, "/v1/stats?group_by=uc", TestServer.key("standard")).statusCode());
        assertEquals(403, TestServer.get(s, "/v1/stats?group_by=uc", TestServer.key("pos")).statusCode());
        assertEquals(401, TestServer.get(s, "/v1/stats", "Authorization", "Bearer wrong").statusCode());
    }

    @Test
    void badParametersAreNamed() throws Exception {
        NserServer s = TestServer.demo();
        for (String q : List.of("group_by=village", "measure=colour:red", "measure=house_type", "measure=literacy:x",
                "house_type=mud", "group_by=uc&group_by=district", "not_district=6001", "not_union_council=60010101",
                "pmt_max=24.74", "pmt_min=20.5&pmt_max=30", "pmt_below=32.5", "measure=pmt_below:31.99",
                "measure=not_district:6001")) {
            HttpResponse<String> r = TestServer.get(s, "/v1/stats?" + q, TestServer.key("power"));
            assertEquals(400, r.statusCode(), q + " " + r.body());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), q);
        }
    }

    private static void checkInvariants(JsonNode j, String what) {
        JsonNode total = j.get("total");
        for (String c : COLUMNS) {
            if (!total.has(c)) {
                continue;
            }
            int hidden = 0;
            for (JsonNode g : j.get("groups")) {
                JsonNode v = g.get(c);
                if (v.isNull()) {
                    hidden++;
                } else {
                    assertTrue(v.asLong() >= K, what + ": published " + c + "=" + v + " under k");
                }
            }
            if (!total.get(c).isNull()) {
                assertTrue(total.get(c).asLong() >= K, what + " total " + c);
                assertTrue(hidden != 1, what + ": a lone hidden " + c + " cell could be derived from the total");
            }
        }
        for (JsonNode g : j.get("groups")) {
            if (g.has("count") && !g.get("count").isNull() && !g.get("base").isNull()) {
                assertTrue(g.get("base").asLong() - g.get("count").asLong() >= K, what + ": complement under k " + g);
                assertTrue(!g.get("share").isNull(), what);
            } else if (g.has("share")) {
                assertTrue(g.get("share").isNull(), what + ": a share of a hidden cell " + g);
            }
        }
    }

    private static JsonNode stats(NserServer s, String path) throws Exception {
        HttpResponse<String> r = TestServer.get(s, path, TestServer.key("power"));
        assertEquals(200, r.statusCode(), path + " " + r.body());
        return TestServer.json(r);
    }

    private static long count(NserServer s, String filter) throws Exception {
        HttpResponse<String> r = TestServer.get(s, "/v1/households/count?" + filter, TestServer.key("power"));
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r).get("count").asLong();
    }
}
