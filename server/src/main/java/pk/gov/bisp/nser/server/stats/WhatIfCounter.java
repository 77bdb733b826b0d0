package pk.gov.bisp.nser.server.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;
import org.roaringbitmap.buffer.MutableRoaringBitmap;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.index.HouseholdIndexer;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryEngine;
import pk.gov.bisp.nser.core.rescore.OrdinalScorer;
import pk.gov.bisp.nser.core.rescore.Parallel;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * Fills the what-if table for one filter: per group, households, those under the current cut-off now (the
 * PMT index; a household changed by a live update, its record), those a candidate model and cut-off would put
 * under it (scored from the indicator column; a changed household, from its record), and how many would enter
 * or leave. The filtered households of each group are split into ranges of ordinals scored in parallel.
 * Blocking: run on a worker. Changes nothing.
 */
final class WhatIfCounter {

    static final int HOUSEHOLDS = 0;
    static final int ELIGIBLE_NOW = 1;
    static final int ELIGIBLE_CANDIDATE = 2;
    static final int ENTERING = 3;
    static final int LEAVING = 4;
    static final String[] COLUMNS = {"households", "eligible_now", "eligible_candidate", "entering", "leaving"};
    /** Each eligible count is a part of the households; candidate = now + entering - leaving. */
    private static final int[][] COMPLEMENTS = {{ELIGIBLE_NOW, HOUSEHOLDS}, {ELIGIBLE_CANDIDATE, HOUSEHOLDS}};
    private static final int[][] IDENTITIES = {{ELIGIBLE_NOW, ELIGIBLE_CANDIDATE, ENTERING, LEAVING}};
    private static final int RANGE = 1 << 18;

    private final Snapshot snapshot;
    private final QueryEngine engine;
    private final int threads;
    private final IntPredicate updated;

    WhatIfCounter(Snapshot snapshot, QueryEngine engine, int threads) {
        this(snapshot, engine, threads, snapshot::updated);
    }

    /** With {@code updated} standing in for {@link Snapshot#updated} (tests of the record path). */
    WhatIfCounter(Snapshot snapshot, QueryEngine engine, int threads, IntPredicate updated) {
        this.snapshot = snapshot;
        this.engine = engine;
        this.threads = threads;
        this.updated = updated;
    }

    /** The candidate columns' counts, before suppression; cut-offs in hundredths (eligible = score below). */
    StatsTable count(Query q, GeoLevel level, List<GeoUnit> groups, PmtModel candidate, int cutoffNow,
                     int cutoffCandidate) throws Exception {
        StatsTable t = new StatsTable(groups, COLUMNS, COMPLEMENTS, IDENTITIES);
        RoaringBitmap filtered = engine.evaluate(q);
        RoaringBitmap now = cutoffNow <= 0 ? new RoaringBitmap()
                : snapshot.pmt().range().lte(cutoffNow - 1L, filtered);
        MutableRoaringBitmap base = filtered.toMutableRoaringBitmap();
        List<MutableRoaringBitmap> selected = new ArrayList<>();
        List<int[]> tasks = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            ImmutableRoaringBitmap unit = snapshot.bitmaps().get(HouseholdIndexer.geoName(level, groups.get(g).code()));
            MutableRoaringBitmap sel = ImmutableRoaringBitmap.and(base, unit);
            selected.add(sel);
            t.cells[g][HOUSEHOLDS] = sel.getLongCardinality();
            if (!sel.isEmpty()) {
                for (long lo = sel.first(); lo <= sel.last(); lo += RANGE) {
                    tasks.add(new int[] {g, (int) lo, (int) Math.min(lo + RANGE, sel.last() + 1L)});
                }
            }
        }
        long[][] results = new long[tasks.size()][];
        Parallel.run(tasks.size(), threads, () -> {
            OrdinalScorer scorer = new OrdinalScorer(snapshot, candidate);
            return i -> {
                int[] task = tasks.get(i);
                results[i] = range(selected.get(task[0]), now, task[1], task[2], scorer, cutoffNow, cutoffCandidate);
            };
        });
        for (int i = 0; i < tasks.size(); i++) {
            long[] cells = t.cells[tasks.get(i)[0]];
            for (int c = ELIGIBLE_NOW; c <= LEAVING; c++) {
                cells[c] += results[i][c];
            }
        }
        t.sumTotals();
        return t;
    }

    /** Counts over the households of {@code sel} with ordinals in {@code [lo, hi)}; indexed by column. */
    private long[] range(MutableRoaringBitmap sel, RoaringBitmap now, int lo, int hi, OrdinalScorer scorer,
                         int cutoffNow, int cutoffCandidate) {
        long[] out = new long[COLUMNS.length];
        PeekableIntIterator it = sel.getIntIterator();
        it.advanceIfNeeded(lo);
        PeekableIntIterator nowIt = now.getIntIterator();
        while (it.hasNext() && it.peekNext() < hi) {
            int o = it.next();
            boolean before;
            boolean after;
            if (updated.test(o)) {
                after = scorer.scoreFromRecord(o) < cutoffCandidate;
                before = scorer.record().pmtHundredths() < cutoffNow;
            } else {
                after = scorer.score(o) < cutoffCandidate;
                nowIt.advanceIfNeeded(o);
                before = nowIt.hasNext() && nowIt.peekNext() == o;
            }
            out[ELIGIBLE_NOW] += before ? 1 : 0;
            out[ELIGIBLE_CANDIDATE] += after ? 1 : 0;
            out[ENTERING] += after && !before ? 1 : 0;
            out[LEAVING] += before && !after ? 1 : 0;
        }
        return out;
    }
}
