package pk.gov.bisp.nser.builder.generate;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.geo.SyntheticGeography;
import pk.gov.bisp.nser.core.schema.Province;
import pk.gov.bisp.nser.core.stats.Marginals;

/**
 * How many households each union council gets for a registry of N: regions in proportion to the real counts,
 * tehsils by their share, union councils evenly within a tehsil; largest remainders keep every total exact.
 */
final class RegistryPlan {

    /** One union council's household count. */
    record UcCount(Province province, int tehsil, int uc, int households) {
    }

    private final Map<Province, Long> regionCounts = new EnumMap<>(Province.class);
    private final List<UcCount> ucs = new ArrayList<>();

    RegistryPlan(long households, Marginals marginals, SyntheticGeography geo) {
        Province[] ps = Province.values();
        double[] regionWeights = new double[ps.length];
        for (Province p : ps) {
            regionWeights[p.ordinal()] = marginals.region(p).households();
        }
        long[] perRegion = apportion(households, regionWeights);
        for (Province p : ps) {
            regionCounts.put(p, perRegion[p.ordinal()]);
            List<Integer> tehsils = geo.tehsils(p);
            double[] tw = new double[tehsils.size()];
            for (int i = 0; i < tw.length; i++) {
                tw[i] = geo.tehsilShare(tehsils.get(i));
            }
            long[] perTehsil = apportion(perRegion[p.ordinal()], tw);
            for (int i = 0; i < tw.length; i++) {
                int tehsil = tehsils.get(i);
                List<GeoUnit> tehsilUcs = geo.geography().units(GeoLevel.UNION_COUNCIL).stream()
                        .filter(u -> u.parent() == tehsil).toList();
                double[] uw = new double[tehsilUcs.size()];
                java.util.Arrays.fill(uw, 1.0);
                long[] perUc = apportion(perTehsil[i], uw);
                for (int u = 0; u < uw.length; u++) {
                    if (perUc[u] > 0) {
                        ucs.add(new UcCount(p, tehsil, tehsilUcs.get(u).code(), (int) perUc[u]));
                    }
                }
            }
        }
    }

    /** Splits {@code total} by weights; the largest remainders get the leftover units. */
    static long[] apportion(long total, double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        long[] out = new long[weights.length];
        double[] rem = new double[weights.length];
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            double exact = total * weights[i] / sum;
            out[i] = (long) Math.floor(exact);
            rem[i] = exact - out[i];
            given += out[i];
        }
        Integer[] order = new Integer[weights.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> rem[b] != rem[a] ? Double.compare(rem[b], rem[a]) : Integer.compare(a, b));
        for (int k = 0; given < total; k++, given++) {
            out[order[k % order.length]]++;
        }
        return out;
    }

    long households(Province p) {
        return regionCounts.get(p);
    }

    /** Union councils with at least one household, in code (geographic) order. */
    List<UcCount> unionCouncils() {
        return ucs;
    }
}
