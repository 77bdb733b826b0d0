package pk.gov.bisp.nser.server.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.query.QueryEngine;
import pk.gov.bisp.nser.core.query.QueryParser;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.Households;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

/**
 * The differencing attacks of issue 23 run against {@code /v1/stats} on the 20k test registry, over many cells,
 * each derived value compared with the true count taken from the snapshot. Only cells that hold someone and are
 * under k count as targets (true count 1..k-1): an empty difference is the same households asked twice, which
 * answer alike by design. Chance is what the perturbation leaves an attacker who takes a derived value for the
 * truth: it is right exactly when the noises of the cells it combined cancel, which for m cells (each of 3 or
 * more) has probability P(e1 + ... + em = 0) from the ptable (44/256 for two). Each attack must recover no more
 * targets than the sum of those chances plus three standard deviations. Before the cell-key method every
 * derived value here was the true count.
 */
class StatsDifferencingAttackTest {

    private static final int K = 10;
    private static final List<String> FILTERS = List.of("household_size=1", "household_size=2", "widow=yes",
            "disabled_member=yes", "member_65_plus=yes", "toilet=none", "household_size=1&measure=disabled_member:yes",
            "house_type=kacha&measure=widow:yes");
    private static final List<GeoLevel> LEVELS = List.of(GeoLevel.PROVINCE, GeoLevel.DISTRICT, GeoLevel.TEHSIL,
            GeoLevel.UNION_COUNCIL);
    private static NserServer server;
    private static Snapshot snapshot;
    private static QueryParser parser;
    private static QueryEngine engine;

    @BeforeAll
    static void start() throws Exception {
        String demo = new String(StatsDifferencingAttackTest.class.getResourceAsStream("/demo.yaml").readAllBytes());
        // a fixed secret: the same record keys on every run, so the outcome is the same on every run
        server = TestServer.start(TestServer.config(demo + "search: {cell_key_secret: 'attack-test-secret-0023'}\n"));
        snapshot = TestServer.openSnapshot();
        parser = new QueryParser(snapshot.geography());
        engine = new QueryEngine(snapshot);
    }

    @AfterAll
    static void stop() {
        snapshot.close();
        server.close();
    }

    @Test
    void theComplementThroughNotOnAnAddressIsRefused() throws Exception {
        // the issue's own request, without a key, and a slice in hundredths
        for (String q : List.of("group_by=province&province=7&household_size=1&not_district=7003&measure="
                + "disabled_member:yes", "group_by=district&pmt_max=24.74&not_disabled_member=yes")) {
            assertEquals(400, TestServer.get(server, "/v1/stats?" + q).statusCode(), q);
        }
        for (String q : List.of("not_province=1", "not_division=101", "not_district=6001", "not_tehsil=600101",
                "not_uc=60010101", "not_union_council=60010101", "measure=not_district:6001", "pmt_max=24.74",
                "pmt_min=24.5", "pmt_max=24.00", "pmt_below=32.5", "measure=pmt_below:31.99")) {
            HttpResponse<String> r = TestServer.get(server, "/v1/stats?" + q, TestServer.key("power"));
            assertEquals(400, r.statusCode(), q + " " + r.body());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), q);
            assertTrue(r.body().contains(q.contains("pmt") ? "whole points" : "no not_ on an address"), r.body());
        }
        assertEquals(200, TestServer.get(server, "/v1/stats?pmt_max=24&not_widow=yes").statusCode());
    }

    @Test
    void slicingByWholePmtPointsGivesNoiseNotHouseholds() throws Exception {
        Tally households = new Tally("slice households");
        for (String f : List.of("measure=disabled_member:yes", "house_type=kacha&measure=widow:yes")) {
            slices("group_by=district&" + f, GeoLevel.DISTRICT, 45, "households", households);
        }
        households.check(1_000);
        Tally flagged = new Tally("slice flags");
        for (String m : List.of("disabled_member:yes", "widow:yes", "member_65_plus:yes")) {
            slices("group_by=province&measure=" + m, GeoLevel.PROVINCE, 60, "count", flagged);
        }
        flagged.check(100);
    }

    /** Column {@code c} of {@code pmt_max=n} minus {@code pmt_max=n-1}, for n = 11..{@code last}. */
    private static void slices(String q, GeoLevel level, int last, String c, Tally t) throws Exception {
        Map<Integer, JsonNode> below = byCode(stats(q + "&pmt_max=10"));
        for (int n = 11; n <= last; n++) {
            Map<Integer, JsonNode> upTo = byCode(stats(q + "&pmt_max=" + n));
            for (Map.Entry<Integer, JsonNode> e : upTo.entrySet()) {
                JsonNode lower = below.get(e.getKey()).get(c);
                if (!e.getValue().get(c).isNull() && !lower.isNull()) {
                    boolean m = c.equals("count");
                    long truth = truth(q + "&pmt_max=" + n, level, e.getKey(), m)
                            - truth(q + "&pmt_max=" + (n - 1), level, e.getKey(), m);
                    t.add(e.getValue().get(c).asLong() - lower.asLong(), truth, 2);
                }
            }
            below = upTo;
        }
    }

    @Test
    void aParentMinusItsPublishedPartsGivesNoiseNotTheHiddenOnes() throws Exception {
        Tally nested = new Tally("parent minus published parts");
        for (String f : FILTERS) {
            Map<GeoLevel, JsonNode> tables = new HashMap<>();
            for (GeoLevel l : LEVELS) {
                tables.put(l, stats("group_by=" + l.key() + "&" + f));
            }
            for (String c : f.contains("measure") ? List.of("households", "count") : List.of("households")) {
                for (int i = 1; i < LEVELS.size(); i++) {
                    GeoLevel up = LEVELS.get(i - 1);
                    GeoLevel down = LEVELS.get(i);
                    for (Map.Entry<Integer, JsonNode> parent : byCode(tables.get(up)).entrySet()) {
                        attack(nested, parent.getValue().get(c), tables.get(down), down, up, parent.getKey(), f, c);
                    }
                }
                for (GeoLevel l : LEVELS) {
                    attack(nested, tables.get(l).get("total").get(c), tables.get(l), l, null, 0, f, c);
                }
            }
        }
        nested.check(100);
    }

    @Test
    void aCountFromItsBaseMinusItsNegationGivesNoise() throws Exception {
        Tally complement = new Tally("measure complement");
        for (String f : List.of("", "household_size=1", "household_size=2", "toilet=none", "house_type=kacha")) {
            for (String m : List.of("disabled_member:yes", "widow:yes", "member_65_plus:yes")) {
                for (String level : List.of("district", "tehsil")) {
                    String q = "group_by=" + level + (f.isEmpty() ? "" : "&" + f);
                    Map<Integer, JsonNode> yes = byCode(stats(q + "&measure=" + m));
                    Map<Integer, JsonNode> no = byCode(stats(q + "&measure=not_" + m));
                    GeoLevel l = level.equals("district") ? GeoLevel.DISTRICT : GeoLevel.TEHSIL;
                    for (Map.Entry<Integer, JsonNode> g : yes.entrySet()) {
                        JsonNode other = no.get(g.getKey()).get("count");
                        if (g.getValue().get("count").isNull() && !g.getValue().get("base").isNull()
                                && !other.isNull()) {
                            long derived = g.getValue().get("base").asLong() - other.asLong();
                            String filter = (f.isEmpty() ? "" : f + "&") + m.replace(':', '=');
                            complement.add(derived, truth(filter, l, g.getKey(), false), 2);
                        }
                    }
                }
            }
        }
        complement.check(50);
    }

    @Test
    void theSameHouseholdsGiveTheSameAnswerThroughAnyTable() throws Exception {
        for (String f : FILTERS) {
            JsonNode provinces = stats("group_by=province&" + f);
            for (Map.Entry<Integer, JsonNode> p : byCode(provinces).entrySet()) {
                JsonNode within = stats("group_by=district&province=" + p.getKey() + "&" + f).get("total");
                for (String c : List.of("households", "members")) {
                    if (!p.getValue().get(c).isNull() && !within.get(c).isNull()) {
                        assertEquals(p.getValue().get(c), within.get(c), f + " province " + p.getKey() + " " + c);
                    }
                }
            }
        }
    }

    @Test
    void theSecretMustBeLongEnough() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> TestServer.config(TestServer.minimal(10, 10,
                "") + "search: {cell_key_secret: short}\n"));
        assertTrue(e.getMessage().contains("search.cell_key_secret"), e.getMessage());
    }

    /** Derives the hidden cells of {@code table} under a published parent cell as the parent minus the rest. */
    private static void attack(Tally t, JsonNode parentCell, JsonNode table, GeoLevel level, GeoLevel up, int parent,
                               String f, String column) {
        if (parentCell.isNull()) {
            return;
        }
        long derived = parentCell.asLong();
        long truth = 0;
        int cells = 1;
        boolean hidden = false;
        for (Map.Entry<Integer, JsonNode> child : byCode(table).entrySet()) {
            if (up != null && snapshot.geography().ancestorOf(level, child.getKey(), up) != parent) {
                continue;
            }
            JsonNode v = child.getValue().get(column);
            if (v.isNull()) {
                hidden = true;
                truth += truth(f, level, child.getKey(), column.equals("count"));
            } else {
                derived -= v.asLong();
                cells++;
            }
        }
        if (hidden) {
            t.add(derived, truth, cells);
        }
    }

    /** Households of {@code filters} (with the measure's filter when {@code measured}) in one unit. */
    private static long truth(String filters, GeoLevel level, int code, boolean measured) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String p : filters.split("&")) {
            if (p.isEmpty() || p.startsWith("group_by=")) {
                continue;
            }
            String[] kv = p.split("=", 2);
            if (kv[0].equals("measure")) {
                if (measured) {
                    String[] m = kv[1].split(":", 2);
                    params.computeIfAbsent(m[0], x -> new ArrayList<>()).add(m[1]);
                }
            } else {
                params.computeIfAbsent(kv[0], x -> new ArrayList<>()).add(kv[1]);
            }
        }
        params.put(level.key(), List.of(Integer.toString(code)));
        return engine.count(parser.parse(params, Set.of()));
    }

    /** The answer, asked twice: the same query must give the same body. */
    private static JsonNode stats(String query) throws Exception {
        HttpResponse<String> r = TestServer.get(server, "/v1/stats?" + query, TestServer.key("power"));
        assertEquals(200, r.statusCode(), query + " " + r.body());
        assertEquals(r.body(), TestServer.get(server, "/v1/stats?" + query, TestServer.key("power")).body(), query);
        return TestServer.json(r);
    }

    private static Map<Integer, JsonNode> byCode(JsonNode j) {
        Map<Integer, JsonNode> out = new LinkedHashMap<>();
        j.get("groups").forEach(g -> out.put(g.get("code").asInt(), g));
        return out;
    }

    /** P(e1 + ... + em = 0) for independent noises of counts of 3 or more (signs do not matter: symmetric). */
    static double chance(int m) {
        double[] dist = {1};
        for (int i = 0; i < m; i++) {
            double[] next = new double[dist.length + 2 * CellKeyPerturbation.MAX_NOISE];
            for (int a = 0; a < dist.length; a++) {
                for (int e = -CellKeyPerturbation.MAX_NOISE; e <= CellKeyPerturbation.MAX_NOISE; e++) {
                    next[a + e + CellKeyPerturbation.MAX_NOISE] += dist[a] * CellKeyPerturbation.probability(100, e);
                }
            }
            dist = next;
        }
        return dist[dist.length / 2];
    }

    /** Attempts on targets (true count 1..k-1), how many recovered the true count, and what chance predicts. */
    private static final class Tally {
        private final String name;
        private int tries;
        private int hits;
        private int empty;
        private double expected;
        private double variance;

        Tally(String name) {
            this.name = name;
        }

        void add(long derived, long truth, int cells) {
            if (truth == 0) {
                empty++;
            } else if (truth < K) {
                double p = chance(cells);
                tries++;
                hits += derived == truth ? 1 : 0;
                expected += p;
                variance += p * (1 - p);
            }
        }

        void check(int atLeast) {
            String report = String.format(java.util.Locale.ROOT, "%s: %d of %d targets recovered; chance %.1f "
                    + "(+3 sd %.1f); %d empty", name, hits, tries, expected, 3 * Math.sqrt(variance), empty);
            System.out.println(report);
            assertTrue(hits <= expected + 3 * Math.sqrt(variance), report);
            assertTrue(tries >= atLeast, "too few targets to judge: " + report);
        }
    }
}
