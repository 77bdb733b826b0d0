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

    @Test
    void negatedClausesAloneShouldSelectWhatTheRecordsSayBeforeAndAfterALiveUpdate(@TempDir Path dir)
            throws Exception {
        try (Snapshot s = Snapshot.open(TestSnapshots.write(dir.resolve("s"), households), Snapshot.Verify.FULL)) {
            int n = s.householdCount();
            RoaringBitmap partner = new RoaringBitmap();
            for (int o = 0; o < n; o += 3) {
                partner.add(o);
            }
            partner.add(n + 5); // a household the snapshot's universe does not hold: never counted
            LiveSets live = new LiveSets() {
                @Override
                public Set<String> programmes() {
                    return Set.of("pbm");
                }

                @Override
                public org.roaringbitmap.buffer.ImmutableRoaringBitmap bitmap(String name) {
                    return name.equals(pk.gov.bisp.nser.core.index.Dimensions.PROGRAMME.bitmapName("pbm"))
                            ? partner.toMutableRoaringBitmap() : null;
                }

                @Override
                public org.roaringbitmap.buffer.ImmutableRoaringBitmap any() { // the union of the one programme
                    return partner.toMutableRoaringBitmap();
                }
            };
            int[] sorted = pmt.clone();
            java.util.Arrays.sort(sorted);
            int cut = sorted[sorted.length / 2];
            int d = district[0];
            int[] score = pmt.clone();
            Runnable check = () -> {
                IntPredicate pbm = o -> o % 3 == 0;
                IntPredicate below = o -> score[o] <= cut;
                assertSelects(s, live, where(o -> !pbm.test(o)), Map.of("not_programme", List.of("pbm")));
                assertSelects(s, live, where(o -> !pbm.test(o) && !households.get(o).cct() && below.test(o)),
                        Map.of("not_programme", List.of("cct,pbm"), "pmt_max", List.of(score(cut))));
                assertSelects(s, live, where(o -> !pbm.test(o) && !households.get(o).cct()
                        && !households.get(o).uct() && below.test(o)),
                        Map.of("not_programme", List.of("any"), "pmt_max", List.of(score(cut))));
                assertSelects(s, live, where(o -> !pbm.test(o) && district[o] != d && below.test(o)),
                        Map.of("not_programme", List.of("pbm"), "not_district", List.of(Integer.toString(d)),
                                "pmt_max", List.of(score(cut))));
                assertSelects(s, live, where(o -> pbm.test(o) && below.test(o)),
                        Map.of("programme", List.of("pbm"), "pmt_max", List.of(score(cut))));
                assertSelects(s, live, where(below), Map.of("pmt_max", List.of(score(cut))));
            };
            check.run();
            // one household under the cut-off and not enrolled rises above it, one above it falls under it
            int up = -1;
            int down = -1;
            for (int o = 0; o < n && (up < 0 || down < 0); o++) {
                if (o % 3 != 0 && score[o] <= cut && score[o] > 0 && up < 0) {
                    up = o;
                } else if (o % 3 != 0 && score[o] > cut && down < 0) {
                    down = o;
                }
            }
            assertTrue(up >= 0 && down >= 0, "households on both sides of the cut-off");
            rescore(s, up, Math.min(cut + 500, pk.gov.bisp.nser.core.index.PmtIndex.MAX_VALUE));
            rescore(s, down, 0);
            score[up] = Math.min(cut + 500, pk.gov.bisp.nser.core.index.PmtIndex.MAX_VALUE);
            score[down] = 0;
            assertEquals(2, s.updatedCount());
            check.run();
        }
    }

    private static void rescore(Snapshot s, int ordinal, int hundredths) {
        HouseholdRecord r = new HouseholdRecord();
        assertTrue(s.read(ordinal, r));
        byte[] next = r.toByteArray();
        pk.gov.bisp.nser.core.record.Bytes.putU16(next, pk.gov.bisp.nser.core.record.RecordLayout.PMT_OFFSET,
                hundredths);
        pk.gov.bisp.nser.core.record.Bytes.putI32(next,
                pk.gov.bisp.nser.core.record.RecordLayout.RECORD_VERSION_OFFSET, (int) r.recordVersion() + 1);
        s.apply(ordinal, next);
    }

    private static void assertSelects(Snapshot s, LiveSets live, RoaringBitmap expected,
                                      Map<String, List<String>> params) {
        QueryEngine engine = new QueryEngine(s, live);
        Query q = new QueryParser(s.geography(), live).parse(params, Set.of());
        assertEquals(expected, engine.evaluate(q), params::toString);
        assertEquals(expected.getLongCardinality(), engine.count(q), params::toString);
    }

    private static String score(int hundredths) {
        return hundredths / 100 + "." + String.format("%02d", hundredths % 100);
    }
}
