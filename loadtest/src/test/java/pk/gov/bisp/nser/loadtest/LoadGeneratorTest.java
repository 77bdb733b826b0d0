package pk.gov.bisp.nser.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.builder.cli.GenerateCommand;
import pk.gov.bisp.nser.builder.generate.SyntheticRegistry;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.stats.Marginals;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.config.ServerConfig;

/** The generator against a real server on a loopback port: counts and statuses, never timings. */
class LoadGeneratorTest {

    private static NserServer server;
    private static IdPool ids;

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
        ServerConfig cfg;
        try (InputStream in = LoadGeneratorTest.class.getResourceAsStream("/demo.yaml")) {
            cfg = ServerConfig.parse(in, "demo.yaml").withPort(0);
        }
        server = NserServer.start(cfg, snap);
        server.awaitReady(Duration.ofSeconds(60));
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
        }
    }

    @Test
    void closedLoopAndEveryRunnableScenarioShouldGetAnswers() throws Exception {
        try (LoadGenerator gen = new LoadGenerator(target(), 4)) {
            for (Scenario s : List.of(Scenario.PARTNER_LOOKUP, Scenario.POS_BATCH, Scenario.PUBLIC_STATUS,
                    Scenario.BLEND, Scenario.HEALTH)) {
                RunResult r = gen.closedLoop(s.key(), s, ids, null, 4, Duration.ofMillis(500), 2);
                assertTrue(r.completed() > 0, s.key());
                assertEquals(r.completed(), r.count(200), s.key() + " " + r.statuses);
            }
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
            for (Scenario s : List.of(Scenario.LIST_PAGE, Scenario.LIST_COUNT, Scenario.EXPORT_NDJSON)) {
                RunResult r = gen.closedLoop(s.key(), s, pool, null, 2, Duration.ofMillis(500), 2);
                assertTrue(r.completed() > 0, s.key());
                assertEquals(r.completed(), r.count(200), s.key() + " " + r.statuses);
            }
        }
    }

    @Test
    void scenariosNeedingLaterEndpointsShouldSaySoAndDurationsParse() {
        assertTrue(Scenario.ofKey("updates").unavailableReason().contains("issue 6"));
        assertEquals(null, Scenario.ofKey("list-page").unavailableReason());
        assertThrows(IllegalArgumentException.class, () -> Scenario.ofKey("nope"));
        assertEquals(Duration.ofSeconds(30), LoadTestMain.parse("30s"));
        assertEquals(Duration.ofMinutes(2), LoadTestMain.parse("2m"));
        assertEquals(Duration.ofMillis(500), LoadTestMain.parse("500ms"));
        assertThrows(IllegalArgumentException.class, () -> LoadTestMain.parse("soon"));
    }
}
