package pk.gov.bisp.nser.server.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/** A statistics table's true counts the slow way, over every record: what the stats tests compare tables with. */
final class StatsBruteForce {

    private StatsBruteForce() {
    }

    /**
     * Per group: households, living members, and the member measure's base and count (zero when {@code measure} is
     * null), from every record.
     */
    static long[][] perGroup(Snapshot s, Measure measure, List<GeoUnit> groups) {
        Map<Integer, Integer> index = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            index.put(groups.get(g).code(), g);
        }
        GeoLevel level = groups.get(0).level();
        long[][] out = new long[groups.size()][4];
        HouseholdRecord r = new HouseholdRecord();
        for (int o = 0; o < s.householdCount(); o++) {
            assertTrue(s.read(o, r));
            Integer g = index.get(s.geography().ancestorOfUc(r.unionCouncil(), level));
            if (g == null) {
                continue;
            }
            out[g][0]++;
            for (int i = 0; i < r.memberCount(); i++) {
                out[g][1] += r.deceased(i) ? 0 : 1;
            }
            if (measure != null) {
                long[] acc = new long[2];
                measure.members().add(r, measure.gender(), acc);
                out[g][2] += acc[0];
                out[g][3] += acc[1];
            }
        }
        return out;
    }
}
