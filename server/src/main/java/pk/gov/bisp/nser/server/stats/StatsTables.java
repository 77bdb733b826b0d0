package pk.gov.bisp.nser.server.stats;

import java.util.List;
import java.util.Map;
import java.util.Set;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryEngine;
import pk.gov.bisp.nser.core.query.QueryParser;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * A {@code /v1/stats} table computed outside HTTP, as the route computes it (true counts and cell keys, perturbed,
 * suppressed), for benchmarks: counted whole with the member figures from the member slices or, as a snapshot
 * without them is served, from the records; or as the route serves it, a table of the files kept and corrected by
 * the households live updates changed ({@link TableCache}). Blocking.
 */
public final class StatsTables {

    private final Snapshot snapshot;
    private final QueryEngine engine;
    private final QueryParser parser;
    private final RecordKeys keys;
    private final TableCache kept;

    public StatsTables(Snapshot snapshot, String cellKeySecret) {
        this.snapshot = snapshot;
        this.engine = new QueryEngine(snapshot);
        this.parser = new QueryParser(snapshot.geography());
        this.keys = RecordKeys.of(snapshot, cellKeySecret);
        this.kept = new TableCache(snapshot, cellKeySecret);
    }

    /** How a table is counted. */
    public enum Source {
        /** Whole, member figures from the member slices. */
        SLICES,
        /** Whole, member figures from the records. */
        RECORDS,
        /** As the route does: the files' table kept, corrected by the changed households. */
        KEPT
    }

    /**
     * The published table of {@code measure} (null: none) by {@code level} under {@code filters}, with threshold
     * {@code k}: per group and the total, each column's published value, -1 where suppressed.
     */
    public long[][] publish(Map<String, List<String>> filters, String measure, GeoLevel level, Source source, int k) {
        Query q = parser.parse(filters, Set.of());
        Measure m = measure == null ? null : Measure.parse(measure, parser);
        List<GeoUnit> groups = snapshot.geography().units(level);
        StatsTable t = switch (source) {
            case SLICES -> new GroupCounter(snapshot, engine, keys).count(q, m, level, groups);
            case RECORDS -> new GroupCounter(snapshot, engine, keys, GroupCounter.PIECE, () -> { })
                    .count(q, m, level, groups);
            case KEPT -> kept.count(snapshot, engine, q, m, level, groups);
        };
        t.perturb();
        t.suppress(k);
        long[][] out = new long[t.totalRow() + 1][];
        for (int r = 0; r <= t.totalRow(); r++) {
            out[r] = t.cells[r].clone();
            for (int c = 0; c < out[r].length; c++) {
                out[r][c] = t.published(r, c) ? out[r][c] : -1;
            }
        }
        return out;
    }
}
