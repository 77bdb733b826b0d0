package pk.gov.bisp.nser.server.stats;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;
import org.roaringbitmap.buffer.MutableRoaringBitmap;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.index.Dimensions;
import pk.gov.bisp.nser.core.index.HouseholdIndexer;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryEngine;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * Fills a {@link StatsTable} for one filter: households per group from bitmap intersections; members from the
 * household-size bitmaps (reading records only for households of 12 or more); a household measure from its
 * bitmap; a member measure by reading the records of the filtered households. Blocking: run on a worker.
 */
final class GroupCounter {

    private final Snapshot snapshot;
    private final QueryEngine engine;
    private final HouseholdRecord record = new HouseholdRecord();

    GroupCounter(Snapshot snapshot, QueryEngine engine) {
        this.snapshot = snapshot;
        this.engine = engine;
    }

    /** The table, read under the snapshot's read lock so a live update is seen whole or not at all. */
    StatsTable count(Query q, Measure measure, GeoLevel level, List<GeoUnit> groups) {
        java.util.concurrent.locks.Lock lock = snapshot.readLock();
        lock.lock();
        try {
            return countLocked(q, measure, level, groups);
        } finally {
            lock.unlock();
        }
    }

    private StatsTable countLocked(Query q, Measure measure, GeoLevel level, List<GeoUnit> groups) {
        StatsTable t = new StatsTable(groups, measure != null);
        ImmutableRoaringBitmap[] gb = new ImmutableRoaringBitmap[groups.size()];
        Map<Integer, Integer> index = new HashMap<>();
        for (int g = 0; g < gb.length; g++) {
            gb[g] = snapshot.bitmaps().get(HouseholdIndexer.geoName(level, groups.get(g).code()));
            index.put(groups.get(g).code(), g);
        }
        MutableRoaringBitmap base = engine.evaluate(q).toMutableRoaringBitmap();
        for (int g = 0; g < gb.length; g++) {
            t.cells[g][StatsTable.HOUSEHOLDS] = ImmutableRoaringBitmap.andCardinality(base, gb[g]);
        }
        members(t, base, gb, level, index);
        if (measure != null && measure.filter() != null) {
            MutableRoaringBitmap hit = engine.evaluate(q.and(measure.filter())).toMutableRoaringBitmap();
            for (int g = 0; g < gb.length; g++) {
                t.cells[g][StatsTable.COUNT] = ImmutableRoaringBitmap.andCardinality(hit, gb[g]);
                t.cells[g][StatsTable.BASE] = t.cells[g][StatsTable.HOUSEHOLDS];
            }
        } else if (measure != null) {
            long[][] acc = new long[gb.length][2];
            forEach(base, level, index, (g, r) -> measure.members().add(r, measure.gender(), acc[g]));
            for (int g = 0; g < gb.length; g++) {
                t.cells[g][StatsTable.BASE] = acc[g][0];
                t.cells[g][StatsTable.COUNT] = acc[g][1];
            }
        }
        t.sumTotals();
        return t;
    }

    /** Living members: size bucket times households for 1..11, records read for the open-ended bucket. */
    private void members(StatsTable t, MutableRoaringBitmap base, ImmutableRoaringBitmap[] gb, GeoLevel level,
                         Map<Integer, Integer> index) {
        for (int s = 1; s <= Dimensions.MAX_SIZE_BUCKET; s++) {
            ImmutableRoaringBitmap size = snapshot.bitmaps().get(
                    Dimensions.HOUSEHOLD_SIZE.bitmapName(Integer.toString(s)));
            MutableRoaringBitmap sized = ImmutableRoaringBitmap.and(base, size);
            if (s < Dimensions.MAX_SIZE_BUCKET) {
                for (int g = 0; g < gb.length; g++) {
                    t.cells[g][StatsTable.MEMBERS] += (long) s * ImmutableRoaringBitmap.andCardinality(sized, gb[g]);
                }
            } else {
                forEach(sized, level, index, (g, r) -> {
                    int living = 0;
                    for (int i = 0; i < r.memberCount(); i++) {
                        living += r.deceased(i) ? 0 : 1;
                    }
                    t.cells[g][StatsTable.MEMBERS] += living;
                });
            }
        }
    }

    private interface Visit {
        void accept(int group, HouseholdRecord r);
    }

    /** Reads each household in {@code ordinals} and visits it with its group (households outside every group are skipped). */
    private void forEach(ImmutableRoaringBitmap ordinals, GeoLevel level, Map<Integer, Integer> index, Visit v) {
        Geography geo = snapshot.geography();
        IntIterator it = ordinals.getIntIterator();
        int lastUc = Integer.MIN_VALUE;
        Integer group = null;
        while (it.hasNext()) {
            int o = it.next();
            if (!snapshot.read(o, record)) {
                throw new IllegalStateException("household ordinal " + o + " is indexed but has no record");
            }
            if (record.unionCouncil() != lastUc) {
                lastUc = record.unionCouncil();
                group = index.get(geo.ancestorOfUc(lastUc, level));
            }
            if (group != null) {
                v.accept(group, record);
            }
        }
    }
}
