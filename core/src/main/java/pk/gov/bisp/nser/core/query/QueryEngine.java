package pk.gov.bisp.nser.core.query;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import org.roaringbitmap.RangeBitmap;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.buffer.BufferFastAggregation;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;
import org.roaringbitmap.buffer.MutableRoaringBitmap;
import pk.gov.bisp.nser.core.index.BitmapIndex;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * Evaluates a {@link Query} over the snapshot's indexes: the union of each clause's bitmaps, those unions
 * intersected (smallest first), negated clauses removed, then the PMT range applied with the result so far
 * as its context, so the range index only looks at candidate households. A query whose clauses are all negated
 * starts from the PMT range's households and takes each negated clause's bitmaps out of them (counted without a PMT
 * range: everyone less the union's count): the complement of the negated clauses is never built. Thread-safe: each
 * evaluation holds the snapshot's read lock, so it sees every live update whole.
 */
public final class QueryEngine {

    private final Snapshot snapshot;
    private final BitmapIndex bitmaps;
    private final RangeBitmap pmt;
    private final LiveSets live;

    public QueryEngine(Snapshot snapshot) {
        this(snapshot, LiveSets.NONE);
    }

    /** An engine that also resolves the live sets' bitmaps (partner programmes' enrolments). */
    public QueryEngine(Snapshot snapshot, LiveSets live) {
        this.snapshot = snapshot;
        this.live = live;
        this.bitmaps = snapshot.bitmaps();
        this.pmt = snapshot.pmt().range();
    }

    /** The ordinals of every matching household. */
    public RoaringBitmap evaluate(Query q) {
        Lock lock = snapshot.readLock();
        lock.lock();
        try {
            Plan p = plan(q);
            if (p.include.isEmpty() && q.hasPmtRange()) { // the range over everyone, less the excluded
                RoaringBitmap inRange = snapshot.pmtBetween(q.pmtMin(), q.pmtMax(), universe());
                return p.exclude.isEmpty() ? inRange : p.without(inRange).toRoaringBitmap();
            }
            RoaringBitmap candidates = p.candidates().toRoaringBitmap();
            return q.hasPmtRange() ? snapshot.pmtBetween(q.pmtMin(), q.pmtMax(), candidates) : candidates;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The number of matching households. A query of negated clauses only ("under the cut-off and served by no
     * programme") takes the excluded households out of the PMT range's households (or counts everyone less their
     * union): the complement of the excluded set is never built.
     */
    public long count(Query q) {
        Lock lock = snapshot.readLock();
        lock.lock();
        try {
            Plan p = plan(q);
            if (!p.include.isEmpty() || !p.exclude.isEmpty() && !q.hasPmtRange()) {
                if (p.include.isEmpty()) { // everyone but the union of the excluded
                    ImmutableRoaringBitmap union = p.exclude.size() == 1 ? p.exclude.get(0)
                            : BufferFastAggregation.or(p.exclude.toArray(ImmutableRoaringBitmap[]::new));
                    return bitmaps.universe() - union.rangeCardinality(0, bitmaps.universe());
                }
                RoaringBitmap candidates = p.candidates().toRoaringBitmap();
                if (!q.hasPmtRange()) {
                    return candidates.getLongCardinality();
                }
                return snapshot.updatedCount() == 0 ? pmt.betweenCardinality(q.pmtMin(), q.pmtMax(), candidates)
                        : snapshot.pmtBetween(q.pmtMin(), q.pmtMax(), candidates).getLongCardinality();
            }
            if (!q.hasPmtRange()) {
                return bitmaps.universe();
            }
            if (p.exclude.isEmpty() && snapshot.updatedCount() == 0) {
                return pmt.betweenCardinality(q.pmtMin(), q.pmtMax());
            }
            RoaringBitmap inRange = snapshot.updatedCount() == 0 ? pmt.between(q.pmtMin(), q.pmtMax())
                    : snapshot.pmtBetween(q.pmtMin(), q.pmtMax(), universe());
            return p.exclude.isEmpty() ? inRange.getLongCardinality() : p.without(inRange).getLongCardinality();
        } finally {
            lock.unlock();
        }
    }

    private RoaringBitmap universe() {
        RoaringBitmap all = new RoaringBitmap();
        all.add(0L, bitmaps.universe());
        return all;
    }

    /** A query's clauses as bitmaps: each plain clause's union, and every bitmap of every negated clause. */
    private Plan plan(Query q) {
        List<ImmutableRoaringBitmap> include = new ArrayList<>();
        List<ImmutableRoaringBitmap> exclude = new ArrayList<>();
        for (Clause c : q.clauses()) {
            if (c.negated()) { // not in (a or b) = not in a, and not in b
                c.bitmaps().forEach(name -> exclude.add(bitmap(name)));
            } else {
                include.add(union(c));
            }
        }
        return new Plan(include, exclude);
    }

    /** The bitmaps of a query's clauses, read under the read lock and never changed. */
    private final class Plan {
        final List<ImmutableRoaringBitmap> include;
        final List<ImmutableRoaringBitmap> exclude;

        Plan(List<ImmutableRoaringBitmap> include, List<ImmutableRoaringBitmap> exclude) {
            this.include = include;
            this.exclude = exclude;
        }

        /** A new bitmap of {@code households} less every excluded one. */
        MutableRoaringBitmap without(RoaringBitmap households) {
            MutableRoaringBitmap out = households.toMutableRoaringBitmap();
            for (ImmutableRoaringBitmap x : exclude) {
                out.andNot(x);
            }
            return out;
        }

        /**
         * Households matching every clause, before the PMT range: a new bitmap. A single clause's bitmap is copied
         * with {@code toMutableRoaringBitmap()}, which reads a live update's heap bitmap through duplicated buffers
         * ({@code toRoaringBitmap()} reads each container through its own buffer position, which concurrent readers
         * would race on).
         */
        MutableRoaringBitmap candidates() {
            MutableRoaringBitmap out;
            if (include.isEmpty()) {
                out = new MutableRoaringBitmap();
                out.add(0L, bitmaps.universe());
            } else if (include.size() == 1) {
                out = include.get(0).toMutableRoaringBitmap();
            } else {
                out = BufferFastAggregation.and(include.toArray(ImmutableRoaringBitmap[]::new));
            }
            for (ImmutableRoaringBitmap x : exclude) {
                out.andNot(x);
            }
            return out;
        }
    }

    private ImmutableRoaringBitmap union(Clause c) {
        List<String> names = c.bitmaps();
        if (names.size() == 1) {
            return bitmap(names.get(0));
        }
        ImmutableRoaringBitmap[] parts = new ImmutableRoaringBitmap[names.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = bitmap(names.get(i));
        }
        return BufferFastAggregation.or(parts);
    }

    private ImmutableRoaringBitmap bitmap(String name) {
        ImmutableRoaringBitmap b = bitmaps.get(name);
        if (b == null) {
            b = live.bitmap(name);
        }
        if (b == null) {
            throw new IllegalStateException("the snapshot has no bitmap " + name);
        }
        return b;
    }
}
