package pk.gov.bisp.nser.core.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.TestSnapshots;

/**
 * The query engine in core, on a small hand-made snapshot (the generated 200k registry's random comparison with a
 * scan is index-builder's {@code QueryEngineScanTest}): each filter, negated and combined, selects exactly the
 * households whose records say so.
 */
class QueryEngineTest {

    @TempDir
    static Path tmp;
    private static Snapshot snap;
    private static List<Household> households;
    private static int[] pmt;
    private static int[] district;

    @BeforeAll
    static void build() throws Exception {
        households = TestSnapshots.households(120);
        snap = Snapshot.open(TestSnapshots.write(tmp.resolve("s"), households), Snapshot.Verify.FULL);
        int n = snap.householdCount();
        pmt = new int[n];
        district = new int[n];
        HouseholdRecord r = new HouseholdRecord();
        for (int o = 0; o < n; o++) {
            assertTrue(snap.read(o, r));
            pmt[o] = r.pmtHundredths();
            district[o] = snap.geography().ancestorOfUc(r.unionCouncil(), GeoLevel.DISTRICT);
        }
    }

    @AfterAll
    static void close() {
        snap.close();
    }

    private static RoaringBitmap where(IntPredicate p) {
        RoaringBitmap b = new RoaringBitmap();
        for (int o = 0; o < pmt.length; o++) {
            if (p.test(o)) {
                b.add(o);
            }
        }
        return b;
    }

    private static void assertSelects(RoaringBitmap expected, Map<String, List<String>> params) {
        QueryEngine engine = new QueryEngine(snap);
        Query q = new QueryParser(snap.geography()).parse(params, Set.of());
        assertEquals(expected, engine.evaluate(q), params::toString);
        assertEquals(expected.getLongCardinality(), engine.count(q), params::toString);
    }

    @Test
    void everyFilterAloneAndCombinedShouldSelectWhatTheRecordsSay() {
        int[] sorted = pmt.clone();
        java.util.Arrays.sort(sorted);
        int cut = sorted[sorted.length / 2];
        int d = district[0];
        assertSelects(where(o -> pmt[o] <= cut), Map.of("pmt_max", List.of(score(cut))));
        assertSelects(where(o -> district[o] == d), Map.of("district", List.of(Integer.toString(d))));
        assertSelects(where(o -> district[o] != d), Map.of("not_district", List.of(Integer.toString(d))));
        // Households.simple: the fourth member of a household of four or more has a visual disability
        assertSelects(where(o -> households.get(o).members().size() >= 4),
                Map.of("disabled_member", List.of("yes")));
        RoaringBitmap combined = where(o -> pmt[o] <= cut && district[o] != d
                && households.get(o).members().size() >= 4);
        assertTrue(!combined.isEmpty() && combined.getCardinality() < pmt.length, "a selective combination");
        assertSelects(combined, Map.of("pmt_max", List.of(score(cut)), "not_district",
                List.of(Integer.toString(d)), "disabled_member", List.of("yes")));
    }

    @Test
    void noFilterShouldSelectEveryHousehold() {
        assertEquals(households.size(), new QueryEngine(snap).count(Query.ALL));
    }

    private static String score(int hundredths) {
        return hundredths / 100 + "." + String.format("%02d", hundredths % 100);
    }
}
