package pk.gov.bisp.nser.loadtest;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar nser-loadtest.jar --target URL --scenario NAME [--rate N | --closed --connections C]
 * --duration 30s [--ids FILE] [--key KEY] [--baseline | --also NAME --also-rate N] [--hgrm FILE]}, and
 * {@code --find-rate --p99-ms T}: the highest open-loop rate whose p99 stays under T.
 */
@Command(name = "nser-loadtest", mixinStandardHelpOptions = true, version = "nser-loadtest 0.1",
        description = "Open-loop (or closed-loop) HTTP load against the NSER server, with HdrHistogram latencies.")
public final class LoadTestMain implements Callable<Integer> {

    @Option(names = "--target", required = true, description = "Server base URL, e.g. http://127.0.0.1:8080")
    URI target;

    @Option(names = "--scenario", required = true, description = "public-status, pos-eligibility, pos-batch, "
            + "pos-batch-50, partner-lookup, partner-lookup-mix, dci-search, list-page, list-count, list-mix, "
            + "stats-table, export-ndjson, get, updates, blend; or national-day: every class at once, each at its own "
            + "rate (times --scale) on its own connections, reported per class every 10 s and overall")
    String scenario;

    @Option(names = "--scale", defaultValue = "1", description = "national-day: every class's rate times this "
            + "(default ${DEFAULT-VALUE}: 5,000 eligibility checks/s and the rest; 0.1 for a small machine).")
    double scale;

    @Option(names = "--hgrm-dir", description = "national-day: write one latency distribution per class here "
            + "(CLASS.hgrm, HdrHistogram, ms); created if missing.")
    Path hgrmDir;

    @Option(names = "--rate", description = "Open loop: requests per second.")
    Double rate;

    @Option(names = "--closed", description = "Closed loop: as fast as --connections allow.")
    boolean closed;

    @Option(names = "--connections", defaultValue = "64", description = "Connections (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--duration", defaultValue = "30s", description = "Run time, e.g. 30s or 2m (default "
            + "${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warmup", defaultValue = "5s", description = "Unrecorded warm-up before each run.")
    String warmup;

    @Option(names = "--ids", description = "CNICs to send, one per line (index-builder sample-ids).")
    Path ids;

    @Option(names = "--unknown-share", defaultValue = "0.05", description = "Share of unknown CNICs.")
    double unknownShare;

    @Option(names = "--malformed-share", defaultValue = "0.01", description = "Share of malformed CNICs.")
    double malformedShare;

    @Option(names = "--key", description = "API key (default: the scenario's demo key).")
    String key;

    @Option(names = "--baseline", description = "Also run the same load against /health/live (same Authorization "
            + "header), alternated with the scenario in --rounds rounds, and print the ratio of their throughputs.")
    boolean baseline;

    @Option(names = "--rounds", defaultValue = "4", description = "--baseline: alternate the scenario and "
            + "/health/live in this many rounds of --duration/N each (baseline first, then scenario first, ...), so "
            + "both see the same machine (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--find-rate", description = "Search the highest open-loop rate whose p99 is at most --p99-ms: "
            + "a bisection between 0 and the closed-loop maximum (measured first over --connections for --duration, "
            + "or given as --rate), --steps open-loop runs of --duration each.")
    boolean findRate;

    @Option(names = "--p99-ms", description = "--find-rate: the p99 latency target, in milliseconds.")
    Double p99Ms;

    @Option(names = "--steps", defaultValue = "6", description = "--find-rate: open-loop runs at most (default "
            + "${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--timeline", description = "Open loop: after each run, one line per second (requests due "
            + "that second, their p50, p99 and max latency, the worst send lag, the generator's CPU and JIT time), to "
            + "tell when a stall happened and whether the generator itself was busy.")
    boolean timeline;

    @Option(names = "--hgrm", description = "Write the latency distribution (HdrHistogram .hgrm, ms) here.")
    Path hgrm;

    @Option(names = "--province", defaultValue = "6", description = "export-ndjson: the province code to stream "
            + "(default ${DEFAULT-VALUE}, Punjab).")
    int province;

    @Option(names = "--path", description = "get: the path (and query) to request; each {cnic} in it becomes "
            + "a CNIC from --ids for each request (with the unknown and malformed shares), e.g. "
            + "/v1/households/by-cnic/{cnic}.")
    String path;

    @Option(names = "--summary", description = "End with one line: p50_ms p99_ms mean_ms samples (of the scenario "
            + "run), for scripts.")
    boolean summary;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed.")
    long seed;

    @Option(names = "--also", description = "Open loop only: run this scenario at --also-rate at the same time as "
            + "--scenario (own connections), and alone before and after, e.g. --scenario updates --also "
            + "partner-lookup: lookup latency with and without the updates.")
    String also;

    @Option(names = "--also-rate", description = "--also: its requests per second.")
    Double alsoRate;

    @Option(names = "--update-households", defaultValue = "5000", description = "updates and blend: change the "
            + "households of the first N CNICs of --ids, looked up at start (default ${DEFAULT-VALUE}).")
    int updateHouseholds;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadTestMain()).setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + ex.getMessage());
            return 1;
        }).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (NationalDay.KEY.equals(scenario)) {
            return nationalDay();
        }
        Scenario s = Scenario.ofKey(scenario);
        Scenario with = also == null ? null : Scenario.ofKey(also);
        if (findRate) {
            if (p99Ms == null || !(p99Ms > 0) || closed || baseline || also != null || steps < 1) {
                throw new IllegalArgumentException("--find-rate needs --p99-ms T > 0 and --steps >= 1, optionally "
                        + "--rate N as the upper bound, and neither --closed, --baseline nor --also");
            }
        } else if (closed == (rate != null)) {
            throw new IllegalArgumentException("give either --rate N (open loop) or --closed");
        }
        if (baseline && rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1");
        }
        if (rate != null && !(rate > 0)) {
            throw new IllegalArgumentException("--rate must be > 0");
        }
        if (with != null && (closed || baseline || alsoRate == null || !(alsoRate > 0))) {
            throw new IllegalArgumentException("--also needs --also-rate N > 0 and an open loop (--rate), without "
                    + "--baseline");
        }
        Duration d = parse(duration);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        Duration w = parse(warmup);
        IdPool pool = ids == null ? new IdPool(List.of("3520212345671"), 0.9, 0.05)
                : IdPool.load(ids, unknownShare, malformedShare);
        Scenario.exportProvince = province;
        if (s == Scenario.GET) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("the get scenario needs --path /...");
            }
            Scenario.fixedPath = path;
        }
        String listKey = key != null ? key : s.defaultKey();
        if (s.needsDistricts() || with != null && with.needsDistricts()) {
            pool.withDistricts(ServerFacts.districts(target));
        }
        if (s.needsHouseholds() || with != null && with.needsHouseholds()) {
            loadHouseholds(pool);
        }
        long exportRows = s == Scenario.EXPORT_NDJSON ? ServerFacts.count(target, listKey, "province=" + province) : 0;
        try (LoadGenerator gen = new LoadGenerator(target, connections).withTimeline(timeline)) {
            if (!closed || findRate) {
                System.out.println(gen.eventLoopScheduling()
                        ? "# open loop: each request sent by the event loop at its due time (epoll timer)"
                        : "# open loop: a sender thread hands each request to the event loop at its due time (NIO)");
            }
            RunResult.header(System.out);
            RunResult main = findRate ? findRate(gen, s, pool, d, w)
                    : with != null ? runWithAlso(gen, s, with, pool, d, w) : runWithBaseline(gen, s, pool, d, w);
            if (main == null) {
                return 0;
            }
            if (s == Scenario.EXPORT_NDJSON) {
                System.out.printf(Locale.ROOT, "export-ndjson: province %d, %,d rows per response, %,.0f rows/s%n",
                        province, exportRows, main.throughput() * exportRows);
            }
            if (summary) {
                System.out.printf(Locale.ROOT, "%.3f %.3f %.3f %d%n", main.latency().getValueAtPercentile(50) / 1000.0,
                        main.latency().getValueAtPercentile(99) / 1000.0, main.latency().getMean() / 1000.0,
                        main.latency().getTotalCount());
            }
            if (hgrm != null) {
                try (PrintStream out = new PrintStream(new FileOutputStream(hgrm.toFile()))) {
                    main.latency().outputPercentileDistribution(out, 1000.0);
                }
                System.out.println("latency distribution written to " + hgrm);
            }
        }
        return 0;
    }

    /**
     * national-day: every class of {@link NationalDay#mix} at once after the warm-up, the report per class every 10 s
     * and overall, the summary line, and with --hgrm-dir one .hgrm per class.
     */
    private int nationalDay() throws Exception {
        if (rate != null || closed || baseline || findRate || also != null || key != null || hgrm != null) {
            throw new IllegalArgumentException("national-day sets each class's rate, key and connections itself: "
                    + "give --scale (and --duration, --warmup, --ids, --hgrm-dir), not --rate, --closed, --baseline, "
                    + "--find-rate, --also, --key or --hgrm");
        }
        List<NationalDay.TrafficClass> classes = NationalDay.mix(scale);
        Duration d = parse(duration);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        Duration w = parse(warmup);
        IdPool pool = ids == null ? new IdPool(List.of("3520212345671"), 0.9, 0.05)
                : IdPool.load(ids, unknownShare, malformedShare);
        if (NationalDay.needsDistricts(classes)) {
            pool.withDistricts(ServerFacts.districts(target));
        }
        if (NationalDay.needsHouseholds(classes)) {
            loadHouseholds(pool);
        }
        System.out.printf(Locale.ROOT, "# national-day: warm-up %d s with every class, then %d s recorded%n",
                w.toSeconds(), d.toSeconds());
        Map<String, RunResult> results = NationalDay.run(target, classes, pool, d, w, seed, timeline);
        if (timeline) {
            results.values().forEach(r -> r.printTimeline(System.out));
        }
        NationalDay.report(System.out, classes, results, scale, d);
        if (hgrmDir != null) {
            System.out.println("latency distributions written: " + NationalDay.writeHgrm(hgrmDir, results));
        }
        return 0;
    }

    /** Households for update scenarios: those of the first --update-households CNICs of --ids, by lookup. */
    private void loadHouseholds(IdPool pool) throws Exception {
        if (ids == null) {
            throw new IllegalArgumentException("updates need --ids: real CNICs, whose households they change");
        }
        List<String> cnics = pool.known(updateHouseholds);
        long[] found = ServerFacts.householdIds(target, key != null ? key : Scenario.UPDATES.defaultKey(), cnics);
        pool.withHouseholds(found);
        System.out.printf(Locale.ROOT, "# updates change %,d households (looked up from %,d CNICs)%n", found.length,
                cnics.size());
    }

    /**
     * The scenario after a warm-up; with --baseline, alternated with /health/live in --rounds rounds (baseline
     * then scenario, scenario then baseline, ...), each side's rounds merged, and the ratio of their throughputs.
     */
    private RunResult runWithBaseline(LoadGenerator gen, Scenario s, IdPool pool, Duration d, Duration w)
            throws Exception {
        String baseKey = key != null ? key : s.defaultKey();
        run(gen, "warmup " + scenario, s, pool, key, w, seed + 1, false);
        if (!baseline) {
            return run(gen, scenario, s, pool, key, d, seed, true);
        }
        run(gen, "warmup health", Scenario.HEALTH, pool, baseKey, w, seed + 2, false);
        Duration slice = d.dividedBy(rounds);
        RunResult[] mains = new RunResult[rounds];
        RunResult[] bases = new RunResult[rounds];
        StringBuilder perRound = new StringBuilder();
        for (int i = 0; i < rounds; i++) {
            RunResult b = null;
            if (i % 2 == 0) {
                b = run(gen, "round " + (i + 1) + " health", Scenario.HEALTH, pool, baseKey, slice, seed + 3 + i, true);
            }
            RunResult m = run(gen, "round " + (i + 1) + " " + scenario, s, pool, key, slice, seed + 100 + i, true);
            if (b == null) {
                b = run(gen, "round " + (i + 1) + " health", Scenario.HEALTH, pool, baseKey, slice, seed + 3 + i, true);
            }
            perRound.append(String.format(Locale.ROOT, " %.2f", m.throughput() / b.throughput()));
            mains[i] = m;
            bases[i] = b;
        }
        RunResult main = RunResult.merge(scenario, mains);
        RunResult base = RunResult.merge("baseline /health/live", bases);
        main.print(System.out);
        base.print(System.out);
        System.out.printf(Locale.ROOT, "ratio %s / baseline: throughput %.2f, p99 %.2f (rounds:%s)%n", scenario,
                main.throughput() / base.throughput(),
                (double) main.latency().getValueAtPercentile(99) / base.latency().getValueAtPercentile(99), perRound);
        return main;
    }

    /**
     * The highest open-loop rate with p99 under --p99-ms ({@link RateSearch}); prints each run, then one line
     * {@code max-rate SCENARIO RATE/s p99 X ms (target T ms)} (or {@code none}). Returns the best run, or null.
     */
    private RunResult findRate(LoadGenerator gen, Scenario s, IdPool pool, Duration d, Duration w) throws Exception {
        double upper;
        if (rate != null) {
            upper = rate;
        } else {
            run(gen, "warmup " + scenario, s, pool, key, w, seed + 1, false, true);
            RunResult max = run(gen, scenario + " closed", s, pool, key, d, seed + 2, true, true);
            upper = max.throughput();
        }
        if (!w.isZero()) {
            gen.openLoop("warmup", s, pool, key, Math.max(1, upper / 4), w, seed + 3).printTimeline(System.out);
        }
        long[] step = {0};
        RateSearch.Outcome o = RateSearch.search(r -> {
            RunResult res = gen.openLoop(String.format(Locale.ROOT, "%s at %.0f/s", scenario, r), s, pool, key, r, d,
                    seed + 10 + step[0]++);
            res.print(System.out);
            res.printTimeline(System.out);
            return res;
        }, upper, steps, Math.round(p99Ms * 1000));
        if (o.best() == null) {
            System.out.printf(Locale.ROOT, "max-rate %s none: no rate tried (lowest %.0f/s) met p99 %.3f ms%n",
                    scenario, o.steps().isEmpty() ? upper : o.steps().get(o.steps().size() - 1).rate(), p99Ms);
            return null;
        }
        RunResult best = o.best().result();
        System.out.printf(Locale.ROOT, "max-rate %s %.0f/s p99 %.3f ms (target %.3f ms; upper bound %.0f/s)%n",
                scenario, o.best().rate(), best.latency().getValueAtPercentile(99) / 1000.0, p99Ms, upper);
        return best;
    }

    /**
     * The --also scenario alone, then both at once (each open loop at its own rate, on its own connections and
     * event loops), then --also alone again; prints --also's latency alone (both runs merged) next to its latency
     * under the main scenario's load.
     */
    private RunResult runWithAlso(LoadGenerator gen, Scenario s, Scenario with, IdPool pool, Duration d, Duration w)
            throws Exception {
        try (LoadGenerator withGen = new LoadGenerator(target, connections)) {
            if (!w.isZero()) {
                together(gen, withGen, s, with, pool, w, seed + 1, false);
            }
            RunResult before = withGen.openLoop(also + "/alone-before", with, pool, null, alsoRate, d, seed + 2);
            before.print(System.out);
            RunResult[] both = together(gen, withGen, s, with, pool, d, seed, true);
            RunResult after = withGen.openLoop(also + "/alone-after", with, pool, null, alsoRate, d, seed + 3);
            after.print(System.out);
            RunResult alone = RunResult.merge(also + "/alone", before, after);
            alone.print(System.out);
            System.out.printf(Locale.ROOT, "%s at %.0f/s: p99 %.3f ms alone, %.3f ms with %s at %.0f/s%n", also,
                    alsoRate, alone.latency().getValueAtPercentile(99) / 1000.0,
                    both[1].latency().getValueAtPercentile(99) / 1000.0, scenario, rate);
            return both[0];
        }
    }

    /** The main scenario on {@code gen} and --also on {@code withGen} at the same time; both results. */
    private RunResult[] together(LoadGenerator gen, LoadGenerator withGen, Scenario s, Scenario with, IdPool pool,
                                 Duration d, long runSeed, boolean print) throws Exception {
        String prefix = print ? "" : "warmup ";
        FutureTask<RunResult> other = new FutureTask<>(() -> withGen.openLoop(prefix + also + "/with-" + scenario,
                with, pool, null, alsoRate, d, runSeed + 10));
        Thread sender = new Thread(other, "also-sender");
        sender.start();
        RunResult main = gen.openLoop(prefix + scenario, s, pool, key, rate, d, runSeed);
        RunResult withResult = other.get();
        if (print) {
            main.print(System.out);
            withResult.print(System.out);
        }
        return new RunResult[] {main, withResult};
    }

    private RunResult run(LoadGenerator gen, String label, Scenario s, IdPool pool, String runKey, Duration d,
                          long runSeed, boolean print) throws Exception {
        return run(gen, label, s, pool, runKey, d, runSeed, print, closed);
    }

    private RunResult run(LoadGenerator gen, String label, Scenario s, IdPool pool, String runKey, Duration d,
                          long runSeed, boolean print, boolean closedLoop) throws Exception {
        if (d.isZero()) {
            return null;
        }
        RunResult r = closedLoop ? gen.closedLoop(label, s, pool, runKey, connections, d, runSeed)
                : gen.openLoop(label, s, pool, runKey, rate, d, runSeed);
        if (print) {
            r.print(System.out);
            r.printTimeline(System.out);
        }
        return r;
    }

    static Duration parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("duration '" + s + "' must look like 30s, 2m or 500ms");
        }
    }
}
