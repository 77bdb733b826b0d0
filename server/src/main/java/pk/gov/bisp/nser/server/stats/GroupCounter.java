package pk.gov.bisp.nser.server.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.roaringbitmap.BatchIterator;
import org.roaringbitmap.ImmutableBitmapDataProvider;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;
import org.roaringbitmap.buffer.MutableRoaringBitmap;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.index.Dimensions;
import pk.gov.bisp.nser.core.index.HouseholdIndexer;
import pk.gov.bisp.nser.core.index.MemberSlices;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryEngine;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * Fills a {@link StatsTable} for one filter, true counts and cell keys, from bitmap intersections: households per
 * group; members from the household-size bitmaps, households of 12 or more from the living-member slices; a
 * household measure from its bitmap; a member measure from its slices ({@link MemberSlices}: the sum of a
 * household value over a set is {@code Σ 2^i·|set ∧ slice_i|}). A cell's key sums the record keys of its
 * households, for a member count once per member counted ({@code Σ 2^i·keys(set ∧ slice_i)}). A snapshot written
 * before the slices has none: the members of households of 12 or more and a member measure are then read from
 * the records of the filtered households, as they were before the slices (the same figures, slower). Blocking:
 * run on a worker.
 *
 * <p>Locking, and the consistency it gives: the bitmap part (every intersection) is taken under one hold of the
 * snapshot's read lock, so with the slices the whole table describes one state of the registry. Without them,
 * the records are then read in pieces of {@link #PIECE} households, the read lock held for each piece and
 * released between them, so a live update waiting for the write lock gets in between two pieces instead of
 * waiting for the whole table (and the list queries queued behind that waiting writer with it); the key sums are
 * taken on the counter's own bitmaps, outside the lock. Each household is read whole (a record is replaced
 * whole), never half an update; but a member measure read from the records, or the members of a household of 12
 * or more, may count a household as changed by an update that landed during the table (in its new group, if the
 * update moved it), while the household counts describe the state before it.
 *
 * <p>A counter may also be restricted to some households ({@link #within}: the table of those alone, at a cost
 * that follows their number), and may count over the files as written, live updates ignored ({@link #files}):
 * {@link TableCache} keeps a table of the files and corrects it by the households live updates changed.
 */
final class GroupCounter {

    /** Households read per hold of the read lock: a few milliseconds of record reads. */
    static final int PIECE = 4_096;
    /**
     * A table restricted to fewer households than this many per group is counted by {@link #countWithin} (a walk
     * over the households), a larger one by intersections per group: nationally by district, with 5,000 households
     * the walk took 4.6 ms against 6.6, with 60,000 30 ms against 20 (StatsTableBenchmark, changed=5000,60000).
     */
    static final int WALK_UNDER = 100;

    private final Snapshot snapshot;
    private final QueryEngine engine;
    private final RecordKeys keys;
    private final int piece;
    private final Runnable betweenPieces;
    /** True when the member figures come from the slices, false when from the records. */
    private final boolean slices;
    /** The snapshot's bitmaps by name, now or as the files hold them. */
    private final Function<String, ImmutableRoaringBitmap> bitmaps;
    /** Held while the bitmaps are read. */
    private final Lock lock;
    /** The households the table is restricted to, or null for all. */
    private final RoaringBitmap within;
    private final HouseholdRecord record = new HouseholdRecord();
    /** Cells whose households were intersected under the lock, counted and key-summed after it. */
    private final List<Pending> pending = new ArrayList<>();

    /** From the member slices when the snapshot has them, else from the records. */
    GroupCounter(Snapshot snapshot, QueryEngine engine, RecordKeys keys) {
        this(snapshot, engine, keys, PIECE, () -> { }, MemberSlices.present(snapshot.bitmaps().all()), false, null);
    }

    /**
     * The table of the households of {@code within} alone (null: all), as they are now, from the member slices
     * (the snapshot must have them). The bitmaps are read under the snapshot's read lock, so a caller that holds
     * it around this count and the reading of {@code within} gets both from one state.
     */
    static GroupCounter within(Snapshot snapshot, QueryEngine engine, RecordKeys keys, RoaringBitmap within) {
        return new GroupCounter(snapshot, engine, keys, PIECE, () -> { }, true, false, within);
    }

    /**
     * The table of the households of {@code within} (null: all) as the snapshot's files hold them, live updates
     * ignored, from the member slices (the snapshot must have them): it never changes, and needs no lock.
     */
    static GroupCounter files(Snapshot snapshot, RecordKeys keys, RoaringBitmap within) {
        return new GroupCounter(snapshot, QueryEngine.files(snapshot), keys, PIECE, () -> { }, true, true, within);
    }

    /**
     * From the records, with {@code piece} households read per hold of the read lock and {@code betweenPieces} run
     * after each piece, the lock released (tests: an update completing while a table is counted; the record path
     * against the slices).
     */
    GroupCounter(Snapshot snapshot, QueryEngine engine, RecordKeys keys, int piece, Runnable betweenPieces) {
        this(snapshot, engine, keys, piece, betweenPieces, false, false, null);
    }

    private GroupCounter(Snapshot snapshot, QueryEngine engine, RecordKeys keys, int piece, Runnable betweenPieces,
                         boolean slices, boolean files, RoaringBitmap within) {
        if (slices && !MemberSlices.present(snapshot.bitmaps().all())) {
            throw new IllegalArgumentException("snapshot " + snapshot.dir() + " has no member slices");
        }
        if (piece < 1) {
            throw new IllegalArgumentException("piece=" + piece + " must be at least 1");
        }
        this.snapshot = snapshot;
        this.engine = engine;
        this.keys = keys;
        this.piece = piece;
        this.betweenPieces = betweenPieces;
        this.slices = slices;
        this.bitmaps = files ? snapshot.bitmaps()::file : snapshot.bitmaps()::get;
        // the files never change: a read lock no writer takes, so counters over them never wait on each other
        this.lock = files ? new ReentrantReadWriteLock().readLock() : snapshot.readLock();
        this.within = within;
    }

    /** True when this counter takes member figures from the slices. */
    boolean fromSlices() {
        return slices;
    }

    /** The table: its bitmaps read under one hold of the read lock, its records in pieces (see the class). */
    StatsTable count(Query q, Measure measure, GeoLevel level, List<GeoUnit> groups) {
        if (within != null && within.getLongCardinality() < (long) WALK_UNDER * groups.size()) {
            return countWithin(q, measure, level, groups);
        }
        StatsTable t = new StatsTable(groups, measure != null);
        pending.clear();
        Map<Integer, Integer> index = new HashMap<>();
        MutableRoaringBitmap base;
        MutableRoaringBitmap large;
        lock.lock();
        try {
            base = evaluate(q).toMutableRoaringBitmap();
            large = bitmaps(q, base, measure, level, groups, index);
        } finally {
            lock.unlock();
        }
        for (Pending p : pending) {
            t.cells[p.group()][p.column()] += (long) p.times() * p.ordinals().getCardinality();
            t.keys[p.group()][p.column()] += p.times() * keys.sum(snapshot, p.ordinals());
        }
        pending.clear();
        forEach(large, level, index, (g, o, r) -> {
            int living = 0;
            for (int i = 0; i < r.memberCount(); i++) {
                living += r.deceased(i) ? 0 : 1;
            }
            t.cells[g][StatsTable.MEMBERS] += living;
            t.keys[g][StatsTable.MEMBERS] += living * keys.key(snapshot, o);
        });
        if (measure != null && measure.filter() != null) {
            baseIsHouseholds(t);
        } else if (measure != null && !slices) {
            long[][] acc = new long[groups.size()][2];
            long[] before = new long[2];
            forEach(base, level, index, (g, o, r) -> {
                before[0] = acc[g][0];
                before[1] = acc[g][1];
                measure.members().add(r, measure.gender(), acc[g]);
                int key = keys.key(snapshot, o);
                t.keys[g][StatsTable.BASE] += (int) (acc[g][0] - before[0]) * key;
                t.keys[g][StatsTable.COUNT] += (int) (acc[g][1] - before[1]) * key;
            });
            for (int g = 0; g < groups.size(); g++) {
                t.cells[g][StatsTable.BASE] = acc[g][0];
                t.cells[g][StatsTable.COUNT] = acc[g][1];
            }
        }
        t.sumTotals();
        return t;
    }

    /**
     * The table of the households of {@link #within} alone, under one hold of the lock, from the slices: each
     * household's group found once (one intersection per group), then each cell's households over every group at
     * once (one intersection per size bucket and slice, not one per group as well), walked in order and added to
     * their group's cell with their weight and record key. The same cells and keys as the per-group intersections,
     * at a cost that follows the number of households rather than groups x slices.
     */
    private StatsTable countWithin(Query q, Measure measure, GeoLevel level, List<GeoUnit> groups) {
        StatsTable t = new StatsTable(groups, measure != null);
        lock.lock();
        try {
            MutableRoaringBitmap base = evaluate(q).toMutableRoaringBitmap();
            int[] ordinals = base.toArray();
            int[] group = new int[ordinals.length];
            Arrays.fill(group, -1);
            for (int g = 0; g < groups.size(); g++) {
                IntIterator in = ImmutableRoaringBitmap.and(base,
                        bitmaps.apply(HouseholdIndexer.geoName(level, groups.get(g).code()))).getIntIterator();
                while (in.hasNext()) { // a group's households are a few of the walk's: found by halving
                    group[Arrays.binarySearch(ordinals, in.next())] = g;
                }
            }
            Cells cells = (c, households, times) -> walk(ordinals, households, (i, o) -> {
                if (group[i] >= 0) {
                    t.cells[group[i]][c] += times;
                    t.keys[group[i]][c] += times * keys.key(snapshot, o);
                }
            });
            cells.add(StatsTable.HOUSEHOLDS, base, 1);
            for (int s = 1; s <= Dimensions.MAX_SIZE_BUCKET; s++) {
                MutableRoaringBitmap sized = ImmutableRoaringBitmap.and(base,
                        bitmaps.apply(Dimensions.HOUSEHOLD_SIZE.bitmapName(Integer.toString(s))));
                if (s < Dimensions.MAX_SIZE_BUCKET) {
                    cells.add(StatsTable.MEMBERS, sized, s);
                } else {
                    sliced(cells, StatsTable.MEMBERS, sized, MemberSlices::living);
                }
            }
            if (measure != null && measure.filter() != null) {
                cells.add(StatsTable.COUNT, evaluate(q.and(measure.filter())).toMutableRoaringBitmap(), 1);
            } else if (measure != null) {
                sliced(cells, StatsTable.BASE, base,
                        bit -> MemberSlices.slice(measure.members(), measure.gender(), false, bit));
                sliced(cells, StatsTable.COUNT, base,
                        bit -> MemberSlices.slice(measure.members(), measure.gender(), true, bit));
            }
        } finally {
            lock.unlock();
        }
        if (measure != null && measure.filter() != null) {
            baseIsHouseholds(t);
        }
        t.sumTotals();
        return t;
    }

    /** A household measure's base is the households: each group's base cell and key are its households'. */
    private static void baseIsHouseholds(StatsTable t) {
        for (int g = 0; g < t.totalRow(); g++) {
            t.cells[g][StatsTable.BASE] = t.cells[g][StatsTable.HOUSEHOLDS];
            t.keys[g][StatsTable.BASE] = t.keys[g][StatsTable.HOUSEHOLDS];
        }
    }

    /** A cell's households (of one group, or of every group): each adds {@code times} to column {@code c}. */
    private interface Cells {
        void add(int c, MutableRoaringBitmap households, int times);
    }

    /** A household of a walk: its index in the sorted ordinals walked, and its ordinal. */
    private interface Step {
        void accept(int index, int ordinal);
    }

    /**
     * Visits each household of {@code households} (all among the sorted {@code ordinals}) with its index there, in
     * one pass over both.
     */
    private static void walk(int[] ordinals, ImmutableBitmapDataProvider households, Step step) {
        BatchIterator it = households.getBatchIterator();
        int[] batch = new int[256];
        int i = 0;
        while (it.hasNext()) {
            int n = it.nextBatch(batch);
            for (int b = 0; b < n; b++) {
                int o = batch[b];
                while (ordinals[i] != o) {
                    i++;
                }
                step.accept(i, o);
            }
        }
    }

    /** The households matching {@code q} among those the table counts. */
    private RoaringBitmap evaluate(Query q) {
        return within == null ? engine.evaluate(q) : engine.evaluate(q, within);
    }

    /**
     * The bitmap part, under the read lock: every cell's households intersected (counted after the lock), the
     * groups' index filled; returns the filtered households of 12 or more, whose records give their members.
     */
    private MutableRoaringBitmap bitmaps(Query q, MutableRoaringBitmap base, Measure measure, GeoLevel level,
                                         List<GeoUnit> groups, Map<Integer, Integer> index) {
        ImmutableRoaringBitmap[] gb = new ImmutableRoaringBitmap[groups.size()];
        for (int g = 0; g < gb.length; g++) {
            gb[g] = bitmaps.apply(HouseholdIndexer.geoName(level, groups.get(g).code()));
            index.put(groups.get(g).code(), g);
        }
        MutableRoaringBitmap[] inGroup = new MutableRoaringBitmap[gb.length];
        for (int g = 0; g < gb.length; g++) {
            inGroup[g] = ImmutableRoaringBitmap.and(base, gb[g]);
            households(g, StatsTable.HOUSEHOLDS, inGroup[g], 1);
        }
        MutableRoaringBitmap large = null;
        for (int s = 1; s <= Dimensions.MAX_SIZE_BUCKET; s++) {
            ImmutableRoaringBitmap size = bitmaps.apply(Dimensions.HOUSEHOLD_SIZE.bitmapName(Integer.toString(s)));
            MutableRoaringBitmap sized = ImmutableRoaringBitmap.and(base, size);
            if (sized.isEmpty()) {
                continue;
            }
            if (s < Dimensions.MAX_SIZE_BUCKET) {
                for (int g = 0; g < gb.length; g++) {
                    households(g, StatsTable.MEMBERS, ImmutableRoaringBitmap.and(sized, gb[g]), s);
                }
            } else if (slices) {
                for (int g = 0; g < gb.length; g++) {
                    sliced(cellsOf(g), StatsTable.MEMBERS, ImmutableRoaringBitmap.and(sized, gb[g]),
                            MemberSlices::living);
                }
            } else {
                large = sized;
            }
        }
        if (measure != null && measure.filter() != null) {
            MutableRoaringBitmap hit = evaluate(q.and(measure.filter())).toMutableRoaringBitmap();
            for (int g = 0; g < gb.length; g++) {
                households(g, StatsTable.COUNT, ImmutableRoaringBitmap.and(hit, gb[g]), 1);
            }
        } else if (measure != null && slices) {
            for (int g = 0; g < gb.length; g++) {
                sliced(cellsOf(g), StatsTable.BASE, inGroup[g],
                        bit -> MemberSlices.slice(measure.members(), measure.gender(), false, bit));
                sliced(cellsOf(g), StatsTable.COUNT, inGroup[g],
                        bit -> MemberSlices.slice(measure.members(), measure.gender(), true, bit));
            }
        }
        return large;
    }

    /**
     * Column {@code c} of {@code cells} gains the sum over {@code households} of the value sliced in the bitmaps
     * {@code slice} names: {@code 2^i} for each household in slice i (an empty slice skipped). Under the read lock.
     */
    private void sliced(Cells cells, int c, ImmutableRoaringBitmap households, IntFunction<String> slice) {
        if (households.isEmpty()) {
            return;
        }
        for (int bit = 0; bit < MemberSlices.BITS; bit++) {
            ImmutableRoaringBitmap s = bitmaps.apply(slice.apply(bit));
            if (!s.isEmpty()) {
                cells.add(c, ImmutableRoaringBitmap.and(households, s), 1 << bit);
            }
        }
    }

    /** The cells of group {@code g}: counted after the lock. */
    private Cells cellsOf(int g) {
        return (c, households, times) -> households(g, c, households, times);
    }

    /** Cell (g, c) gains {@code ordinals}, {@code times} each (members per household), counted after the lock. */
    private void households(int g, int c, MutableRoaringBitmap ordinals, int times) {
        pending.add(new Pending(g, c, times, ordinals));
    }

    private record Pending(int group, int column, int times, MutableRoaringBitmap ordinals) {
    }

    private interface Visit {
        void accept(int group, int ordinal, HouseholdRecord r);
    }

    /**
     * Reads each household in {@code ordinals} (the counter's own bitmap) and visits it with its group (households
     * outside every group are skipped): {@link #piece} households per hold of the read lock, released between.
     */
    private void forEach(ImmutableRoaringBitmap ordinals, GeoLevel level, Map<Integer, Integer> index, Visit v) {
        if (ordinals == null) {
            return;
        }
        Geography geo = snapshot.geography();
        Lock lock = snapshot.readLock();
        IntIterator it = ordinals.getIntIterator();
        int lastUc = Integer.MIN_VALUE;
        Integer group = null;
        while (it.hasNext()) {
            lock.lock();
            try {
                for (int n = 0; n < piece && it.hasNext(); n++) {
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
            } finally {
                lock.unlock();
            }
            betweenPieces.run();
        }
    }
}
