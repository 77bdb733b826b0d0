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
 * Fills a {@link StatsTable} for one filter, true counts and cell keys: households per group from bitmap
 * intersections; members from the household-size bitmaps (reading records only for households of 12 or more);
 * a household measure from its bitmap; a member measure by reading the records of the filtered households. A
 * cell's key sums the record keys of its households, for a member count once per member counted. Blocking: run
 * on a worker.
 */
final class GroupCounter {

    private final Snapshot snapshot;
    private final QueryEngine engine;
    private final RecordKeys keys;
    private final HouseholdRecord record = new HouseholdRecord();

    GroupCounter(Snapshot snapshot, QueryEngine engine, RecordKeys keys) {
        this.snapshot = snapshot;
        this.engine = engine;
        this.keys = keys;
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
            households(t, g, StatsTable.HOUSEHOLDS, ImmutableRoaringBitmap.and(base, gb[g]), 1);
        }
        members(t, base, gb, level, index);
        if (measure != null && measure.filter() != null) {
            MutableRoaringBitmap hit = engine.evaluate(q.and(measure.filter())).toMutableRoaringBitmap();
            for (int g = 0; g < gb.length; g++) {
                households(t, g, StatsTable.COUNT, ImmutableRoaringBitmap.and(hit, gb[g]), 1);
                t.cells[g][StatsTable.BASE] = t.cells[g][StatsTable.HOUSEHOLDS];
                t.keys[g][StatsTable.BASE] = t.keys[g][StatsTable.HOUSEHOLDS];
            }
        } else if (measure != null) {
            long[][] acc = new long[gb.length][2];
            long[] before = new long[2];
            forEach(base, level, index, (g, o, r) -> {
                before[0] = acc[g][0];
                before[1] = acc[g][1];
                measure.members().add(r, measure.gender(), acc[g]);
                int key = keys.key(snapshot, o);
                t.keys[g][StatsTable.BASE] += (int) (acc[g][0] - before[0]) * key;
                t.keys[g][StatsTable.COUNT] += (int) (acc[g][1] - before[1]) * key;
            });
            for (int g = 0; g < gb.length; g++) {
                t.cells[g][StatsTable.BASE] = acc[g][0];
                t.cells[g][StatsTable.COUNT] = acc[g][1];
            }
        }
        t.sumTotals();
        return t;
    }

    /** Adds {@code ordinals}, {@code times} each (members per household), to cell (g, c) and its key. */
    private void households(StatsTable t, int g, int c, ImmutableRoaringBitmap ordinals, int times) {
        t.cells[g][c] += (long) times * ordinals.getCardinality();
        t.keys[g][c] += times * keys.sum(snapshot, ordinals);
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
                    households(t, g, StatsTable.MEMBERS, ImmutableRoaringBitmap.and(sized, gb[g]), s);
                }
            } else {
                forEach(sized, level, index, (g, o, r) -> {
                    int living = 0;
                    for (int i = 0; i < r.memberCount(); i++) {
                        living += r.deceased(i) ? 0 : 1;
                    }
                    t.cells[g][StatsTable.MEMBERS] += living;
                    t.keys[g][StatsTable.MEMBERS] += living * keys.key(snapshot, o);
                });
            }
        }
    }

    private interface Visit {
        void accept(int group, int ordinal, HouseholdRecord r);
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
                v.accept(group, o, record);
            }
        }
    }
}
