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
 * as its context, so the range index only looks at candidate households. Thread-safe: each evaluation holds
 * the snapshot's read lock, so it sees every live update whole.
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
            RoaringBitmap candidates = candidates(q);
            return q.hasPmtRange() ? snapshot.pmtBetween(q.pmtMin(), q.pmtMax(), candidates) : candidates;
        } finally {
            lock.unlock();
        }
    }

    /** The number of matching households. */
    public long count(Query q) {
        Lock lock = snapshot.readLock();
        lock.lock();
        try {
            RoaringBitmap candidates = candidates(q);
            if (!q.hasPmtRange()) {
                return candidates.getLongCardinality();
            }
            return snapshot.updatedCount() == 0 ? pmt.betweenCardinality(q.pmtMin(), q.pmtMax(), candidates)
                    : snapshot.pmtBetween(q.pmtMin(), q.pmtMax(), candidates).getLongCardinality();
        } finally {
            lock.unlock();
        }
    }

    /** Households matching every clause, before the PMT range. */
    private RoaringBitmap candidates(Query q) {
        List<ImmutableRoaringBitmap> include = new ArrayList<>();
        List<ImmutableRoaringBitmap> exclude = new ArrayList<>();
        for (Clause c : q.clauses()) {
            (c.negated() ? exclude : include).add(union(c));
        }
        if (include.size() == 1 && exclude.isEmpty()) {
            return include.get(0).toRoaringBitmap();
        }
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
        return out.toRoaringBitmap();
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
