package pk.gov.bisp.nser.core.query;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
 * evaluation holds the snapshot's read lock, so it sees every live update whole. An engine over the files
 * ({@link #files}) answers for the snapshot as written, live updates ignored, and needs no lock.
 */
public final class QueryEngine {

    private final Snapshot snapshot;
    private final BitmapIndex bitmaps;
    private final RangeBitmap pmt;
    private final LiveSets live;
    /** True when this engine reads the files as written ({@link #files}). */
    private final boolean files;
    private final Lock lock;

    public QueryEngine(Snapshot snapshot) {
        this(snapshot, LiveSets.NONE);
    }

    /** An engine that also resolves the live sets' bitmaps (partner programmes' enrolments). */
    public QueryEngine(Snapshot snapshot, LiveSets live) {
        this(snapshot, live, false);
    }

    private QueryEngine(Snapshot snapshot, LiveSets live, boolean files) {
        this.snapshot = snapshot;
        this.live = live;
        this.bitmaps = snapshot.bitmaps();
        this.pmt = snapshot.pmt().range();
        this.files = files;
        // the files never change: a read lock no writer ever takes, so evaluations do not wait on each other
        this.lock = files ? new ReentrantReadWriteLock().readLock() : snapshot.readLock();
    }

    /**
     * An engine over the snapshot's files as they were written: the mapped bitmaps and PMT index, whatever live
     * updates changed since, and no live sets. Its answers never change, so they can be kept.
     */
    public static QueryEngine files(Snapshot snapshot) {
        return new QueryEngine(snapshot, LiveSets.NONE, true);
    }

    /** The ordinals of every matching household. */
    public RoaringBitmap evaluate(Query q) {
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
            return q.hasPmtRange() ? pmtBetween(q.pmtMin(), q.pmtMax(), candidates) : candidates;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The ordinals of the matching households among {@code within} (not changed): the same as
     * {@code evaluate(q)} intersected with it, at a cost that follows {@code within}'s size rather than the
     * registry's.
     */
    public RoaringBitmap evaluate(Query q, RoaringBitmap within) {
        lock.lock();
        try {
            Plan p = plan(q);
            MutableRoaringBitmap out = within.toMutableRoaringBitmap();
            out.remove(universeSize(), 0x1_0000_0000L);
            for (ImmutableRoaringBitmap b : p.include) {
                out.and(b);
            }
            if (p.excluded != null) {
                out.andNot(p.excluded);
            }
            RoaringBitmap candidates = out.toRoaringBitmap();
            return q.hasPmtRange() ? pmtBetween(q.pmtMin(), q.pmtMax(), candidates) : candidates;
        } finally {
            lock.unlock();
        }
    }

    /** True when live updates have changed something this engine reads (never for an engine over the files). */
    private boolean updated() {
        return !files && snapshot.updatedCount() != 0;
    }

    /** Households of {@code context} whose score is within {@code [min, max]}. */
    private RoaringBitmap pmtBetween(int min, int max, RoaringBitmap context) {
        return files ? pmt.between(min, max, context) : snapshot.pmtBetween(min, max, context);
    }

    private long universeSize() {
        return files ? bitmaps.fileUniverse() : bitmaps.universe();
    }

    /**
     * The number of matching households. A query of negated clauses only ("under the cut-off and served by no
     * programme") counts the PMT range's households less the excluded ones (or everyone less the excluded): the
     * complement of the excluded set is never built.
     */
    public long count(Query q) {
        lock.lock();
        try {
            Plan p = plan(q);
            if (!p.include.isEmpty()) {
                RoaringBitmap candidates = p.candidates().toRoaringBitmap();
                if (!q.hasPmtRange()) {
                    return candidates.getLongCardinality();
                }
                return !updated() ? pmt.betweenCardinality(q.pmtMin(), q.pmtMax(), candidates)
                        : pmtBetween(q.pmtMin(), q.pmtMax(), candidates).getLongCardinality();
            }
            if (!q.hasPmtRange()) {
                return universeSize() - (p.excluded == null ? 0
                        : p.excluded.rangeCardinality(0, universeSize()));
            }
            if (p.excluded == null) {
                return !updated() ? pmt.betweenCardinality(q.pmtMin(), q.pmtMax())
                        : inRange(q).getLongCardinality();
            }
            return RoaringBitmap.andNotCardinality(inRange(q), p.excludedHeap());
        } finally {
            lock.unlock();
        }
    }

    /** Every household within the query's PMT range: a new bitmap. */
    private RoaringBitmap inRange(Query q) {
        return !updated() ? pmt.between(q.pmtMin(), q.pmtMax())
                : pmtBetween(q.pmtMin(), q.pmtMax(), universe());
    }

    private RoaringBitmap universe() {
        RoaringBitmap all = new RoaringBitmap();
        all.add(0L, universeSize());
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
                out.add(0L, universeSize());
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
            if (any != null && snapshotBitmap(name) == null && isLiveProgramme(name)) {
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

    /** The snapshot's bitmap {@code name} as this engine reads it, or null. */
    private ImmutableRoaringBitmap snapshotBitmap(String name) {
        return files ? bitmaps.file(name) : bitmaps.get(name);
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
        ImmutableRoaringBitmap b = snapshotBitmap(name);
        if (b == null) {
            b = live.bitmap(name);
        }
        if (b == null) {
            throw new IllegalStateException("the snapshot has no bitmap " + name);
        }
        return b;
    }
}
