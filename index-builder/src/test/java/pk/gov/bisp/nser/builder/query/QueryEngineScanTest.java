package pk.gov.bisp.nser.builder.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;
import pk.gov.bisp.nser.builder.TestRegistries;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.index.Dimension;
import pk.gov.bisp.nser.core.index.Dimensions;
import pk.gov.bisp.nser.core.index.MemberSummary;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryEngine;
import pk.gov.bisp.nser.core.query.QueryException;
import pk.gov.bisp.nser.core.query.QueryParser;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * The query engine against a brute-force scan of every record of a 200k registry: random filter combinations
 * over many seeds must select exactly the households the scan selects. The scan decides each filter from the
 * record itself (score, union council, and each dimension's value mask), never from a bitmap.
 */
class QueryEngineScanTest {

    private static final int HOUSEHOLDS = 200_000;
    private static Snapshot snap;
    private static int[] pmt;
    private static int[] uc;
    /** Per dimension (in Dimensions.ALL order), each household's value mask. */
    private static int[][] masks;

    @BeforeAll
    static void scan() throws Exception {
        snap = Snapshot.open(TestRegistries.generated(HOUSEHOLDS, 1), Snapshot.Verify.QUICK);
        int n = snap.householdCount();
        pmt = new int[n];
        uc = new int[n];
        masks = new int[Dimensions.ALL.size()][n];
        HouseholdRecord r = new HouseholdRecord();
        MemberSummary s = new MemberSummary();
        LocalDate asOf = snap.manifest().asOf();
        for (int o = 0; o < n; o++) {
            assertTrue(snap.read(o, r));
            pmt[o] = r.pmtHundredths();
            uc[o] = r.unionCouncil();
            s.of(r, asOf);
            for (int d = 0; d < masks.length; d++) {
                masks[d][o] = Dimensions.ALL.get(d).mask(r, s);
            }
        }
    }

    @AfterAll
    static void close() {
        snap.close();
    }

    @Test
    void randomFilterCombinationsSelectWhatTheScanSelects() {
        QueryParser parser = new QueryParser(snap.geography());
        QueryEngine engine = new QueryEngine(snap);
        int nonEmpty = 0;
        for (long seed = 1; seed <= 300; seed++) {
            Random rnd = new Random(seed);
            Map<String, List<String>> params = randomParams(rnd);
            Query q = parser.parse(params, Set.of());
            RoaringBitmap expected = scan(params);
            RoaringBitmap actual = engine.evaluate(q);
            assertEquals(expected, actual, () -> "params " + params);
            assertEquals(expected.getLongCardinality(), engine.count(q), () -> "count for " + params);
            nonEmpty += expected.isEmpty() ? 0 : 1;
        }
        assertTrue(nonEmpty > 150, "most random queries should select something, got " + nonEmpty);
    }

    @Test
    void filterWithoutClausesSelectsEveryHousehold() {
        QueryEngine engine = new QueryEngine(snap);
        assertEquals(HOUSEHOLDS, engine.count(Query.ALL));
        assertEquals(HOUSEHOLDS, engine.evaluate(Query.ALL).getCardinality());
    }

    @Test
    void badFiltersNameWhatIsValid() {
        QueryParser parser = new QueryParser(snap.geography());
        QueryException unknown = assertThrows(QueryException.class,
                () -> parser.parse(Map.of("colour", List.of("red")), Set.of("limit")));
        assertTrue(unknown.getMessage().contains("house_type") && unknown.getMessage().contains("limit"),
                unknown.getMessage());
        QueryException value = assertThrows(QueryException.class,
                () -> parser.parse(Map.of("toilet", List.of("golden")), Set.of()));
        assertTrue(value.getMessage().contains("formal_latrine"), value.getMessage());
        assertThrows(QueryException.class, () -> parser.parse(Map.of("pmt_min", List.of("20.001")), Set.of()));
        assertThrows(QueryException.class, () -> parser.parse(Map.of("pmt_min", List.of("101")), Set.of()));
        assertThrows(QueryException.class,
                () -> parser.parse(Map.of("pmt_min", List.of("40"), "pmt_max", List.of("30")), Set.of()));
        assertThrows(QueryException.class, () -> parser.parse(Map.of("district", List.of("99999")), Set.of()));
        assertThrows(QueryException.class, () -> parser.parse(Map.of("widow", List.of("maybe")), Set.of()));
        assertThrows(QueryException.class, () -> parser.parse(Map.of("household_size", List.of("0")), Set.of()));
    }

    /** A random combination of 1-4 filters, some negated, some with several values. */
    private static Map<String, List<String>> randomParams(Random rnd) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        int filters = 1 + rnd.nextInt(4);
        for (int i = 0; i < filters; i++) {
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    int lo = rnd.nextInt(6_000);
                    p.put("pmt_min", List.of(score(lo)));
                    p.put("pmt_max", List.of(score(lo + rnd.nextInt(4_000))));
                }
                case 1 -> {
                    GeoLevel l = GeoLevel.values()[rnd.nextInt(GeoLevel.values().length)];
                    List<GeoUnit> units = snap.geography().units(l);
                    List<String> codes = new ArrayList<>();
                    for (int k = 0, n = 1 + rnd.nextInt(3); k < n; k++) {
                        codes.add(Integer.toString(units.get(rnd.nextInt(units.size())).code()));
                    }
                    p.put((rnd.nextInt(5) == 0 ? "not_" : "") + l.key(), List.of(String.join(",", codes)));
                }
                case 2 -> {
                    p.put("household_size_min", List.of(Integer.toString(1 + rnd.nextInt(6))));
                    p.put("household_size_max", List.of(Integer.toString(6 + rnd.nextInt(7))));
                }
                default -> {
                    Dimension d = Dimensions.ALL.get(rnd.nextInt(Dimensions.ALL.size()));
                    List<String> values = new ArrayList<>();
                    if (d.values().size() == 1) {
                        values.add(rnd.nextBoolean() ? "yes" : "no");
                    } else {
                        for (int k = 0, n = 1 + rnd.nextInt(2); k < n; k++) {
                            values.add(d.values().get(rnd.nextInt(d.values().size())));
                        }
                    }
                    p.put((rnd.nextInt(4) == 0 ? "not_" : "") + d.key(), values);
                }
            }
        }
        return p;
    }

    private static String score(int hundredths) {
        int h = Math.min(10_000, hundredths);
        return h / 100 + "." + (h % 100 < 10 ? "0" : "") + h % 100;
    }

    /** The households the parameters select, decided household by household from the scanned values. */
    private static RoaringBitmap scan(Map<String, List<String>> params) {
        RoaringBitmap out = new RoaringBitmap();
        Geography geo = snap.geography();
        for (int o = 0; o < pmt.length; o++) {
            if (matches(params, o, geo)) {
                out.add(o);
            }
        }
        return out;
    }

    private static boolean matches(Map<String, List<String>> params, int o, Geography geo) {
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String name = e.getKey();
            String v = e.getValue().get(0);
            boolean ok = switch (name) {
                case "pmt_min" -> pmt[o] >= hundredths(v);
                case "pmt_max" -> pmt[o] <= hundredths(v);
                case "household_size_min" -> sizeBucket(o) >= Integer.parseInt(v);
                case "household_size_max" -> sizeBucket(o) <= Integer.parseInt(v);
                default -> clause(name, e.getValue(), o, geo);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean clause(String name, List<String> values, int o, Geography geo) {
        boolean negated = name.startsWith("not_");
        String key = negated ? name.substring(4) : name;
        boolean any = false;
        for (GeoLevel l : GeoLevel.values()) {
            if (l.key().equals(key)) {
                int mine = geo.ancestorOfUc(uc[o], l);
                for (String c : values.get(0).split(",")) {
                    any |= Integer.parseInt(c) == mine;
                }
                return any != negated;
            }
        }
        int d = Dimensions.ALL.indexOf(Dimensions.ALL.stream().filter(x -> x.key().equals(key)).findFirst()
                .orElseThrow());
        Dimension dim = Dimensions.ALL.get(d);
        if (dim.values().size() == 1) {
            boolean has = (masks[d][o] & 1) != 0;
            return has == (values.get(0).equals("yes") != negated);
        }
        for (String v : values) {
            any |= (masks[d][o] & (1 << dim.values().indexOf(v))) != 0;
        }
        return any != negated;
    }

    private static int sizeBucket(int o) {
        int d = Dimensions.ALL.indexOf(Dimensions.HOUSEHOLD_SIZE);
        return Integer.numberOfTrailingZeros(masks[d][o]) + 1;
    }

    private static int hundredths(String v) {
        return (int) Math.round(Double.parseDouble(v) * 100);
    }
}
