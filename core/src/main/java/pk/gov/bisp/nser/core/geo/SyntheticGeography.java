package pk.gov.bisp.nser.core.geo;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import pk.gov.bisp.nser.core.schema.Province;
import pk.gov.bisp.nser.core.stats.Marginals;

/**
 * The synthetic geography below province, with the real counts: tehsils per region as the dynamic registry
 * centres (617 in all), 167 districts, divisions as in Pakistan, and union councils sized at about
 * {@value #HOUSEHOLDS_PER_UC} households of the full registry. It depends only on the marginals, never on a
 * generator seed, so snapshots of every size share the same codes.
 */
public final class SyntheticGeography {

    public static final int HOUSEHOLDS_PER_UC = 5_000;
    private static final long GEOGRAPHY_SEED = 0x4E534552L;

    /** Districts and divisions per region (districts sum to 167). */
    private static final Map<Province, int[]> DISTRICTS_DIVISIONS = new EnumMap<>(Map.of(
            Province.AZAD_JAMMU_KASHMIR, new int[] {10, 3},
            Province.BALOCHISTAN, new int[] {36, 8},
            Province.GILGIT_BALTISTAN, new int[] {13, 3},
            Province.ISLAMABAD, new int[] {1, 1},
            Province.KHYBER_PAKHTUNKHWA, new int[] {36, 7},
            Province.PUNJAB, new int[] {41, 10},
            Province.SINDH, new int[] {30, 6}));

    private final Geography geography;
    /** Share of its region's households for each tehsil code. */
    private final Map<Integer, Double> tehsilShare = new java.util.HashMap<>();
    private final Map<Province, List<Integer>> tehsilsByProvince = new EnumMap<>(Province.class);

    private SyntheticGeography(Marginals marginals) {
        List<GeoUnit> units = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(GEOGRAPHY_SEED);
        for (Province p : Province.values()) {
            Marginals.Region r = marginals.region(p);
            int[] dd = DISTRICTS_DIVISIONS.get(p);
            int districts = dd[0];
            int divisions = dd[1];
            int tehsils = r.tehsils();
            units.add(new GeoUnit(GeoLevel.PROVINCE, p.code(), p.reportName(), 0));
            for (int v = 1; v <= divisions; v++) {
                units.add(new GeoUnit(GeoLevel.DIVISION, p.code() * 100 + v,
                        p.reportName() + " Division " + v, p.code()));
            }
            double[] weights = new double[tehsils];
            double sum = 0;
            for (int t = 0; t < tehsils; t++) {
                weights[t] = Math.exp(0.5 * gaussian(rnd));
                sum += weights[t];
            }
            List<Integer> tehsilCodes = new ArrayList<>(tehsils);
            int t = 0;
            for (int d = 1; d <= districts; d++) {
                int district = p.code() * 1000 + d;
                int division = p.code() * 100 + 1 + (d - 1) * divisions / districts;
                units.add(new GeoUnit(GeoLevel.DISTRICT, district, p.reportName() + " District " + two(d), division));
                int tehsilEnd = d * tehsils / districts;
                for (int tt = 1; t < tehsilEnd; tt++, t++) {
                    int tehsil = district * 100 + tt;
                    double share = weights[t] / sum;
                    tehsilShare.put(tehsil, share);
                    tehsilCodes.add(tehsil);
                    units.add(new GeoUnit(GeoLevel.TEHSIL, tehsil,
                            "Tehsil " + two(d) + "-" + two(tt) + " (" + p.key() + ")", district));
                    long full = Math.round(share * r.households());
                    int ucs = (int) Math.max(3, Math.min(99, Math.round((double) full / HOUSEHOLDS_PER_UC)));
                    for (int u = 1; u <= ucs; u++) {
                        units.add(new GeoUnit(GeoLevel.UNION_COUNCIL, tehsil * 100 + u,
                                "UC " + two(d) + "-" + two(tt) + "-" + two(u) + " (" + p.key() + ")", tehsil));
                    }
                }
            }
            tehsilsByProvince.put(p, List.copyOf(tehsilCodes));
        }
        this.geography = new Geography(units);
    }

    public static SyntheticGeography of(Marginals marginals) {
        return new SyntheticGeography(marginals);
    }

    public Geography geography() {
        return geography;
    }

    /** Tehsil codes of a region, in code order. */
    public List<Integer> tehsils(Province p) {
        return tehsilsByProvince.get(p);
    }

    /** The tehsil's share of its region's households. */
    public double tehsilShare(int tehsil) {
        return tehsilShare.get(tehsil);
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
