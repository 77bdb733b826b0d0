package pk.gov.bisp.nser.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** national-day's class mix, rate split and per-class report, by value (no server, no timing). */
class NationalDayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Double> rates(List<NationalDay.TrafficClass> classes) {
        Map<String, Double> m = new LinkedHashMap<>();
        classes.forEach(c -> m.put(c.name(), c.rate()));
        return m;
    }

    @Test
    void theDayShouldHaveEveryClassOfTheIssueAtItsRate() {
        Map<String, Double> day = rates(NationalDay.mix(1));
        assertEquals(List.of("eligibility", "eligibility-batch", "partner-lookup", "public-status", "lists",
                "statistics", "updates"), List.copyOf(day.keySet()));
        // 5,000 eligibility checks/s: 90% single, 10% batches
        assertEquals(4_500.0, day.get("eligibility"));
        assertEquals(500.0, day.get("eligibility-batch"));
        assertEquals(1_000.0, day.get("partner-lookup"));
        assertEquals(1_000.0, day.get("public-status"));
        assertEquals(20.0, day.get("lists"));
        assertEquals(1.0, day.get("statistics"));
        assertEquals(100.0, day.get("updates"));
        Map<String, Scenario> sends = NationalDay.mix(1).stream().collect(Collectors.toMap(
                NationalDay.TrafficClass::name, NationalDay.TrafficClass::scenario));
        assertEquals(Scenario.POS_ELIGIBILITY, sends.get("eligibility"));
        assertEquals(Scenario.POS_BATCH_50, sends.get("eligibility-batch"));
        assertEquals(Scenario.PARTNER_LOOKUP_MIX, sends.get("partner-lookup"));
        assertEquals(Scenario.PUBLIC_STATUS, sends.get("public-status"));
        assertEquals(Scenario.LIST_MIX, sends.get("lists"));
        assertEquals(Scenario.STATS_TABLE, sends.get("statistics"));
        assertEquals(Scenario.UPDATES, sends.get("updates"));
        assertTrue(NationalDay.needsHouseholds(NationalDay.mix(1)) && NationalDay.needsDistricts(NationalDay.mix(1)));
    }

    @Test
    void scaleShouldMultiplyEveryRateAndNothingElse() {
        List<NationalDay.TrafficClass> small = NationalDay.mix(0.2);
        Map<String, Double> r = rates(small);
        double[] expected = {900, 100, 200, 200, 4, 0.2, 20};
        double[] got = r.values().stream().mapToDouble(Double::doubleValue).toArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-9, List.copyOf(r.keySet()).get(i));
        }
        for (int i = 0; i < small.size(); i++) {
            assertEquals(NationalDay.DAY.get(i).connections(), small.get(i).connections());
            assertEquals(NationalDay.DAY.get(i).scenario(), small.get(i).scenario());
        }
        assertEquals(1_000 * 0.1, rates(NationalDay.mix(0.1)).get("public-status"), 1e-9);
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> NationalDay.mix(bad), "scale " + bad);
        }
    }

    @Test
    void theMixedScenariosShouldDrawTheirShares() throws Exception {
        IdPool pool = new IdPool(List.of("3520212345671", "3520212345682"), 0, 0).withDistricts(new int[] {6001, 6002})
                .withHouseholds(new long[] {7});
        SplittableRandom rnd = new SplittableRandom(11);
        Map<String, Integer> keys = new TreeMap<>();
        Map<String, Integer> lists = new TreeMap<>();
        Map<String, Integer> measures = new TreeMap<>();
        for (int i = 0; i < 2_000; i++) {
            Scenario.Request lookup = Scenario.PARTNER_LOOKUP_MIX.next(pool, rnd, null);
            assertTrue(lookup.path().startsWith("/v1/households/by-cnic/35202123456"), lookup.path());
            keys.merge(lookup.key(), 1, Integer::sum);
            Scenario.Request list = Scenario.LIST_MIX.next(pool, rnd, null);
            assertEquals("demo-power-key", list.key());
            lists.merge(list.path().startsWith("/v1/households/count?") ? "count"
                    : list.path().startsWith("/v1/households?limit=100&") ? "page" : list.path(), 1, Integer::sum);
            Scenario.Request stats = Scenario.STATS_TABLE.next(pool, rnd, null);
            assertTrue(stats.path().startsWith("/v1/stats?group_by=district&measure="), stats.path());
            measures.merge(stats.path().substring(stats.path().indexOf("measure=") + 8), 1, Integer::sum);
        }
        assertEquals(List.of("demo-power-key", "demo-standard-key"), List.copyOf(keys.keySet()));
        assertTrue(keys.get("demo-power-key") > 900 && keys.get("demo-standard-key") > 900, keys.toString());
        assertEquals(List.of("count", "page"), List.copyOf(lists.keySet()));
        assertTrue(lists.get("count") > 900 && lists.get("page") > 900, lists.toString());
        assertEquals(new java.util.TreeSet<>(Scenario.STATS_MEASURES), measures.keySet());
        assertEquals("demo-basic-key", Scenario.PARTNER_LOOKUP_MIX.next(pool, rnd, "demo-basic-key").key(),
                "--key still overrides");

        Scenario.Request batch = Scenario.POS_BATCH_50.next(pool, rnd, null);
        assertEquals(HttpMethod.POST, batch.method());
        assertEquals("/v1/eligibility/usc-subsidy", batch.path());
        assertEquals("demo-pos-key", batch.key());
        assertEquals(50, JSON.readTree(batch.body()).get("cnics").size());
        assertEquals(100, JSON.readTree(Scenario.POS_BATCH.next(pool, rnd, null).body()).get("cnics").size());
        assertEquals(Scenario.LIST_MIX, Scenario.ofKey("list-mix"));
        assertEquals(List.of(Scenario.LIST_PAGE, Scenario.LIST_COUNT, Scenario.LIST_MIX),
                java.util.Arrays.stream(Scenario.values()).filter(Scenario::needsDistricts).toList(),
                "--scenario or --also list-mix loads the district codes too");
        assertEquals(Scenario.STATS_TABLE, Scenario.ofKey("stats-table"));
    }

    @Test
    void errorsShouldBeWhatTheClassDidNotAskFor() {
        NationalDay.TrafficClass cnics = NationalDay.DAY.get(0);
        NationalDay.TrafficClass lists = NationalDay.DAY.get(4);
        for (int ok : new int[] {200, 201, 204}) {
            assertFalse(cnics.isError(ok));
            assertFalse(lists.isError(ok));
        }
        // an unknown (404) or malformed (400) CNIC was asked for; a list never asks for either
        assertFalse(cnics.isError(404));
        assertFalse(cnics.isError(400));
        assertTrue(lists.isError(404));
        assertTrue(lists.isError(400));
        for (int bad : new int[] {-1, 401, 403, 409, 412, 422, 429, 500, 503}) {
            assertTrue(cnics.isError(bad), "status " + bad);
            assertTrue(lists.isError(bad), "status " + bad);
        }
        assertEquals(List.of(true, false, true, true, false, false, false),
                NationalDay.DAY.stream().map(NationalDay.TrafficClass::sendsCnics).toList());
    }

    /** A finished class run: latencies (µs) at due offsets (s), statuses, and its class's error rule. */
    private static RunResult run(NationalDay.TrafficClass c, long[][] dueSecondsAndMicros, int status) {
        RunResult r = new RunResult(c.name());
        r.isError = c::isError;
        r.intervals = new RunResult.Intervals(NationalDay.REPORT_EVERY.toNanos(), Duration.ofSeconds(20).toNanos());
        for (long[] m : dueSecondsAndMicros) {
            r.latency.recordValue(m[1]);
            r.statuses.merge(status, 1L, Long::sum);
            r.intervals.record(m[0] * 1_000_000_000L, status, m[1], c.isError(status));
        }
        r.sent = dueSecondsAndMicros.length;
        r.seconds = 20;
        return r;
    }

    @Test
    void theReportShouldGiveEachClassEveryIntervalAndOverall(@TempDir Path dir) throws Exception {
        List<NationalDay.TrafficClass> classes = List.of(NationalDay.DAY.get(0), NationalDay.DAY.get(4));
        Map<String, RunResult> results = new LinkedHashMap<>();
        // eligibility: 0-10 s 1 ms and 3 ms; 10-20 s 2 ms, 4 ms, 60 ms
        results.put("eligibility", run(classes.get(0), new long[][] {{1, 1_000}, {9, 3_000}, {10, 2_000},
                {15, 4_000}, {19, 60_000}}, 200));
        // lists: one 404 (an error for lists) in the second interval, and one request never answered
        RunResult lists = run(classes.get(1), new long[][] {{12, 7_000}}, 404);
        lists.failures = 1;
        lists.failureCauses.put("io.vertx.core.http.HttpClosedException: Connection was closed", 1L);
        lists.intervals.record(3_000_000_000L, -1, 0, true);
        results.put("lists", lists);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        NationalDay.report(new PrintStream(bytes, true, StandardCharsets.UTF_8), classes, results, 0.2,
                Duration.ofSeconds(20));
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("# national-day at scale 0.2 for 20 s: eligibility 4500/s, lists 20/s"), report);
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String line : report.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 8 && f[1].matches("\\d+") && f[2].matches("\\d+")) {
                rows.put(f[0] + " " + f[1], f);
            }
        }
        // class from to requests p50 p99 p99.9 max errors; each value as HdrHistogram gives it at 3 digits (the
        // highest value equivalent to the recorded one: 3,000 µs reads 3.001 ms)
        assertEquals("eligibility 0 10 2 1.000 3.001 3.001 3.001 0",
                String.join(" ", rows.get("eligibility 0")), report);
        assertEquals("eligibility 10 20 3 4.001 60.031 60.031 60.031 0",
                String.join(" ", rows.get("eligibility 10")), report);
        assertEquals("lists 0 10 0 0.000 0.000 0.000 0.000 1", String.join(" ", rows.get("lists 0")), report);
        assertEquals("lists 10 20 1 7.003 7.003 7.003 7.003 1", String.join(" ", rows.get("lists 10")), report);
        assertEquals(List.of("eligibility 0", "lists 0", "eligibility 10", "lists 10"),
                List.copyOf(rows.keySet()).subList(0, 4), "intervals in time order, the classes in each: " + report);
        // overall: class rate completed req/s p50 p99 p99.9 max errors statuses
        String overall = report.substring(report.indexOf("## overall"));
        List<String> lines = overall.lines().map(l -> String.join(" ", l.trim().split("\\s+"))).toList();
        assertTrue(lines.contains("eligibility 4500 5 0.3 3.001 60.031 60.031 60.031 0 {200=5} (0, 0)"), overall);
        assertTrue(lines.contains("lists 20 1 0.1 7.003 7.003 7.003 7.003 2 {404=1} (1, 0)"), overall);

        assertTrue(report.contains("\nlists: 1 without a response: io.vertx.core.http.HttpClosedException: "
                + "Connection was closed\n"), report);
        String summary = report.lines().filter(l -> l.startsWith("national-day ")).findFirst().orElseThrow();
        assertEquals("national-day scale 0.2 20 s | eligibility 3.001/60.031/60.031/60.031 ms 0 errors"
                + " | lists 7.003/7.003/7.003/7.003 ms 2 errors | targets missed: eligibility p99 60.031 ms >= 2 ms,"
                + " eligibility p99.9 60.031 ms >= 10 ms, eligibility max 60.031 ms > 50 ms, lists 2 errors", summary);
        assertEquals(1, report.lines().filter(l -> l.startsWith("national-day ")).count(), "one summary line");

        List<Path> files = NationalDay.writeHgrm(dir.resolve("hgrm"), results);
        assertEquals(List.of(dir.resolve("hgrm/eligibility.hgrm"), dir.resolve("hgrm/lists.hgrm")), files);
        String hgrm = Files.readString(files.get(0));
        assertTrue(hgrm.contains("#[Max     =       60.031, Total count    =            5]"), hgrm);
    }

    @Test
    void targetsShouldBeMetOnlyWhenEveryOneIs() {
        Map<String, RunResult> ok = new LinkedHashMap<>();
        ok.put("eligibility", run(NationalDay.DAY.get(0), new long[][] {{1, 1_500}, {2, 1_900}}, 200));
        ok.put("partner-lookup", run(NationalDay.DAY.get(2), new long[][] {{1, 4_900}}, 404));
        ok.put("statistics", run(NationalDay.DAY.get(5), new long[][] {{1, 49_000}}, 200));
        assertEquals(List.of(), NationalDay.missed(ok));
        assertTrue(NationalDay.summary(ok, 1, Duration.ofSeconds(600)).endsWith(" | targets met"));
        ok.put("public-status", run(NationalDay.DAY.get(3), new long[][] {{1, 5_000}}, 429));
        assertEquals(List.of("public-status p99 5.003 ms >= 5 ms", "public-status 1 errors"), NationalDay.missed(ok));
    }
}
