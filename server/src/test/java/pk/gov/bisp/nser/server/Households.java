package pk.gov.bisp.nser.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.index.BasicSample;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Disability;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * The test snapshot read straight from its records, ordinal by ordinal: the answer a search should give,
 * computed without the indexes or the query engine.
 */
public final class Households {

    private static Households loaded;

    public final int size;
    public final long[] ids;
    public final int[] province;
    public final int[] district;
    public final int[] tehsil;
    public final int[] pmtHundredths;
    /** At least one living member has a disability (the disabled_member filter). */
    public final boolean[] disabledLiving;
    public final long[] someCnic;
    private final Map<Long, Integer> ordinalById = new HashMap<>();

    private Households(Snapshot s) {
        size = s.householdCount();
        ids = new long[size];
        province = new int[size];
        district = new int[size];
        tehsil = new int[size];
        pmtHundredths = new int[size];
        disabledLiving = new boolean[size];
        someCnic = new long[size];
        Geography geo = s.geography();
        HouseholdRecord r = new HouseholdRecord();
        for (int o = 0; o < size; o++) {
            if (!s.read(o, r)) {
                throw new IllegalStateException("ordinal " + o + " has no record");
            }
            ids[o] = r.householdId();
            province[o] = geo.ancestorOfUc(r.unionCouncil(), GeoLevel.PROVINCE);
            district[o] = geo.ancestorOfUc(r.unionCouncil(), GeoLevel.DISTRICT);
            tehsil[o] = geo.ancestorOfUc(r.unionCouncil(), GeoLevel.TEHSIL);
            pmtHundredths[o] = r.pmtHundredths();
            for (int i = 0; i < r.memberCount(); i++) {
                disabledLiving[o] |= !r.deceased(i) && r.disability(i) != Disability.NONE;
                if (someCnic[o] == 0) {
                    someCnic[o] = r.cnic(i);
                }
            }
            ordinalById.put(r.householdId(), o);
        }
    }

    public static synchronized Households load() throws Exception {
        if (loaded == null) {
            try (Snapshot s = TestServer.openSnapshot()) {
                loaded = new Households(s);
            }
        }
        return loaded;
    }

    /** The ordinal of a household id; fails the test when the id is not in the snapshot. */
    public int ordinalOf(long householdId) {
        Integer o = ordinalById.get(householdId);
        if (o == null) {
            throw new AssertionError("household_id " + householdId + " is not in the snapshot");
        }
        return o;
    }

    /** Ids of the households whose ordinal matches, in ordinal order. */
    public List<Long> idsWhere(IntPredicate ordinal) {
        List<Long> out = new ArrayList<>();
        for (int o = 0; o < size; o++) {
            if (ordinal.test(o)) {
                out.add(ids[o]);
            }
        }
        return out;
    }

    public boolean inSample(int ordinal) {
        return BasicSample.contains(ids[ordinal]);
    }

    /** The most frequent code of a column ({@link #district}, {@link #tehsil}): the largest unit. */
    public int largest(int[] codes) {
        Map<Integer, Integer> n = new HashMap<>();
        for (int c : codes) {
            n.merge(c, 1, Integer::sum);
        }
        return n.entrySet().stream().max(Map.Entry.<Integer, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey();
    }
}
