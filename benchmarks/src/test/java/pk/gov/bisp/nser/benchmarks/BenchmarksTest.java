package pk.gov.bisp.nser.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.benchmarks.state.Cursor;
import pk.gov.bisp.nser.benchmarks.state.Eviction;
import pk.gov.bisp.nser.benchmarks.state.SnapshotState;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.index.MemberSummary;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.stats.StatsTables;

/** What each benchmark computes is right: checked against a plain scan of the same snapshot. */
class BenchmarksTest {

    private static SnapshotState state;
    /** evictKb 0: the benchmarks' results are then their reads' alone. */
    private static final Eviction NO_EVICTION = new Eviction();

    @BeforeAll
    static void open() throws Exception {
        state = new SnapshotState();
        state.households = 20_000;
        state.snapshot = "";
        state.open();
    }

    @AfterAll
    static void close() {
        state.close();
    }

    @Test
    void statsTableBenchmarkShouldPublishTheSameTableFromTheSlicesTheRecordsAndTheKeptTable() {
        StatsTables tables = new StatsTables(state.snap, "a benchmark cell-key secret");
        for (String m : List.of("literacy", "out_of_school:female", "disabled_member:yes", "house_type:kacha",
                "pmt_below:32")) {
            long[][] sliced = tables.publish(java.util.Map.of(), m, GeoLevel.DISTRICT, StatsTables.Source.SLICES, 10);
            assertArrayEquals(tables.publish(java.util.Map.of(), m, GeoLevel.DISTRICT, StatsTables.Source.RECORDS, 10),
                    sliced, m);
            assertArrayEquals(tables.publish(java.util.Map.of(), m, GeoLevel.DISTRICT, StatsTables.Source.KEPT, 10),
                    sliced, m);
            for (String source : List.of("slices", "kept")) {
                StatsTableBenchmark b = new StatsTableBenchmark();
                b.measure = m;
                b.source = source;
                b.changed = source.equals("kept") ? 500 : 0; // each re-applies its own record: the same table
                b.setup(state);
                assertEquals(sliced[sliced.length - 1][2], b.districtTable(), m + " " + source);
                assertTrue(b.districtTable() > 0, m + ": the national count is published");
            }
        }
        assertEquals(500, state.snap.updatedCount(), "the kept benchmark's households were changed");
    }

    @Test
    void evictionShouldWriteOneByteInEachCacheLineOfItsKilobytesAndMoveOn() {
        assertEquals(0, NO_EVICTION.run());
        Eviction e = new Eviction();
        e.evictKb = 2;
        assertEquals(32, e.run()); // 32 lines of 64 bytes, each byte now 1
        assertEquals(32, e.run()); // the next 2 KB: fresh lines, not the same ones again
        for (int i = 0; i < (64 << 20) / 2048 - 2; i++) {
            e.run(); // the rest of the 64 MB
        }
        assertEquals(64, e.run()); // wrapped round: the first lines again, each byte now 2
    }

    @Test
    void lookupBenchmarksShouldFindTheSampledHouseholds() {
        LookupBenchmark b = new LookupBenchmark();
        Cursor c = new Cursor();
        HouseholdRecord r = new HouseholdRecord();
        for (int k = 0; k < 200; k++) {
            int i = (k + 1) & (SnapshotState.SAMPLES - 1);
            int ordinal = b.cnicToOrdinal(state, c, NO_EVICTION);
            state.snap.read(ordinal, r);
            assertTrue(r.memberIndexOf(state.cnics[i]) >= 0);
        }
        Cursor c2 = new Cursor();
        state.snap.read(state.ordinals[1], r);
        assertEquals(r.pmtHundredths(), b.readScore(state, c2, NO_EVICTION));
        Cursor c3 = new Cursor();
        assertTrue(b.cnicToRecord(state, c3, NO_EVICTION) >= 0);
    }

    @Test
    void projectionBenchmarkShouldEncodeTheSearchedHouseholdForEachRole() throws Exception {
        ObjectMapper m = new ObjectMapper();
        for (Role role : List.of(Role.POWER, Role.STANDARD, Role.BASIC)) {
            ProjectionBenchmark b = new ProjectionBenchmark();
            b.role = role;
            b.setup(state);
            JsonNode j = m.readTree(b.projectAndEncode(state, new Cursor(), NO_EVICTION));
            long cnic = state.cnics[1];
            HouseholdRecord r = new HouseholdRecord();
            state.snap.read(state.snap.ordinalOfCnic(cnic), r);
            assertEquals(r.pmtHundredths() / 100.0, j.get("pmt_score").asDouble(), 1e-9);
            List<String> cnics = new ArrayList<>();
            j.findValues("cnic").forEach(v -> cnics.add(v.asText()));
            switch (role) {
                case POWER -> assertEquals(r.memberCount(), cnics.size());
                case STANDARD -> assertEquals(List.of(Cnic.format(cnic)), cnics);
                default -> assertEquals(List.of(), cnics);
            }
        }
    }

    @Test
    void importParseBenchmarksShouldGiveTheSameHouseholdsBothWays() throws Exception {
        ImportParseBenchmark a = new ImportParseBenchmark();
        ImportParseBenchmark b = new ImportParseBenchmark();
        a.lines();
        b.lines();
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (int i = 0; i < 4_096; i++) { // each instance takes its next line: both meet the same ones
            pk.gov.bisp.nser.core.schema.Household tree = a.tree();
            assertEquals(tree, b.streamed());
            ids.add(tree.householdId());
        }
        assertEquals(4_096, ids.size(), "every line parsed once");
    }

    @Test
    void scoringBenchmarksShouldMatchTheStoredScores() {
        ScoringBenchmark b = new ScoringBenchmark();
        b.read(state);
        HouseholdRecord r = new HouseholdRecord();
        state.snap.read(state.ordinals[1], r);
        assertEquals(r.pmtHundredths(), b.scoreOne(new Cursor()));
        long under = 0;
        for (int o = 0; o < state.snap.householdCount(); o++) {
            state.snap.read(o, r);
            under += r.pmtHundredths() < 3_200 ? 1 : 0;
        }
        assertEquals(under, b.scoreRegistry(state));
        assertEquals(under, b.scoreColumn(state));
        assertEquals(under, state.snap.pmt().range().lteCardinality(3_199));
        assertEquals(1, PmtModel.builtIn().version());
    }

    @Test
    void bitmapQueryShouldEqualAScan() {
        BitmapQueryBenchmark b = new BitmapQueryBenchmark();
        b.pick(state);
        HouseholdRecord r = new HouseholdRecord();
        MemberSummary s = new MemberSummary();
        List<Integer> hits = new ArrayList<>();
        for (int o = 0; o < state.snap.householdCount(); o++) {
            if (!b.district.contains(o)) {
                continue;
            }
            state.snap.read(o, r);
            s.of(r, state.snap.manifest().asOf());
            int p = r.pmtHundredths();
            if (s.disabilityMask != 0 && p >= BitmapQueryBenchmark.PMT_LO && p <= BitmapQueryBenchmark.PMT_HI) {
                hits.add(o);
            }
        }
        assertTrue(hits.size() > 0, "the filter matches something");
        assertEquals(hits.size(), b.count(state));
        int[] expected = hits.stream().limit(100).mapToInt(Integer::intValue).toArray();
        assertArrayEquals(expected, b.firstPage(state));
    }
}
