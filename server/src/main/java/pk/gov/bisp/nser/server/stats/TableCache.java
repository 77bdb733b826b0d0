package pk.gov.bisp.nser.server.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.roaringbitmap.RoaringBitmap;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.index.MemberSlices;
import pk.gov.bisp.nser.core.query.Clause;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryEngine;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * The {@code /v1/stats} tables of one snapshot generation, each counted once over the generation's files (its
 * bitmaps as written, which never change) and then, on every request, corrected by the households that live
 * updates changed since: the table now is the files' table, less those households' part as the files hold
 * them, plus their part as they are now. Every cell is a sum over households, each in one group, and so is
 * every cell key (kept modulo 2^32, which keeps it modulo {@link CellKeyPerturbation#KEY_RANGE}), so the
 * correction is exact: the same true counts and keys as counting the whole table now, and so the same
 * published table. A request then costs the changed households' share instead of thousands of intersections over
 * the registry (issue 29: a national table in 0.2-0.5 s otherwise). Their part as the files hold them never
 * changes and the changed households only grow in number within a generation, so that part is kept too, and a
 * request adds only the households changed since it was last extended; their part now is counted each time.
 *
 * <p>Used when the snapshot has the member slices and the filter and measure name only the snapshot's own
 * bitmaps; a partner programme's enrolments (live sets) change outside the snapshot, so such a table is counted
 * whole as before. At most {@link #TABLES} tables are kept, the least recently used dropped; a table wanted by
 * two requests at once is counted once. A fold makes a new generation, and with it a new cache, which
 * {@link #warm} fills with the tables the old one kept ({@link KeptTables}). A cache holds no reference to its
 * snapshot (each call names it), so that it can be kept beside the generation and go with it. Thread-safe.
 */
final class TableCache {

    /** Tables kept per generation. */
    static final int TABLES = 64;

    private final String secret;
    private final boolean slices;
    private final int capacity;
    private final Map<Shape, FutureTask<Kept>> tables;
    /** Tables counted over the whole files so far (tests: a kept table is not counted again). */
    private final AtomicInteger counted = new AtomicInteger();
    /**
     * Told of this cache after each table a request counts (so that its shapes outlive a restart:
     * {@link KeptShapes}).
     */
    private final Consumer<TableCache> onCounted;

    /** @param secret the cell-key secret ({@link RecordKeys#of}), or null */
    TableCache(Snapshot snapshot, String secret) {
        this(snapshot, secret, TABLES, c -> { });
    }

    /** Keeping at most {@code capacity} tables. */
    TableCache(Snapshot snapshot, String secret, int capacity) {
        this(snapshot, secret, capacity, c -> { });
    }

    /**
     * Keeping at most {@code capacity} tables; {@code onCounted} told after each table a request counted whole (not
     * those {@link #warm} counts, whose shapes are known already).
     */
    TableCache(Snapshot snapshot, String secret, int capacity, Consumer<TableCache> onCounted) {
        this.onCounted = onCounted;
        this.secret = secret;
        this.slices = MemberSlices.present(snapshot.bitmaps().all());
        this.capacity = capacity;
        this.tables = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Shape, FutureTask<Kept>> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The table of {@code measure} (null: none) by {@code groups} of {@code level} under {@code q}, true counts and
     * cell keys, as {@code snapshot} (this cache's) is now; {@code engine} evaluates the filter now (with the live
     * sets). Blocking.
     */
    StatsTable count(Snapshot snapshot, QueryEngine engine, Query q, Measure measure, GeoLevel level,
                     List<GeoUnit> groups) {
        RecordKeys keys = RecordKeys.of(snapshot, secret);
        if (!kept(snapshot, q, measure)) {
            return new GroupCounter(snapshot, engine, keys).count(q, measure, level, groups);
        }
        Kept kept = kept(snapshot, new Shape(q, measure, level, groups), keys, true);
        RoaringBitmap changed;
        StatsTable now;
        Lock lock = snapshot.readLock();
        lock.lock();
        try { // the changed households and their part now, from one state
            changed = snapshot.changedOrdinals();
            if (changed.isEmpty()) {
                return kept.files.corrected(null, null);
            }
            now = GroupCounter.within(snapshot, engine, keys, changed).count(q, measure, level, groups);
        } finally {
            lock.unlock();
        }
        StatsTable then = kept.filesPart(changed, c -> GroupCounter.files(snapshot, keys, c)
                .count(q, measure, level, groups));
        return kept.files.corrected(then, now);
    }

    /** Tables counted over the whole files so far. */
    int counted() {
        return counted.get();
    }

    /** True when the table can be kept: the member slices, and only the snapshot's own bitmaps in its filters. */
    private boolean kept(Snapshot snapshot, Query q, Measure measure) {
        return slices && ownBitmaps(snapshot, q)
                && (measure == null || measure.filter() == null || ownBitmaps(snapshot, measure.filter()));
    }

    private static boolean ownBitmaps(Snapshot snapshot, Query q) {
        for (Clause c : q.clauses()) {
            for (String name : c.bitmaps()) {
                if (snapshot.bitmaps().file(name) == null) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Counts over this generation's files every table {@code previous} (the generation before) keeps, that this
     * one does not yet, in the order it used them (so the two drop the same ones first): so that the first
     * requests after a fold find their tables kept; a request that comes first counts its own, once. Blocking: on a
     * worker.
     */
    void warm(TableCache previous, Snapshot snapshot) {
        warm(previous.shapes(), snapshot);
    }

    /**
     * Counts over this generation's files the tables of {@code shapes} (least recently used first) that it can keep
     * and does not yet: those a generation before kept, or a server before a restart ({@link KeptShapes}).
     * Blocking: not on an event loop.
     */
    void warm(List<Shape> shapes, Snapshot snapshot) {
        if (!slices) {
            return;
        }
        RecordKeys keys = RecordKeys.of(snapshot, secret);
        for (Shape shape : shapes.subList(Math.max(0, shapes.size() - capacity), shapes.size())) {
            if (kept(snapshot, shape.query, shape.measure)) {
                kept(snapshot, shape, keys, false); // shapes already known: nothing new to tell
            }
        }
    }

    /** The shapes of the tables kept, least recently used first. */
    List<Shape> shapes() {
        synchronized (tables) {
            return new ArrayList<>(tables.keySet());
        }
    }

    /**
     * The kept table of {@code shape}, counted over {@code snapshot} if it is not kept (once, whoever asks); a table a
     * request counted ({@code asked}) is told to {@link #onCounted}.
     */
    private Kept kept(Snapshot snapshot, Shape shape, RecordKeys keys, boolean asked) {
        FutureTask<Kept> task;
        boolean mine = false;
        synchronized (tables) {
            task = tables.get(shape);
            if (task == null) {
                task = new FutureTask<>(() -> {
                    counted.incrementAndGet();
                    return new Kept(GroupCounter.files(snapshot, keys, null).count(shape.query, shape.measure,
                            shape.level, shape.groups));
                });
                tables.put(shape, task);
                mine = true;
            }
        }
        if (mine) {
            task.run();
        }
        try {
            Kept k = task.get();
            if (mine && asked) {
                onCounted.accept(this);
            }
            return k;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a statistics table was counted", e);
        } catch (ExecutionException e) {
            synchronized (tables) {
                tables.remove(shape, task);
            }
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** A table of the files, and the part of it that changed households hold, for those it covers so far. */
    private static final class Kept {

        final StatsTable files;
        /** The changed households {@link #part} covers; guarded by this. */
        private RoaringBitmap covered = new RoaringBitmap();
        /** Their part of {@link #files}, or null for none; replaced, never changed; guarded by this. */
        private StatsTable part;

        Kept(StatsTable files) {
            this.files = files;
        }

        /**
         * The part of the files' table that the households of {@code changed} hold, {@code count} counting it for
         * a set of households: the kept part extended by those not yet covered. A request that read fewer changed
         * households than another already covered (it read them first, the other extended the part first) counts
         * its own part whole.
         */
        synchronized StatsTable filesPart(RoaringBitmap changed, Function<RoaringBitmap, StatsTable> count) {
            if (!RoaringBitmap.andNot(covered, changed).isEmpty()) {
                return count.apply(changed);
            }
            RoaringBitmap more = RoaringBitmap.andNot(changed, covered);
            if (!more.isEmpty()) {
                StatsTable added = count.apply(more);
                part = part == null ? added : part.corrected(null, added);
                covered = RoaringBitmap.or(covered, more);
            }
            return part;
        }
    }

    /** What a kept table counts: the filter, the measure (null: none), and the groups of a level. */
    record Shape(Query query, Measure measure, GeoLevel level, List<GeoUnit> groups) {
    }
}
