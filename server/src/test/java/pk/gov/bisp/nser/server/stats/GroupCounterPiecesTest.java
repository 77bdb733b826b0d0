package pk.gov.bisp.nser.server.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.builder.cli.GenerateCommand;
import pk.gov.bisp.nser.builder.generate.SyntheticRegistry;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryEngine;
import pk.gov.bisp.nser.core.query.QueryParser;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.stats.Marginals;

/**
 * A member-measure table reads its records in pieces, the read lock released between them: a live update waiting
 * for the write lock completes between two pieces, before the table is finished (observed through latches, no
 * timing), and the table still equals the brute-force count over every record.
 */
class GroupCounterPiecesTest {

    @Test
    void anUpdateCompletesWhileAMemberMeasureTableIsCountedAndTheTableStillEqualsTheRecords() throws Exception {
        try (Snapshot s = Snapshot.open(snapshot(), Snapshot.Verify.QUICK)) {
            QueryParser parser = new QueryParser(s.geography());
            Measure measure = Measure.parse("literacy:female", parser);
            List<GeoUnit> groups = s.geography().units(GeoLevel.DISTRICT);
            RecordKeys keys = RecordKeys.of(s, "a test secret of 16+ chars");
            // the update: the last household's score changes (a figure this table does not count), so the
            // expected table is the same whether the household is read before or after it
            int last = s.householdCount() - 1;
            HouseholdRecord r = new HouseholdRecord();
            assertTrue(s.read(last, r));
            byte[] changed = r.toByteArray();
            HouseholdRecord edit = new HouseholdRecord();
            edit.wrap(changed, changed.length);
            int score = r.pmtHundredths() == 5_000 ? 5_001 : 5_000;
            edit.setPmt(score, r.pmtModelVersion());

            CountDownLatch applied = new CountDownLatch(1);
            AtomicBoolean appliedBetweenPieces = new AtomicBoolean();
            AtomicInteger pieces = new AtomicInteger();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread updater = new Thread(() -> {
                try {
                    s.apply(last, changed); // takes the write lock
                } catch (Throwable e) {
                    failed.set(e);
                } finally {
                    applied.countDown();
                }
            }, "updater");
            Runnable betweenPieces = () -> {
                if (pieces.incrementAndGet() == 1) {
                    updater.start();
                    try {
                        // the lock is released here: the update gets the write lock now, not after the table
                        appliedBetweenPieces.set(applied.await(60, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            StatsTable during = new GroupCounter(s, new QueryEngine(s), keys, 100, betweenPieces)
                    .count(all(parser), measure, GeoLevel.DISTRICT, groups);
            updater.join();
            assertEquals(null, failed.get());
            assertTrue(appliedBetweenPieces.get(), "the update completed while the table was being counted");
            assertTrue(pieces.get() > 10, "the table was read in many pieces: " + pieces.get());
            assertTrue(s.updated(last));
            assertTrue(s.read(last, r));
            assertEquals(score, r.pmtHundredths(), "the update landed");

            long[][] expected = StatsBruteForce.perGroup(s, measure, groups);
            for (int g = 0; g < groups.size(); g++) {
                long[] c = during.cells[g];
                assertArrayEquals(expected[g], new long[] {c[StatsTable.HOUSEHOLDS], c[StatsTable.MEMBERS],
                        c[StatsTable.BASE], c[StatsTable.COUNT]}, "district " + groups.get(g).code());
            }
            assertNotEquals(0, during.cells[during.totalRow()][StatsTable.COUNT]);
            StatsTable after = new GroupCounter(s, new QueryEngine(s), keys)
                    .count(all(parser), measure, GeoLevel.DISTRICT, groups);
            assertArrayEquals(after.cells, during.cells, "one piece of 4,096 or pieces of 100, the same table");
            assertArrayEquals(after.keys, during.keys, "and the same cell keys");
        }
    }

    @Test
    void aHouseholdMeasureAndNoMeasureCountTheSameInPiecesOfOne() throws Exception {
        try (Snapshot s = Snapshot.open(snapshot(), Snapshot.Verify.QUICK)) {
            QueryParser parser = new QueryParser(s.geography());
            List<GeoUnit> groups = s.geography().units(GeoLevel.PROVINCE);
            RecordKeys keys = RecordKeys.of(s, null);
            for (Measure m : new Measure[] {null, Measure.parse("house_type:kacha", parser),
                    Measure.parse("out_of_school", parser)}) {
                AtomicInteger pieces = new AtomicInteger();
                StatsTable small = new GroupCounter(s, new QueryEngine(s), keys, 1, pieces::incrementAndGet)
                        .count(all(parser), m, GeoLevel.PROVINCE, groups);
                StatsTable whole = new GroupCounter(s, new QueryEngine(s), keys)
                        .count(all(parser), m, GeoLevel.PROVINCE, groups);
                assertArrayEquals(whole.cells, small.cells, String.valueOf(m));
                assertArrayEquals(whole.keys, small.keys, String.valueOf(m));
                assertTrue(pieces.get() > 0, "households of 12 or more are read from their records");
                long[][] expected = StatsBruteForce.perGroup(s, m != null && m.members() != null ? m : null, groups);
                for (int g = 0; g < groups.size(); g++) {
                    assertEquals(expected[g][0], small.cells[g][StatsTable.HOUSEHOLDS]);
                    assertEquals(expected[g][1], small.cells[g][StatsTable.MEMBERS]);
                }
            }
        }
    }

    private static Query all(QueryParser parser) {
        return parser.parse(Map.of(), Set.of());
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
