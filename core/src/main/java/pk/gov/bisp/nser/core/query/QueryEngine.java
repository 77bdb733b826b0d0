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
 * as its context, so the range index only looks at candidate households. Negated clauses are merged into one
 * union (the partner programmes' live union standing for all of them); a query whose clauses are all negated starts
 * from the PMT range's households and takes that union out of them (counted without a PMT range: everyone less the
 * union's count), so the complement of the negated clauses is never built. Thread-safe: each
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
                RoaringBitmap inRange = inRange(q);
                if (p.excluded != null) {
                    inRange.andNot(p.excludedHeap());
                }
                return inRange;
            }
            RoaringBitmap candidates = p.candidates().toRoaringBitmap();
            return q.hasPmtRange() ? snapshot.pmtBetween(q.pmtMin(), q.pmtMax(), candidates) : candidates;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The number of matching households. A query of negated clauses only ("under the cut-off and served by no
     * programme") counts the PMT range's households less the excluded ones (or everyone less the excluded): the
     * complement of the excluded set is never built.
     */
    public long count(Query q) {
        Lock lock = snapshot.readLock();
        lock.lock();
        try {
            Plan p = plan(q);
            if (!p.include.isEmpty()) {
                RoaringBitmap candidates = p.candidates().toRoaringBitmap();
                if (!q.hasPmtRange()) {
                    return candidates.getLongCardinality();
                }
                return snapshot.updatedCount() == 0 ? pmt.betweenCardinality(q.pmtMin(), q.pmtMax(), candidates)
                        : snapshot.pmtBetween(q.pmtMin(), q.pmtMax(), candidates).getLongCardinality();
            }
            if (!q.hasPmtRange()) {
                return bitmaps.universe() - (p.excluded == null ? 0
                        : p.excluded.rangeCardinality(0, bitmaps.universe()));
            }
            if (p.excluded == null) {
                return snapshot.updatedCount() == 0 ? pmt.betweenCardinality(q.pmtMin(), q.pmtMax())
                        : inRange(q).getLongCardinality();
            }
            return RoaringBitmap.andNotCardinality(inRange(q), p.excludedHeap());
        } finally {
            lock.unlock();
        }
    }

    /** Every household within the query's PMT range: a new bitmap. */
    private RoaringBitmap inRange(Query q) {
        return snapshot.updatedCount() == 0 ? pmt.between(q.pmtMin(), q.pmtMax())
                : snapshot.pmtBetween(q.pmtMin(), q.pmtMax(), universe());
    }

    private RoaringBitmap universe() {
        RoaringBitmap all = new RoaringBitmap();
        all.add(0L, bitmaps.universe());
        return all;
    }

    /**
     * A copy of a bitmap that shares nothing with it. Not {@code toRoaringBitmap()} alone: on a bitmap a live update
     * made a heap one, it reads each container through the container's own buffer position (rewind, get), which
     * concurrent readers would race on; {@code toMutableRoaringBitmap()} copies through duplicated buffers.
     */
    private static RoaringBitmap heapCopy(ImmutableRoaringBitmap b) {
        return b.toMutableRoaringBitmap().toRoaringBitmap();
    }

    /**
     * A query's clauses as bitmaps: each plain clause's union, and one union of every bitmap of every negated
     * clause (null when none is negated). The live sets' union of every partner programme stands for all of them when
     * a clause names them all ({@code not_programme=any}): one bitmap to merge instead of one per programme.
     */
    private Plan plan(Query q) {
        List<ImmutableRoaringBitmap> include = new ArrayList<>();
        List<ImmutableRoaringBitmap> exclude = new ArrayList<>();
        for (Clause c : q.clauses()) {
            if (c.negated()) { // not in (a or b) = not in a, and not in b
                exclude.addAll(bitmaps(c));
            } else {
                include.add(union(c));
            }
        }
        if (exclude.size() <= 1) {
            return new Plan(include, exclude.isEmpty() ? null : exclude.get(0), false);
        }
        return new Plan(include, BufferFastAggregation.or(exclude.toArray(ImmutableRoaringBitmap[]::new)), true);
    }

    /** The bitmaps of a query's clauses, read under the read lock and never changed. */
    private final class Plan {
        final List<ImmutableRoaringBitmap> include;
        final ImmutableRoaringBitmap excluded;
        /** True when {@code excluded} is a union made for this query (no other thread sees it). */
        final boolean own;

        Plan(List<ImmutableRoaringBitmap> include, ImmutableRoaringBitmap excluded, boolean own) {
            this.include = include;
            this.excluded = excluded;
            this.own = own;
        }

        /** {@code excluded} as a heap bitmap that shares nothing with the indexes. */
        RoaringBitmap excludedHeap() {
            return own ? ((MutableRoaringBitmap) excluded).toRoaringBitmap() : heapCopy(excluded);
        }

        /**
         * Households matching every clause, before the PMT range: a new bitmap. A single clause's bitmap is copied
         * with {@code toMutableRoaringBitmap()} (see {@link #heapCopy}).
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
            if (excluded != null) {
                out.andNot(excluded);
            }
            return out;
        }
    }

    /** A clause's bitmaps: every partner programme's as the live sets' one union of them when it names them all. */
    private List<ImmutableRoaringBitmap> bitmaps(Clause c) {
        List<String> names = c.bitmaps();
        List<ImmutableRoaringBitmap> out = new ArrayList<>(names.size());
        ImmutableRoaringBitmap any = live.programmes().isEmpty() ? null : live.any();
        int partners = 0;
        for (String name : names) {
            if (any != null && bitmaps.get(name) == null && isLiveProgramme(name)) {
                partners++;
            } else {
                out.add(bitmap(name));
            }
        }
        if (partners == live.programmes().size()) {
            if (partners > 0) {
                out.add(any);
            }
        } else { // some of them only: each
            out.clear();
            names.forEach(n -> out.add(bitmap(n)));
        }
        return out;
    }

    private boolean isLiveProgramme(String name) {
        String prefix = pk.gov.bisp.nser.core.index.Dimensions.PROGRAMME.bitmapName("");
        return name.startsWith(prefix) && live.programmes().contains(name.substring(prefix.length()));
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
