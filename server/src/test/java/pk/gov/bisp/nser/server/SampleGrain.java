package pk.gov.bisp.nser.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The test's own account of how coarsely Basic's sample rows show area and score (issue 23.2), worked out household
 * by household from the snapshot's records without the server's code: 5-point bands; (tehsil, band) groups of at
 * least k show the tehsil; the rest pooled by (district, band), then (province, band), then band; a pool of at least
 * k shows down to its level; the remainder (widened by the smallest band pools while under k) shows nothing.
 */
public final class SampleGrain {

    private static final List<String> LEVELS = List.of("province", "division", "district", "tehsil");
    /** What each sample household shows: 4 (to the tehsil), 3 (district), 1 (province), 0 (band only), -1 nothing. */
    private final Map<Integer, Integer> shows = new HashMap<>();
    private final Households hh;

    private SampleGrain(Households hh) {
        this.hh = hh;
    }

    public static SampleGrain of(Households hh, int k) {
        SampleGrain g = new SampleGrain(hh);
        List<Integer> left = new ArrayList<>();
        for (int o = 0; o < hh.size; o++) {
            if (hh.inSample(o)) {
                left.add(o);
            }
        }
        left = g.pool(left, o -> "t" + hh.tehsil[o], 4, k);
        left = g.pool(left, o -> "d" + hh.district[o], 3, k);
        left = g.pool(left, o -> "p" + hh.province[o], 1, k);
        left = g.pool(left, o -> "", 0, k);
        if (!left.isEmpty() && left.size() < k) {
            Map<Integer, List<Integer>> bandOnly = g.shows.entrySet().stream().filter(e -> e.getValue() == 0)
                    .map(Map.Entry::getKey).collect(Collectors.groupingBy(o -> band(hh.pmtHundredths[o])));
            List<List<Integer>> smallestFirst = new ArrayList<>(bandOnly.values());
            smallestFirst.sort(Comparator.comparingInt(List::size));
            for (List<Integer> group : smallestFirst) {
                if (left.size() >= k) {
                    break;
                }
                left.addAll(group);
            }
        }
        left.forEach(o -> g.shows.put(o, -1));
        return g;
    }

    /** Groups {@code left} by (area, band); groups of at least k show {@code level}; returns the rest. */
    private List<Integer> pool(List<Integer> left, java.util.function.IntFunction<String> area, int level, int k) {
        Map<String, List<Integer>> groups = left.stream().collect(Collectors.groupingBy(
                o -> area.apply(o) + "/" + band(hh.pmtHundredths[o])));
        List<Integer> rest = new ArrayList<>();
        for (List<Integer> g : groups.values()) {
            if (g.size() >= k) {
                g.forEach(o -> shows.put(o, level));
            } else {
                rest.addAll(g);
            }
        }
        return rest;
    }

    private static int band(int score) {
        return Math.min(score / 500, 20);
    }

    /** The address levels the sample household at {@code ordinal} shows. */
    public List<String> levels(int ordinal) {
        int s = shows.get(ordinal);
        return s <= 0 ? List.of() : LEVELS.subList(0, s);
    }

    /** The band the sample household at {@code ordinal} shows, or null. */
    public String shownBand(int ordinal) {
        int b = band(hh.pmtHundredths[ordinal]);
        return shows.get(ordinal) >= 0 ? b * 5 + "-" + (b * 5 + 5) : null;
    }
}
