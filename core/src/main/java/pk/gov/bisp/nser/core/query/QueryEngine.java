package pk.gov.bisp.nser.core.query;

import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.RangeBitmap;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.buffer.BufferFastAggregation;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;
import org.roaringbitmap.buffer.MutableRoaringBitmap;
import pk.gov.bisp.nser.core.index.BitmapIndex;
import pk.gov.bisp.nser.core.index.PmtIndex;

/**
 * Evaluates a {@link Query} over the mapped indexes: the union of each clause's bitmaps, those unions
 * intersected (smallest first), negated clauses removed, then the PMT range applied with the result so far
 * as its context, so the range index only looks at candidate households. Thread-safe: it holds only the
 * immutable mapped indexes.
 */
public final class QueryEngine {

    private final BitmapIndex bitmaps;
    private final RangeBitmap pmt;
    private final long universe;

    public QueryEngine(BitmapIndex bitmaps, PmtIndex pmt) {
        this.bitmaps = bitmaps;
        this.pmt = pmt.range();
        this.universe = bitmaps.universe();
    }

    /** The ordinals of every matching household. */
    public RoaringBitmap evaluate(Query q) {
        RoaringBitmap candidates = candidates(q);
        return q.hasPmtRange() ? pmt.between(q.pmtMin(), q.pmtMax(), candidates) : candidates;
    }

    /** The number of matching households. */
    public long count(Query q) {
        RoaringBitmap candidates = candidates(q);
        return q.hasPmtRange() ? pmt.betweenCardinality(q.pmtMin(), q.pmtMax(), candidates)
                : candidates.getLongCardinality();
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
            out.add(0L, universe);
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
            throw new IllegalStateException("the snapshot has no bitmap " + name);
        }
        return b;
    }
}
