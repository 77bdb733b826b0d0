package pk.gov.bisp.nser.server.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.builder.cli.GenerateCommand;
import pk.gov.bisp.nser.builder.generate.SyntheticRegistry;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryEngine;
import pk.gov.bisp.nser.core.query.QueryParser;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.stats.Marginals;

/**
 * The counts before perturbation: the current model moves nobody; households changed by live updates, scored
 * from their records, count (and sum their record keys) as they do from the column.
 */
class WhatIfCounterTest {

    @Test
    void theCurrentModelAtTheCurrentCutoffMovesNobodyInAnyGroup() throws Exception {
        try (Snapshot s = Snapshot.open(snapshot(), Snapshot.Verify.QUICK)) {
            List<GeoUnit> ucs = s.geography().units(GeoLevel.UNION_COUNCIL);
            StatsTable t = new WhatIfCounter(s, new QueryEngine(s), 2, RecordKeys.of(s, null))
                    .count(all(s), GeoLevel.UNION_COUNCIL, ucs, s.pmtModel(), 3_200, 3_200);
            for (int g = 0; g <= t.totalRow(); g++) {
                assertEquals(0, t.cells[g][WhatIfCounter.ENTERING], "group " + g);
                assertEquals(0, t.cells[g][WhatIfCounter.LEAVING], "group " + g);
                assertEquals(t.cells[g][WhatIfCounter.ELIGIBLE_NOW], t.cells[g][WhatIfCounter.ELIGIBLE_CANDIDATE]);
                assertEquals(t.keys[g][WhatIfCounter.ELIGIBLE_NOW], t.keys[g][WhatIfCounter.ELIGIBLE_CANDIDATE],
                        "the same households, the same cell key");
                assertEquals(0, t.keys[g][WhatIfCounter.ENTERING] | t.keys[g][WhatIfCounter.LEAVING]);
            }
            assertEquals(s.householdCount(), t.cells[t.totalRow()][WhatIfCounter.HOUSEHOLDS]);
            assertEquals(s.pmt().range().lteCardinality(3_199), t.cells[t.totalRow()][WhatIfCounter.ELIGIBLE_NOW]);
        }
    }

    @Test
    void householdsChangedByLiveUpdatesShouldBeScoredFromTheirRecordsToTheSameCounts() throws Exception {
        PmtModel v2 = PmtModel.load(Path.of(System.getProperty("user.dir")).resolve("../config/pmt-model-v2.json"));
        try (Snapshot s = Snapshot.open(snapshot(), Snapshot.Verify.QUICK)) {
            QueryEngine engine = new QueryEngine(s);
            List<GeoUnit> districts = s.geography().units(GeoLevel.DISTRICT);
            RecordKeys keys = RecordKeys.of(s, "a test secret of 16+ chars");
            StatsTable column = new WhatIfCounter(s, engine, 2, keys).count(all(s), GeoLevel.DISTRICT, districts, v2,
                    3_200, 3_500);
            StatsTable records = new WhatIfCounter(s, engine, 2, keys, o -> o % 3 == 0).count(all(s),
                    GeoLevel.DISTRICT, districts, v2, 3_200, 3_500);
            assertArrayEquals(column.cells, records.cells);
            assertArrayEquals(column.keys, records.keys, "the cell keys too");
            long moved = column.cells[column.totalRow()][WhatIfCounter.ENTERING]
                    + column.cells[column.totalRow()][WhatIfCounter.LEAVING];
            assertTrue(moved > 100, "v2 at 35 must move households: " + moved);
        }
    }

    private static Query all(Snapshot s) {
        return new QueryParser(s.geography()).parse(Map.of(), Set.of());
    }

    @TempDir
    static Path tmp;
    private static Path snapshot;

    private static synchronized Path snapshot() throws Exception {
        if (snapshot == null) {
            snapshot = tmp.resolve("snap");
            GenerateCommand.generate(new SyntheticRegistry(10_000, 8, Marginals.builtIn()), PmtModel.builtIn(),
                    snapshot, GenerateCommand.DEFAULT_AS_OF, false, 8);
        }
        return snapshot;
    }
}
