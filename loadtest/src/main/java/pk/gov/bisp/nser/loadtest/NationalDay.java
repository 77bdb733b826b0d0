package pk.gov.bisp.nser.loadtest;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.FutureTask;
import org.HdrHistogram.Histogram;

/**
 * {@code --scenario national-day} (issue 29): every class of a national day's traffic at once, each an open loop at
 * its own rate on its own connections (a {@link LoadGenerator} of its own), latency from each request's due time.
 * Reported per class every {@link #REPORT_EVERY} and overall (p50, p99, p99.9, max, errors), one {@code .hgrm} per
 * class, and one summary line with the targets met or missed.
 */
final class NationalDay {

    /** The {@code --scenario} value. */
    static final String KEY = "national-day";
    /** How often the report cuts each class's latency (by due time). */
    static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    /**
     * One class of traffic: its name in the report, what it sends, its rate at scale 1 (requests/s), its connections,
     * and whether it sends CNICs of the pool (with its unknown and malformed shares), whose 404 and 400 are answers,
     * not errors.
     */
    record TrafficClass(String name, Scenario scenario, double rate, int connections, boolean sendsCnics) {

        /**
         * An error: no response (-1), or any status but 2xx; for a class that sends CNICs, 400 (a malformed one) and
         * 404 (an unknown one) are the answers those ask for. So 429 (fair usage), 401/403, 409/412/422 and 5xx are
         * errors everywhere.
         */
        boolean isError(int status) {
            if (status >= 200 && status < 300) {
                return false;
            }
            return !(sendsCnics && (status == 400 || status == 404));
        }

        TrafficClass scaled(double scale) {
            return new TrafficClass(name, scenario, rate * scale, connections, sendsCnics);
        }
    }

    /**
     * The day at scale 1 (issue 29): 5,000 eligibility checks/s, of which 90% single (4,500/s) and 10% batches of 50
     * (500/s), reported as two classes since they are two users (a till, a bulk check) with latencies ten times
     * apart; 1,000 partner lookups/s (half Power, half Standard); 1,000 public status/s from many addresses through
     * the trusted proxy header; 20 list pages and counts/s (half each); 1 statistics table/s; 100 updates/s.
     */
    static final List<TrafficClass> DAY = List.of(
            new TrafficClass("eligibility", Scenario.POS_ELIGIBILITY, 4_500, 64, true),
            new TrafficClass("eligibility-batch", Scenario.POS_BATCH_50, 500, 32, false),
            new TrafficClass("partner-lookup", Scenario.PARTNER_LOOKUP_MIX, 1_000, 32, true),
            new TrafficClass("public-status", Scenario.PUBLIC_STATUS, 1_000, 32, true),
            new TrafficClass("lists", Scenario.LIST_MIX, 20, 8, false),
            new TrafficClass("statistics", Scenario.STATS_TABLE, 1, 2, false),
            new TrafficClass("updates", Scenario.UPDATES, 100, 16, false));

    /** The latency targets: class, percentile (100 = max), milliseconds. */
    record Target(String cls, double percentile, double ms) {
    }

    /** Eligibility p99 < 2 ms and p99.9 < 10 ms; lookups and public status p99 < 5 ms; no request over 50 ms. */
    static final List<Target> TARGETS = List.of(new Target("eligibility", 99, 2), new Target("eligibility", 99.9, 10),
            new Target("partner-lookup", 99, 5), new Target("public-status", 99, 5));
    /** No request of any class over this (ms). */
    static final double MAX_MS = 50;

    private NationalDay() {
    }

    /** Every class at {@code scale} times its rate ({@code --scale}: 0.1 for a small machine). */
    static List<TrafficClass> mix(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("--scale must be a number > 0, e.g. 0.1 for a small machine");
        }
        return DAY.stream().map(c -> c.scaled(scale)).toList();
    }

    /** Whether any class changes households by id (its {@link IdPool#household} must be loaded). */
    static boolean needsHouseholds(List<TrafficClass> classes) {
        return classes.stream().anyMatch(c -> c.scenario().needsHouseholds());
    }

    /** Whether any class asks for district codes (the list filters). */
    static boolean needsDistricts(List<TrafficClass> classes) {
        return classes.stream().anyMatch(c -> c.scenario().needsDistricts());
    }

    /**
     * The classes at once for {@code warmup} (not recorded), then for {@code duration}: each class's result, in
     * class order. Each class has its own generator, connections and event loop; {@code timeline} as --timeline.
     */
    static Map<String, RunResult> run(URI target, List<TrafficClass> classes, IdPool pool, Duration duration,
                                      Duration warmup, long seed, boolean timeline) throws Exception {
        List<LoadGenerator> gens = new ArrayList<>();
        try {
            for (TrafficClass c : classes) {
                gens.add(new LoadGenerator(target, c.connections()).withTimeline(timeline)
                        .withIntervals(REPORT_EVERY, c::isError));
            }
            if (!warmup.isZero()) {
                together(gens, classes, pool, warmup, seed + 1_000);
            }
            return together(gens, classes, pool, duration, seed);
        } finally {
            gens.forEach(LoadGenerator::close);
        }
    }

    private static Map<String, RunResult> together(List<LoadGenerator> gens, List<TrafficClass> classes, IdPool pool,
                                                   Duration d, long seed) throws Exception {
        List<FutureTask<RunResult>> tasks = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            TrafficClass c = classes.get(i);
            LoadGenerator g = gens.get(i);
            long classSeed = seed + 17L * i;
            FutureTask<RunResult> t = new FutureTask<>(() -> g.openLoop(c.name(), c.scenario(), pool, null, c.rate(), d,
                    classSeed));
            tasks.add(t);
            new Thread(t, "national-day-" + c.name()).start();
        }
        Map<String, RunResult> out = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            out.put(classes.get(i).name(), tasks.get(i).get());
        }
        return out;
    }

    /** The report: the classes' rates, every interval's rows, the overall rows, and the summary line. */
    static void report(PrintStream out, List<TrafficClass> classes, Map<String, RunResult> results, double scale,
                       Duration duration) {
        StringBuilder rates = new StringBuilder();
        for (TrafficClass c : classes) {
            rates.append(rates.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %s/s", c.name(),
                    rate(c.rate())));
        }
        out.printf(Locale.ROOT, "# national-day at scale %s for %d s: %s%n", rate(scale), duration.toSeconds(), rates);
        out.printf(Locale.ROOT, "## every %d s (requests by due time; latency from each request's due time)%n",
                REPORT_EVERY.toSeconds());
        out.printf(Locale.ROOT, "%-18s %5s %5s %9s %9s %9s %9s %9s %7s%n", "class", "from", "to", "requests",
                "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors");
        int intervals = results.values().stream().mapToInt(r -> r.intervals == null ? 0 : r.intervals.errors.length)
                .max().orElse(0);
        long every = REPORT_EVERY.toSeconds();
        for (int i = 0; i < intervals; i++) {
            for (Map.Entry<String, RunResult> e : results.entrySet()) {
                RunResult.Intervals iv = e.getValue().intervals;
                if (iv == null || i >= iv.errors.length) {
                    continue;
                }
                Histogram h = iv.latency[i];
                out.printf(Locale.ROOT, "%-18s %5d %5d %9d %s %7d%n", e.getKey(), i * every,
                        Math.min((i + 1) * every, duration.toSeconds()),
                        h.getTotalCount(), percentiles(h), iv.errors[i]);
            }
        }
        out.println("## overall");
        out.printf(Locale.ROOT, "%-18s %9s %9s %9s %9s %9s %9s %9s %7s  %s%n", "class", "rate/s", "completed",
                "req/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "responses by status (failed, never sent)");
        for (TrafficClass c : classes) {
            RunResult r = results.get(c.name());
            out.printf(Locale.ROOT, "%-18s %9s %9d %9.1f %s %7d  %s (%d, %d)%n", c.name(), rate(c.rate()),
                    r.completed(), r.throughput(), percentiles(r.latency()), r.errors(), r.statuses, r.failures,
                    r.backlog);
        }
        results.forEach((name, r) -> r.failureCauses.forEach((cause, n) -> out.printf(Locale.ROOT,
                "%s: %d without a response: %s%n", name, n, cause)));
        out.println(summary(results, scale, duration));
    }

    /**
     * One line: {@code national-day scale S D s | CLASS p50/p99/p99.9/max ms E errors | ... | targets met} (or
     * {@code targets missed: ...}, naming each).
     */
    static String summary(Map<String, RunResult> results, double scale, Duration duration) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "national-day scale %s %d s", rate(scale),
                duration.toSeconds()));
        for (Map.Entry<String, RunResult> e : results.entrySet()) {
            Histogram h = e.getValue().latency();
            b.append(String.format(Locale.ROOT, " | %s %s/%s/%s/%s ms %d errors", e.getKey(),
                    ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                    ms(h.getMaxValue()), e.getValue().errors()));
        }
        List<String> missed = missed(results);
        return b.append(missed.isEmpty() ? " | targets met" : " | targets missed: " + String.join(", ", missed))
                .toString();
    }

    /** The targets missed, each as {@code CLASS pP X ms > T ms}, {@code CLASS max ...} or {@code CLASS N errors}. */
    static List<String> missed(Map<String, RunResult> results) {
        List<String> missed = new ArrayList<>();
        for (Target t : TARGETS) {
            RunResult r = results.get(t.cls());
            if (r != null && r.latency().getValueAtPercentile(t.percentile()) / 1000.0 >= t.ms()) {
                missed.add(String.format(Locale.ROOT, "%s p%s %s ms >= %s ms", t.cls(), rate(t.percentile()),
                        ms(r.latency().getValueAtPercentile(t.percentile())), rate(t.ms())));
            }
        }
        results.forEach((name, r) -> {
            if (r.latency().getMaxValue() / 1000.0 > MAX_MS) {
                missed.add(String.format(Locale.ROOT, "%s max %s ms > %s ms", name, ms(r.latency().getMaxValue()),
                        rate(MAX_MS)));
            }
        });
        results.forEach((name, r) -> {
            if (r.errors() > 0) {
                missed.add(name + " " + r.errors() + " errors");
            }
        });
        return missed;
    }

    /** One {@code CLASS.hgrm} per class in {@code dir} (created if missing), in milliseconds; the files written. */
    static List<Path> writeHgrm(Path dir, Map<String, RunResult> results) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, RunResult> e : results.entrySet()) {
            Path f = dir.resolve(e.getKey() + ".hgrm");
            try (PrintStream out = new PrintStream(new FileOutputStream(f.toFile()), false, "UTF-8")) {
                e.getValue().latency().outputPercentileDistribution(out, 1000.0);
            }
            written.add(f);
        }
        return written;
    }

    private static String percentiles(Histogram h) {
        return String.format(Locale.ROOT, "%9.3f %9.3f %9.3f %9.3f", h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
    }

    /** Microseconds as milliseconds with three decimals. */
    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }

    /** A rate or factor without trailing zeros: 4500, 0.2, 99.9. */
    private static String rate(double r) {
        return java.math.BigDecimal.valueOf(r).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }
}
