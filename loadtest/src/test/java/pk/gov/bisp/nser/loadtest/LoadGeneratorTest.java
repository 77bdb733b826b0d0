package pk.gov.bisp.nser.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import pk.gov.bisp.nser.builder.cli.GenerateCommand;
import pk.gov.bisp.nser.builder.generate.SyntheticRegistry;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Disability;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.stats.Marginals;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.config.ServerConfig;

/** The generator against a real server on a loopback port: counts and statuses, never timings. */
class LoadGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static NserServer server;
    private static IdPool ids;
    private static Path idFile;

    @BeforeAll
    static void start() throws Exception {
        Path snap = Files.createTempDirectory("nser-loadtest").resolve("snap");
        GenerateCommand.generate(new SyntheticRegistry(5_000, 3, Marginals.builtIn()), PmtModel.builtIn(), snap,
                GenerateCommand.DEFAULT_AS_OF, false, 3);
        List<String> known = new ArrayList<>();
        try (Snapshot s = Snapshot.open(snap, Snapshot.Verify.QUICK)) {
            HouseholdRecord r = new HouseholdRecord();
            for (int o = 0; o < s.householdCount(); o += 50) {
                s.read(o, r);
                known.add(Cnic.digits(r.cnic(0)));
            }
        }
        ids = new IdPool(known, 0.0, 0.0);
        idFile = snap.resolveSibling("ids.txt");
        Files.write(idFile, known);
        ServerConfig cfg;
        try (InputStream in = LoadGeneratorTest.class.getResourceAsStream("/demo.yaml")) {
            cfg = ServerConfig.parse(in, "demo.yaml").withPort(0);
        }
        server = NserServer.start(cfg, snap);
        server.awaitReady(Duration.ofSeconds(60));
        ids.withHouseholds(ServerFacts.householdIds(target(), "demo-power-key", ids.known(40)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static URI target() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Test
    void openLoopShouldSendExactlyRateTimesDurationAndRecordEachResponse() throws Exception {
        try (LoadGenerator gen = new LoadGenerator(target(), 8)) {
            RunResult r = gen.openLoop("t", Scenario.POS_ELIGIBILITY, ids, null, 200, Duration.ofSeconds(2), 1);
            assertEquals(400, r.sent);
            assertEquals(400, r.completed());
            assertEquals(400, r.count(200), r.statuses.toString());
            assertEquals(0, r.failures);
            assertTrue(r.latency().getValueAtPercentile(50) > 0);
            assertEquals(400, r.sendLag.getTotalCount(), "every request's send lag is recorded");
            assertTrue(r.sendLag.getValueAtPercentile(50) <= r.latency().getValueAtPercentile(50),
                    "a request is sent before its response ends");
        }
    }

    /**
     * Regression test for the generator's leak: a per-request connect timer that was never cancelled kept each
     * request's timer, pool entry and context alive for 30 s (~650k objects of each at 20k requests/s), and the
     * generator's collector took most of a core. After a closed loop, no Vert.x, Netty or NSER class may have
     * gained live instances in proportion to the requests sent (counted by the JVM's class histogram, which
     * collects garbage first). Arrays and strings are left out: the server's journal ring fills a payload array
     * per slot once (bounded by the ring's size), and the histograms themselves hold a string per class.
     */
    @Test
    void aClosedLoopShouldNotKeepObjectsPerRequestAlive() throws Exception {
        try (LoadGenerator gen = new LoadGenerator(target(), 8)) {
            gen.closedLoop("warm", Scenario.HEALTH, ids, null, 8, Duration.ofMillis(300), 1);
            Map<String, Long> before = liveInstances();
            List<RunResult> runs = new ArrayList<>();
            long requests = 0;
            for (int i = 0; i < 20 && requests < 3_000; i++) { // however slow the machine, enough to tell a leak
                RunResult run = gen.closedLoop("leak", Scenario.HEALTH, ids, null, 8, Duration.ofSeconds(1), 2 + i);
                runs.add(run);
                requests += run.completed();
            }
            RunResult r = RunResult.merge("leak", runs.toArray(new RunResult[0]));
            Map<String, Long> after = liveInstances();
            assertTrue(r.completed() >= 3_000, "too few requests to tell a leak: " + r.completed());
            Map<String, Long> grown = new TreeMap<>();
            after.forEach((cls, n) -> {
                long gained = n - before.getOrDefault(cls, 0L);
                if (gained > r.completed() / 4
                        && (cls.startsWith("io.vertx.") || cls.startsWith("io.netty.") || cls.startsWith("pk.gov."))) {
                    grown.put(cls, gained);
                }
            });
            assertEquals(Map.of(), grown, "live instances gained over " + r.completed() + " requests");
        }
    }

    /** Live instances per class in this JVM, after a full collection (the {@code GC.class_histogram} command). */
    private static Map<String, Long> liveInstances() throws Exception {
        String text = (String) java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, Long> counts = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+(\\S+)").matcher(text);
        while (m.find()) {
            counts.put(m.group(2), Long.parseLong(m.group(1)));
        }
        assertTrue(counts.size() > 100, "class histogram not parsed: " + text.substring(0, Math.min(500, text.length())));
        return counts;
    }

    @Test
    void openLoopShouldRunOnTheEventLoopWithEpollAndKeepATimeline() throws Exception {
        try (LoadGenerator gen = new LoadGenerator(target(), 8).withTimeline(true)) {
            if ("Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"))) {
                assertTrue(gen.eventLoopScheduling(), "netty-transport-native-epoll should load here");
            }
            RunResult r = gen.openLoop("t", Scenario.PUBLIC_STATUS, ids, null, 300, Duration.ofSeconds(2), 6);
            assertEquals(600, r.sent);
            assertEquals(600, r.count(200), r.statuses.toString());
            assertEquals(0, r.backlog);
            assertEquals(300, r.timeline.latency[0].getTotalCount(), "requests due in the first second");
            assertEquals(300, r.timeline.latency[1].getTotalCount(), "requests due in the second second");
            assertEquals(0, r.timeline.latency[2].getTotalCount());
            assertTrue(r.timeline.cpuNanos[0] > 0 && r.timeline.cpuNanos[1] > 0, "the generator's CPU each second");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            r.printTimeline(new PrintStream(out, true, StandardCharsets.UTF_8));
            String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
            assertEquals(2, lines.length, out.toString(StandardCharsets.UTF_8));
            assertTrue(lines[1].startsWith("  t second  1:    300 due"), lines[1]);
        }
    }

    @Test
    void openLoopsShouldSendRateTimesDurationRequestsAtExactDueTimes() {
        assertEquals(55, LoadGenerator.requests(55, Duration.ofSeconds(1)));
        assertEquals(225, LoadGenerator.requests(45, Duration.ofSeconds(5)));
        assertEquals(51, LoadGenerator.requests(3, Duration.ofSeconds(17)));
        assertEquals(600, LoadGenerator.requests(300, Duration.ofSeconds(2)));
        assertEquals(5, LoadGenerator.requests(2.5, Duration.ofSeconds(2)));
        assertEquals(17_000_000_000L, LoadGenerator.dueOffset(51, 3), "request rate x s is due at s exactly");
        assertEquals(333_333_333L, LoadGenerator.dueOffset(1, 3));
        assertEquals(0, LoadGenerator.dueOffset(0, 7));
    }

    @Test
    void openLoopWithASenderThreadShouldSendTheSame() throws Exception {
        System.setProperty("nser.lt.senderThread", "true");
        try (LoadGenerator gen = new LoadGenerator(target(), 8)) {
            assertFalse(gen.eventLoopScheduling());
            RunResult r = gen.openLoop("t", Scenario.POS_ELIGIBILITY, ids, null, 200, Duration.ofSeconds(2), 1);
            assertEquals(400, r.sent);
            assertEquals(400, r.count(200), r.statuses.toString());
            assertEquals(400, r.sendLag.getTotalCount());
            assertEquals(null, r.timeline, "no timeline unless asked");
        } finally {
            System.clearProperty("nser.lt.senderThread");
        }
    }

    @Test
    void closedLoopAndEveryRunnableScenarioShouldGetAnswers() throws Exception {
        try (LoadGenerator gen = new LoadGenerator(target(), 4)) {
            for (Scenario s : List.of(Scenario.PARTNER_LOOKUP, Scenario.DCI_SEARCH, Scenario.POS_BATCH, Scenario.PUBLIC_STATUS,
                    Scenario.BLEND, Scenario.HEALTH, Scenario.POS_BATCH_50, Scenario.PARTNER_LOOKUP_MIX,
                    Scenario.STATS_TABLE)) {
                RunResult r = gen.closedLoop(s.key(), s, ids, null, 4, Duration.ofMillis(500), 2);
                assertTrue(r.completed() > 0, s.key());
                assertEquals(r.completed(), r.count(200), s.key() + " " + r.statuses);
            }
        }
    }

    @Test
    void publicStatusClientsShouldComeFromTheWholeBenchmarkingRange() {
        SplittableRandom rnd = new SplittableRandom(5);
        Set<String> halves = new java.util.TreeSet<>();
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String xff = Scenario.PUBLIC_STATUS.next(ids, rnd, null).forwardedFor();
            String[] octets = xff.split("\\.");
            assertEquals(4, octets.length, xff);
            assertEquals("198", octets[0], xff);
            assertTrue(Integer.parseInt(octets[2]) < 256 && Integer.parseInt(octets[3]) < 256, xff);
            halves.add(octets[1]);
            addresses.add(xff);
        }
        assertEquals(Set.of("18", "19"), halves); // 198.18.0.0/15: 131,072 addresses
        assertTrue(addresses.size() > 18_000, "distinct addresses " + addresses.size());
    }

    @Test
    void getShouldPutACnicOfThePoolWhereThePathSaysCnic() throws Exception {
        String saved = Scenario.fixedPath;
        IdPool two = new IdPool(List.of("3520212345671", "3520212345682"), 0, 0);
        try {
            Scenario.fixedPath = "/v1/households/by-cnic/{cnic}?x={cnic}";
            Set<String> paths = new java.util.TreeSet<>();
            SplittableRandom rnd = new SplittableRandom(3);
            for (int i = 0; i < 50; i++) {
                paths.add(Scenario.GET.next(two, rnd, null).path());
            }
            // a CNIC drawn per request (the same one for every {cnic} of that request)
            assertEquals(Set.of("/v1/households/by-cnic/3520212345671?x=3520212345671",
                    "/v1/households/by-cnic/3520212345682?x=3520212345682"), paths);
            Scenario.fixedPath = "/health/live";
            assertEquals("/health/live", Scenario.GET.next(two, rnd, null).path());
            // and over HTTP: the server answers every lookup of a known CNIC
            Scenario.fixedPath = "/v1/households/by-cnic/{cnic}";
            IdPool known = new IdPool(List.of(ids.next(new SplittableRandom(1))), 0, 0);
            try (LoadGenerator gen = new LoadGenerator(target(), 4)) {
                RunResult r = gen.closedLoop("get", Scenario.GET, known, null, 2, Duration.ofMillis(300), 1);
                assertTrue(r.completed() > 0);
                assertEquals(r.completed(), r.count(200), r.statuses.toString());
            }
        } finally {
            Scenario.fixedPath = saved;
        }
    }

    @Test
    void unknownAndMalformedSharesShouldShowUpAsNotFoundAndBadRequest() throws Exception {
        IdPool mixed = new IdPool(List.of(ids.next(new SplittableRandom(1))), 0.3, 0.2);
        try (LoadGenerator gen = new LoadGenerator(target(), 4)) {
            RunResult r = gen.openLoop("mixed", Scenario.PARTNER_LOOKUP, mixed, null, 500, Duration.ofSeconds(1), 5);
            assertEquals(500, r.completed());
            assertTrue(r.count(404) > 100 && r.count(400) > 50 && r.count(200) > 150, r.statuses.toString());
        }
    }

    @Test
    void listScenariosShouldGetAnswersForDistrictsAskedOfTheServer() throws Exception {
        int[] districts = ServerFacts.districts(target());
        assertEquals(167, districts.length);
        IdPool pool = new IdPool(List.of("3520212345671"), 0, 0).withDistricts(districts);
        long province = ServerFacts.count(target(), "demo-power-key", "province=" + Scenario.exportProvince);
        assertTrue(province > 1_000 && province < 5_000, "province households " + province);
        try (LoadGenerator gen = new LoadGenerator(target(), 2)) {
            for (Scenario s : List.of(Scenario.LIST_PAGE, Scenario.LIST_COUNT, Scenario.LIST_MIX,
                    Scenario.EXPORT_NDJSON)) {
                RunResult r = gen.closedLoop(s.key(), s, pool, null, 2, Duration.ofMillis(500), 2);
                assertTrue(r.completed() > 0, s.key());
                assertEquals(r.completed(), r.count(200), s.key() + " " + r.statuses);
            }
        }
    }

    @Test
    void householdIdsShouldBeLookedUpFromCnicsOnePerHousehold() throws Exception {
        List<String> cnics = ids.known(40);
        assertEquals(40, cnics.size());
        long[] found = ServerFacts.householdIds(target(), "demo-power-key", cnics);
        assertEquals(40, found.length, "the CNICs are of 40 different households (every 50th ordinal)");
        Snapshot live = server.registry().snapshot();
        for (int i = 0; i < found.length; i++) {
            int ordinal = live.ordinalOfCnic(Cnic.parse(cnics.get(i)));
            assertTrue(ordinal >= 0, cnics.get(i));
            assertEquals(ordinal, live.ordinalOfHouseholdId(found[i]), cnics.get(i));
        }
    }

    @Test
    void updateRequestsShouldBeRosterPatchesOfLoadedHouseholds() throws Exception {
        Set<Long> households = new HashSet<>();
        for (long h : ServerFacts.householdIds(target(), "demo-power-key", ids.known(40))) {
            households.add(h);
        }
        Map<String, Integer> kinds = new TreeMap<>();
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 400; i++) {
            Scenario.Request r = Scenario.UPDATES.next(ids, rnd, null);
            assertEquals(HttpMethod.PATCH, r.method());
            assertEquals("demo-power-key", r.key());
            Matcher m = Pattern.compile("/v1/households/([0-9]+)/members").matcher(r.path());
            assertTrue(m.matches(), r.path());
            assertTrue(households.contains(Long.parseLong(m.group(1))), r.path());
            JsonNode change = JSON.readTree(r.body()).get("changes").get(0);
            String kind = change.get("change").asText();
            if (kind.equals("contact")) {
                assertTrue(change.get("phone").asText().matches("9230[0-9]{8}"), r.body());
                kinds.merge(kind, 1, Integer::sum);
            } else {
                assertEquals("disability", kind, r.body());
                assertEquals(0, change.get("member").asInt());
                kinds.merge(Disability.ofKey(change.get("disability").asText()).key(), 1, Integer::sum);
            }
        }
        assertEquals(List.of("contact", "none", "visual"), List.copyOf(kinds.keySet()));
        assertTrue(kinds.get("contact") > 150 && kinds.get("none") > 70 && kinds.get("visual") > 70, kinds.toString());
        IdPool none = new IdPool(List.of("3520212345671"), 0, 0);
        assertThrows(IllegalStateException.class, () -> Scenario.UPDATES.next(none, rnd, null));
    }

    @Test
    void updatesShouldAllBeAppliedWithOk() throws Exception {
        long applied = server.updates().applied();
        try (LoadGenerator gen = new LoadGenerator(target(), 8)) {
            RunResult r = gen.openLoop("updates", Scenario.UPDATES, ids, null, 200, Duration.ofSeconds(1), 4);
            assertEquals(200, r.sent);
            assertEquals(200, r.count(200), r.statuses.toString());
            assertEquals(0, r.failures);
        }
        assertEquals(applied + 200, server.updates().applied());
    }

    @Test
    void alsoShouldRunLookupsAloneAndTogetherWithUpdates() throws Exception {
        long applied = server.updates().applied();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new LoadTestMain()).execute("--target", target().toString(), "--ids",
                    idFile.toString(), "--unknown-share", "0", "--malformed-share", "0", "--scenario", "updates",
                    "--rate", "100", "--also", "partner-lookup", "--also-rate", "200", "--duration", "1s",
                    "--warmup", "0s", "--connections", "4");
        } finally {
            System.setOut(stdout);
        }
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, report);
        assertTrue(report.contains("# updates change 100 households (looked up from 100 CNICs)"), report);
        Map<String, String[]> rows = new HashMap<>();
        for (String line : report.split("\n")) {
            String[] f = line.trim().split("\\s+");
            rows.put(f[0], f);
        }
        assertEquals("100", rows.get("updates")[1], report);
        assertEquals("200", rows.get("partner-lookup/with-updates")[1], report);
        assertEquals("200", rows.get("partner-lookup/alone-before")[1], report);
        assertEquals("200", rows.get("partner-lookup/alone-after")[1], report);
        assertEquals("400", rows.get("partner-lookup/alone")[1], report);
        assertEquals("{200=100}", rows.get("updates")[8], report);
        assertEquals("{200=200}", rows.get("partner-lookup/with-updates")[8], report);
        assertEquals("{200=400}", rows.get("partner-lookup/alone")[8], report);
        assertEquals(applied + 100, server.updates().applied());
        assertTrue(report.contains("partner-lookup at 200/s: p99 "), report);
    }

    private static String main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new LoadTestMain()).execute(args);
        } finally {
            System.setOut(stdout);
        }
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, report);
        return report;
    }

    private static Map<String, String[]> rowsByLabel(String report) {
        Map<String, String[]> rows = new HashMap<>();
        for (String line : report.split("\n")) {
            Matcher m = Pattern.compile("^(.*?)\\s+(\\d+)\\s+(\\d+)\\s").matcher(line);
            if (m.find()) {
                rows.put(m.group(1).trim(), line.substring(m.group(1).length()).trim().split("\\s+"));
            }
        }
        return rows;
    }

    /**
     * national-day at a twenty-fifth of the day for 2 s: every class sends exactly its rate times the duration on its
     * own generator, public status from many addresses is never refused (the demo trusts 127.0.0.1 as a proxy), and
     * nothing is an error; the report has a row per class per interval, the overall rows, one summary line, and one
     * .hgrm per class.
     */
    @Test
    void nationalDayShouldRunEveryClassAtItsRateWithoutErrors(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        long applied = server.updates().applied();
        String report = main("--target", target().toString(), "--ids", idFile.toString(), "--scenario",
                "national-day", "--scale", "0.04", "--duration", "2s", "--warmup", "0s", "--update-households", "40",
                "--hgrm-dir", dir.resolve("hgrm").toString());
        String overall = report.substring(report.indexOf("## overall"));
        Map<String, String[]> rows = new HashMap<>();
        for (String line : overall.split("\n")) {
            String[] f = line.trim().split("\\s+");
            rows.put(f[0], f);
        }
        // class rate/s completed req/s p50 p99 p99.9 max errors statuses
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("eligibility", "180 360");
        expected.put("eligibility-batch", "20 40");
        expected.put("partner-lookup", "40 80");
        expected.put("public-status", "40 80");
        expected.put("lists", "0.8 1");
        expected.put("statistics", "0.04 0");
        expected.put("updates", "4 8");
        expected.forEach((cls, rateAndCount) -> {
            String[] f = rows.get(cls);
            assertEquals(rateAndCount, f[1] + " " + f[2], report);
            assertEquals("0", f[8], cls + " errors: " + report);
            assertFalse(f[9].contains("429"), report);
            assertTrue(Files.exists(dir.resolve("hgrm/" + cls + ".hgrm")), cls);
        });
        assertEquals(applied + 8, server.updates().applied());
        assertTrue(report.contains("eligibility            0     2       360 "), report);
        assertEquals(1, report.lines().filter(l -> l.startsWith("national-day scale 0.04 2 s | eligibility ")).count(),
                report);
        // the classes only national-day gives: its options and a rate of its own are refused
        assertEquals(1, new CommandLine(new LoadTestMain()).execute("--target", target().toString(), "--scenario",
                "national-day", "--rate", "10"));
        assertEquals(1, new CommandLine(new LoadTestMain()).execute("--target", target().toString(), "--scenario",
                "national-day", "--scale", "0"));
    }

    @Test
    void baselineRoundsShouldAlternateAndMergeEachSide() {
        String report = main("--target", target().toString(), "--ids", idFile.toString(), "--scenario",
                "partner-lookup", "--closed", "--connections", "2", "--duration", "2s", "--warmup", "0s",
                "--baseline", "--rounds", "2");
        Map<String, String[]> rows = rowsByLabel(report);
        long lookups = 0;
        long health = 0;
        for (int i = 1; i <= 2; i++) {
            lookups += Long.parseLong(rows.get("round " + i + " partner-lookup")[0]);
            health += Long.parseLong(rows.get("round " + i + " health")[0]);
        }
        assertTrue(lookups > 0 && health > 0, report);
        assertEquals(lookups, Long.parseLong(rows.get("partner-lookup")[0]), report);
        assertEquals(health, Long.parseLong(rows.get("baseline /health/live")[0]), report);
        assertTrue(report.indexOf("round 1 health") < report.indexOf("round 1 partner-lookup"), report);
        assertTrue(report.indexOf("round 2 partner-lookup") < report.indexOf("round 2 health"), report);
        assertTrue(Pattern.compile("ratio partner-lookup / baseline: throughput \\d+\\.\\d\\d, p99 \\S+ "
                + "\\(rounds: \\d+\\.\\d\\d \\d+\\.\\d\\d\\)").matcher(report).find(), report);
    }

    @Test
    void findRateShouldBisectUnderTheUpperBound() {
        // a target no loopback run misses (10 s), so every step meets it: 100/s, then 150/s
        String report = main("--target", target().toString(), "--ids", idFile.toString(), "--scenario",
                "pos-eligibility", "--find-rate", "--p99-ms", "10000", "--rate", "200", "--steps", "2",
                "--duration", "1s", "--warmup", "0s", "--connections", "4");
        Map<String, String[]> rows = rowsByLabel(report);
        assertEquals("100", rows.get("pos-eligibility at 100/s")[0], report);
        assertEquals("150", rows.get("pos-eligibility at 150/s")[0], report);
        assertTrue(report.contains("max-rate pos-eligibility 150/s p99 "), report);
        assertTrue(report.contains("(target 10000.000 ms; upper bound 200/s)"), report);
    }

    @Test
    void rateSearchShouldConvergeOnTheHighestRateThatMeetsTheTarget() throws Exception {
        List<Double> tried = new ArrayList<>();
        RateSearch.Outcome o = RateSearch.search(rate -> {
            tried.add(rate);
            RunResult r = new RunResult("x");
            r.statuses.put(200, 10L);
            r.latency.recordValue(rate <= 730 ? 1_000 : 50_000); // p99 1 ms up to 730/s, 50 ms above
            r.seconds = 1;
            return r;
        }, 1000, 10, 2_000);
        assertEquals(List.of(500.0, 750.0, 625.0, 688.0, 719.0, 735.0), tried); // then within 2% of 1000: done
        assertEquals(719.0, o.best().rate());
        assertEquals(6, o.steps().size());

        RateSearch.Outcome none = RateSearch.search(rate -> {
            RunResult r = new RunResult("x");
            r.statuses.put(503, 1L);
            r.latency.recordValue(10);
            return r;
        }, 1000, 3, 2_000);
        assertEquals(null, none.best());
        assertEquals(3, none.steps().size());
        RunResult unsent = new RunResult("x");
        unsent.latency.recordValue(10);
        unsent.statuses.put(200, 1L);
        unsent.sent = 5_000;
        unsent.backlog = 5; // the sender fell behind by one request in a thousand: still met
        assertTrue(RateSearch.meets(unsent, 2_000));
        unsent.backlog = 6;
        assertFalse(RateSearch.meets(unsent, 2_000));
    }

    @Test
    void scenarioNamesAndDurationsShouldParse() {
        assertEquals(Scenario.UPDATES, Scenario.ofKey("updates"));
        assertTrue(Scenario.UPDATES.needsHouseholds() && Scenario.BLEND.needsHouseholds());
        assertFalse(Scenario.PARTNER_LOOKUP.needsHouseholds());
        assertThrows(IllegalArgumentException.class, () -> Scenario.ofKey("nope"));
        assertEquals(Duration.ofSeconds(30), LoadTestMain.parse("30s"));
        assertEquals(Duration.ofMinutes(2), LoadTestMain.parse("2m"));
        assertEquals(Duration.ofMillis(500), LoadTestMain.parse("500ms"));
        assertThrows(IllegalArgumentException.class, () -> LoadTestMain.parse("soon"));
    }
}
