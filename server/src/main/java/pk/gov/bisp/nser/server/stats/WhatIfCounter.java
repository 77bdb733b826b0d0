package pk.gov.bisp.nser.server.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.roaringbitmap.IntConsumer;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RoaringBitmapWriter;
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
 * or leave. The filtered households of each group are split into ranges of ordinals scored in parallel; those
 * the candidate puts under the cut-off are gathered as a bitmap and intersected with the current ones. Each
 * cell's key (the sum of its households' record keys) is gathered alike, entering and leaving from the key sums
 * of the candidates, of those eligible now and of both. Blocking: run on a worker. Changes nothing.
 *
 * <p>Locking, as in {@link GroupCounter}: the bitmap part (the filter, the eligible set now, each group's
 * intersections) is taken under one hold of the snapshot's read lock; the scoring and the key sums run on those
 * bitmaps, copies of the counter's own, without it, so a live update never waits for a table. Each household is
 * read whole, never half an update; a household changed by an update that lands during the table is scored from
 * its new record (and counted in the group it was in when the bitmaps were taken).
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
    private final RecordKeys keys;

    WhatIfCounter(Snapshot snapshot, QueryEngine engine, int threads, RecordKeys keys) {
        this(snapshot, engine, threads, keys, snapshot::updated);
    }

    /** With {@code updated} standing in for {@link Snapshot#updated} (tests of the record path). */
    WhatIfCounter(Snapshot snapshot, QueryEngine engine, int threads, RecordKeys keys, IntPredicate updated) {
        this.snapshot = snapshot;
        this.engine = engine;
        this.threads = threads;
        this.updated = updated;
        this.keys = keys;
    }

    /** The true counts and cell keys, before perturbation; cut-offs in hundredths (eligible = score below). */
    StatsTable count(Query q, GeoLevel level, List<GeoUnit> groups, PmtModel candidate, int cutoffNow,
                     int cutoffCandidate) throws Exception {
        StatsTable t = new StatsTable(groups, COLUMNS, COMPLEMENTS, IDENTITIES);
        List<RoaringBitmap[]> selected = new ArrayList<>();
        List<int[]> tasks = new ArrayList<>();
        java.util.concurrent.locks.Lock lock = snapshot.readLock(); // a live update is seen whole or not at all
        lock.lock();
        try {
            select(q, level, groups, cutoffNow, t, selected, tasks);
        } finally {
            lock.unlock();
        }
        for (int g = 0; g < groups.size(); g++) {
            t.keys[g][HOUSEHOLDS] = keys.sum(snapshot, selected.get(g)[0]);
        }
        long[][] results = new long[tasks.size()][];
        Parallel.run(tasks.size(), threads, () -> {
            OrdinalScorer scorer = new OrdinalScorer(snapshot, candidate);
            return i -> {
                int[] task = tasks.get(i);
                RoaringBitmap[] sel = selected.get(task[0]);
                RangeCount c = new RangeCount(scorer, cutoffNow, cutoffCandidate);
                sel[0].forEachInRange(task[1], task[2] - task[1], c);
                results[i] = c.counts(sel[1], task[1], task[2]);
            };
        });
        for (int i = 0; i < tasks.size(); i++) {
            int g = tasks.get(i)[0];
            for (int c = ELIGIBLE_NOW; c <= LEAVING; c++) {
                t.cells[g][c] += results[i][c];
                t.keys[g][c] += (int) results[i][COLUMNS.length + c];
            }
        }
        t.sumTotals();
        return t;
    }

    /**
     * One range of one group's households: each scored by the candidate; those under its cut-off collected as a
     * bitmap, then counted against the current index's eligible set by bitmap intersection. A household changed
     * by a live update is counted apart, both its scores taken from its record. The counts are indexed by column,
     * the key sums by column plus the number of columns.
     */
    private final class RangeCount implements IntConsumer {
        private final OrdinalScorer scorer;
        private final int cutoffNow;
        private final int cutoffCandidate;
        private final RoaringBitmapWriter<RoaringBitmap> candidates = RoaringBitmapWriter.writer().get();
        private final RoaringBitmapWriter<RoaringBitmap> changed = RoaringBitmapWriter.writer().get();
        /** Counts and key sums of the changed households, as {@link #counts} returns them. */
        private final long[] fromRecords = new long[2 * COLUMNS.length];
        private int candidateKeys;

        RangeCount(OrdinalScorer scorer, int cutoffNow, int cutoffCandidate) {
            this.scorer = scorer;
            this.cutoffNow = cutoffNow;
            this.cutoffCandidate = cutoffCandidate;
        }

        @Override
        public void accept(int o) {
            if (updated.test(o)) {
                boolean after = scorer.scoreFromRecord(o) < cutoffCandidate;
                boolean before = scorer.record().pmtHundredths() < cutoffNow;
                changed.add(o);
                add(ELIGIBLE_NOW, before, o);
                add(ELIGIBLE_CANDIDATE, after, o);
                add(ENTERING, after && !before, o);
                add(LEAVING, before && !after, o);
            } else if (scorer.score(o) < cutoffCandidate) {
                candidates.add(o);
                candidateKeys += keys.key(snapshot, o);
            }
        }

        private void add(int column, boolean in, int o) {
            if (in) {
                fromRecords[column]++;
                fromRecords[COLUMNS.length + column] += keys.key(snapshot, o);
            }
        }

        /** The counts over {@code [lo, hi)}, given the group's households eligible now as indexed. */
        long[] counts(RoaringBitmap eligibleNow, int lo, int hi) {
            RoaringBitmap cand = candidates.get();
            RoaringBitmap chg = changed.get();
            long now = eligibleNow.rangeCardinality(lo, hi) - RoaringBitmap.andCardinality(eligibleNow, chg);
            RoaringBitmap bothSet = RoaringBitmap.and(cand, eligibleNow);
            long both = bothSet.getLongCardinality();
            int[] nowKeys = {0};
            eligibleNow.forEachInRange(lo, hi - lo, o -> nowKeys[0] += chg.contains(o) ? 0 : keys.key(snapshot, o));
            int bothKeys = keys.sum(snapshot, bothSet);
            long[] out = fromRecords.clone();
            int k = COLUMNS.length;
            out[ELIGIBLE_NOW] += now;
            out[ELIGIBLE_CANDIDATE] += cand.getLongCardinality();
            out[ENTERING] += cand.getLongCardinality() - both;
            out[LEAVING] += now - both;
            out[k + ELIGIBLE_NOW] += nowKeys[0];
            out[k + ELIGIBLE_CANDIDATE] += candidateKeys;
            out[k + ENTERING] += candidateKeys - bothKeys;
            out[k + LEAVING] += nowKeys[0] - bothKeys;
            return out;
        }
    }

    /**
     * The filtered households per group and those eligible now (under the read lock; their key sums are taken
     * after it), and the scoring tasks.
     */
    private void select(Query q, GeoLevel level, List<GeoUnit> groups, int cutoffNow, StatsTable t,
                        List<RoaringBitmap[]> selected, List<int[]> tasks) {
        RoaringBitmap filtered = engine.evaluate(q);
        RoaringBitmap now = cutoffNow <= 0 ? new RoaringBitmap() : snapshot.pmtBetween(0, cutoffNow - 1, filtered);
        for (int g = 0; g < groups.size(); g++) {
            RoaringBitmap unit = snapshot.bitmaps().get(HouseholdIndexer.geoName(level, groups.get(g).code()))
                    .toRoaringBitmap();
            RoaringBitmap sel = RoaringBitmap.and(filtered, unit);
            selected.add(new RoaringBitmap[] {sel, RoaringBitmap.and(now, unit)});
            t.cells[g][HOUSEHOLDS] = sel.getLongCardinality();
            if (!sel.isEmpty()) {
                for (long lo = sel.first(); lo <= sel.last(); lo += RANGE) {
                    tasks.add(new int[] {g, (int) lo, (int) Math.min(lo + RANGE, sel.last() + 1L)});
                }
            }
        }
    }
}
