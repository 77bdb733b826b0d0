package pk.gov.bisp.nser.server.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.Households;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

/**
 * {@code programme=} and {@code not_programme=} over partner programmes (and the survey's uct/cct beside them) on
 * counts, lists and statistics, against a brute-force scan of the snapshot and of what was posted: random
 * enrolments, exits and re-enrolments in two programmes, then random filter combinations with a PMT bound and a
 * district. The count equals the scan; the list's ids are the scan's; statistics are the scan's within the cell-key
 * noise (at most 3), or suppressed. Standard and Basic, who do not see programmes, may not list or count by them.
 */
class ExchangeFilterTest {

    private static final String BISP = "bisp-power-key";

    @Test
    void programmeFiltersEqualABruteForceScan() throws Exception {
        Households hh = Households.load();
        int district = hh.largest(hh.district);
        boolean[] uct = new boolean[hh.size];
        boolean[] cct = new boolean[hh.size];
        try (Snapshot s = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            for (int o = 0; o < hh.size; o++) {
                s.read(o, r);
                uct[o] = r.uct();
                cct[o] = r.cct();
            }
        }
        SplittableRandom rnd = new SplittableRandom(31);
        Map<String, Set<Integer>> enrolled = new HashMap<>(Map.of("pbm", new HashSet<>(), "sehat", new HashSet<>()));
        try (NserServer s = TestServer.start(Partners.config(district, Files.createTempDirectory("nser-x-filter")))) {
            for (int batch = 0; batch < 80; batch++) {
                boolean pbm = rnd.nextInt(3) > 0;
                List<String> items = new ArrayList<>();
                Map<Integer, String> effect = new HashMap<>();
                while (items.size() < 5) {
                    int o = rnd.nextInt(hh.size);
                    if (!pbm && hh.district[o] != district || effect.containsKey(o)) {
                        continue;
                    }
                    String status = List.of("enrolled", "enrolled", "exited", "graduated").get(rnd.nextInt(4));
                    effect.put(o, status);
                    items.add(Partners.enrolment(Partners.byId(hh.ids[o]), pbm ? "pbm" : "sehat", status,
                            "2026-10-0" + (1 + rnd.nextInt(9))));
                }
                HttpResponse<String> r = Partners.post(s, pbm ? "demo-partner-key" : "demo-power-key",
                        "/v1/exchange/enrolments", Partners.enrolments(items.toArray(String[]::new)));
                assertEquals(201, r.statusCode(), r.body());
                Set<Integer> set = enrolled.get(pbm ? "pbm" : "sehat");
                effect.forEach((o, st) -> {
                    if (st.equals("enrolled")) {
                        set.add(o);
                    } else {
                        set.remove(o);
                    }
                });
            }
            Set<Integer> pbm = enrolled.get("pbm");
            Set<Integer> sehat = enrolled.get("sehat");
            assertTrue(pbm.size() > 100 && sehat.size() > 30, pbm.size() + " " + sehat.size());
            Map<String, IntPredicate> programmes = new HashMap<>();
            programmes.put("programme=pbm", pbm::contains);
            programmes.put("programme=sehat", sehat::contains);
            programmes.put("programme=pbm,sehat", o -> pbm.contains(o) || sehat.contains(o));
            programmes.put("not_programme=pbm", o -> !pbm.contains(o));
            programmes.put("programme=uct,pbm", o -> uct[o] || pbm.contains(o));
            programmes.put("not_programme=any", o -> !uct[o] && !cct[o] && !pbm.contains(o) && !sehat.contains(o));
            programmes.put("programme=pbm&programme=sehat", o -> pbm.contains(o) || sehat.contains(o));
            programmes.put("programme=pbm&not_programme=uct,cct", o -> pbm.contains(o) && !uct[o] && !cct[o]);
            List<String> failures = new ArrayList<>();
            int checked = 0;
            for (Map.Entry<String, IntPredicate> p : programmes.entrySet()) {
                for (String extra : List.of("", "&pmt_below=32", "&district=" + district, "&pmt_max=40&district="
                        + district)) {
                    IntPredicate more = extra.isEmpty() ? o -> true
                            : extra.equals("&pmt_below=32") ? o -> hh.pmtHundredths[o] < 3200
                            : extra.startsWith("&district") ? o -> hh.district[o] == district
                            : o -> hh.pmtHundredths[o] <= 4000 && hh.district[o] == district;
                    IntPredicate all = o -> p.getValue().test(o) && more.test(o);
                    List<Long> expected = hh.idsWhere(all);
                    String q = p.getKey() + extra;
                    HttpResponse<String> c = Partners.get(s, BISP, "/v1/households/count?" + q);
                    long count = TestServer.json(c).path("count").asLong(-1);
                    if (count != expected.size()) {
                        failures.add(q + ": count " + count + " (" + c.statusCode() + "), scan " + expected.size());
                    }
                    if (expected.size() <= 2_000) {
                        HttpResponse<String> l = Partners.get(s, BISP, "/v1/households?" + q + "&limit=2000");
                        List<Long> ids = new ArrayList<>();
                        for (JsonNode row : TestServer.json(l).get("items")) {
                            ids.add(row.get("household_id").asLong());
                        }
                        if (!ids.equals(expected)) {
                            failures.add(q + ": list of " + ids.size() + " ids differs from the scan's " + expected.size());
                        }
                    }
                    JsonNode stats = TestServer.json(Partners.get(s, BISP, "/v1/stats?group_by=province&" + q));
                    JsonNode total = stats.path("total").path("households");
                    if (total.isMissingNode() || !total.isNull() && Math.abs(total.asLong() - expected.size()) > 3
                            || total.isNull() && expected.size() >= 10 + 3) {
                        failures.add(q + ": statistics total " + total + ", scan " + expected.size());
                    }
                    checked++;
                }
            }
            assertEquals(List.of(), failures);
            assertEquals(32, checked);
            // statistics over programmes: a measure, through the same suppression
            JsonNode m = TestServer.json(Partners.get(s, BISP, "/v1/stats?group_by=district&measure=programme:pbm"));
            assertTrue(m.has("groups"), m.toString());
            TestServer.expectProblem(Partners.get(s, BISP, "/v1/households/count?programme=nope"), 400,
                    "invalid-filter");
            // who does not see which programmes serve a household may not list or count by them; statistics it may
            for (String key : new String[] {"demo-standard-key", "demo-basic-key"}) {
                TestServer.expectProblem(Partners.get(s, key, "/v1/households/count?not_programme=any"), 403,
                        "programme-filter-not-allowed");
                TestServer.expectProblem(Partners.get(s, key, "/v1/households?programme=pbm"), 403,
                        "programme-filter-not-allowed");
                assertEquals(200, Partners.get(s, key, "/v1/households/count?programme=uct").statusCode(),
                        "the survey's own programmes stay open");
                assertEquals(200, Partners.get(s, key, "/v1/stats?group_by=province&not_programme=any").statusCode());
            }
            assertEquals(200, Partners.get(s, "demo-partner-key", "/v1/households/count?not_programme=any")
                    .statusCode());
        }
    }

    @Test
    void benefitsPaidOverAPeriodEqualABruteForceSum() throws Exception {
        Households hh = Households.load();
        int district = hh.largest(hh.district);
        SplittableRandom rnd = new SplittableRandom(32);
        Map<Integer, Map<String, Long>> paid = new HashMap<>(); // ordinal -> month -> paisa
        List<Integer> inDistrict = new ArrayList<>();
        for (int o = 0; inDistrict.size() < 60; o++) {
            if (hh.district[o] == district) {
                inDistrict.add(o);
            }
        }
        try (NserServer s = TestServer.start(Partners.config(district, Files.createTempDirectory("nser-x-paid")))) {
            for (int batch = 0; batch < 60; batch++) {
                boolean pbm = rnd.nextBoolean();
                List<String> items = new ArrayList<>();
                while (items.size() < 5) {
                    // few households, so that several payments add up; Sehat's in its district
                    int o = pbm ? rnd.nextInt(200) : inDistrict.get(rnd.nextInt(inDistrict.size()));
                    String month = "2026-0" + (1 + rnd.nextInt(9));
                    long paisa = 100L * rnd.nextInt(1, 8_000) + rnd.nextInt(100);
                    paid.computeIfAbsent(o, k -> new HashMap<>()).merge(month, paisa, Long::sum);
                    items.add(Partners.benefit(Partners.byId(hh.ids[o]), pbm ? "pbm" : "sehat", month,
                            java.math.BigDecimal.valueOf(paisa, 2).toPlainString(), "cash"));
                }
                HttpResponse<String> r = Partners.post(s, pbm ? "demo-partner-key" : "demo-power-key",
                        "/v1/exchange/benefits", Partners.benefits(items.toArray(String[]::new)));
                assertEquals(201, r.statusCode(), r.body());
            }
            List<String> failures = new ArrayList<>();
            for (String[] q : new String[][] {{"5000", null, null}, {"0", "2026-03", "2026-03"},
                {"12000.50", "2026-02", "2026-07"}, {"20000", null, null}, {"1", "2026-09", "2026-09"}}) {
                long min = new java.math.BigDecimal(q[0]).movePointRight(2).longValueExact();
                IntPredicate scan = o -> {
                    Map<String, Long> months = paid.get(o);
                    if (months == null) {
                        return false;
                    }
                    long total = 0;
                    boolean any = false;
                    for (Map.Entry<String, Long> m : months.entrySet()) {
                        if (q[1] == null || m.getKey().compareTo(q[1]) >= 0 && m.getKey().compareTo(q[2]) <= 0) {
                            total += m.getValue();
                            any = true;
                        }
                    }
                    return any && total >= min;
                };
                String filter = "benefit_pkr_min=" + q[0] + (q[1] == null ? "" : "&benefit_period=" + q[1]
                        + (q[1].equals(q[2]) ? "" : ".." + q[2]));
                for (String extra : List.of("", "&pmt_below=32", "&not_programme=uct")) {
                    IntPredicate more = extra.isEmpty() ? o -> true : extra.startsWith("&pmt")
                            ? o -> hh.pmtHundredths[o] < 3200 : o -> true;
                    long expected = hh.idsWhere(o -> scan.test(o) && more.test(o)).size();
                    if (extra.startsWith("&not_programme")) {
                        expected = -1; // checked against the engine's own uct below
                        long withUct = TestServer.json(Partners.get(s, BISP, "/v1/households/count?" + filter
                                + "&programme=uct")).get("count").asLong();
                        long all = TestServer.json(Partners.get(s, BISP, "/v1/households/count?" + filter))
                                .get("count").asLong();
                        long without = TestServer.json(Partners.get(s, BISP, "/v1/households/count?" + filter
                                + extra)).get("count").asLong();
                        if (withUct + without != all) {
                            failures.add(filter + ": uct " + withUct + " + not uct " + without + " != " + all);
                        }
                        continue;
                    }
                    HttpResponse<String> c = Partners.get(s, BISP, "/v1/households/count?" + filter + extra);
                    if (TestServer.json(c).path("count").asLong(-1) != expected) {
                        failures.add(filter + extra + ": " + c.body() + ", scan " + expected);
                    }
                }
            }
            assertEquals(List.of(), failures);
            assertTrue(TestServer.json(Partners.get(s, BISP, "/v1/households/count?benefit_pkr_min=1")).get("count")
                    .asLong() > 50);
            TestServer.expectProblem(Partners.get(s, "demo-partner-key", "/v1/households/count?benefit_pkr_min=1"),
                    403, "programme-filter-not-allowed");
            TestServer.expectProblem(Partners.get(s, BISP, "/v1/households/count?benefit_pkr_min=-1"), 400,
                    "invalid-filter");
            TestServer.expectProblem(Partners.get(s, BISP, "/v1/households/count?benefit_pkr_min=1&benefit_period="
                    + "2026-09..2026-01"), 400, "invalid-filter");
            TestServer.expectProblem(Partners.get(s, BISP, "/v1/households/count?benefit_period=2026-01"), 400,
                    "invalid-filter");
            assertEquals(200, Partners.get(s, "demo-standard-key", "/v1/stats?group_by=province&benefit_pkr_min=1")
                    .statusCode(), "statistics, perturbed and suppressed, are open");
        }
    }
}
