package pk.gov.bisp.nser.core.rescore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.BuildProgress;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.TestSnapshots;

/**
 * The re-scorer in core, on a small hand-made snapshot (index-builder's {@code RescoreCommandTest} drives it
 * through the command line on a generated registry): every household gets the new model's score of its own
 * record, the PMT index follows, and the report's crossings add up.
 */
class RescorerTest {

    @TempDir
    Path tmp;

    @Test
    void everyHouseholdShouldGetTheNewModelsScoreOfItsRecord() throws Exception {
        Path dir = TestSnapshots.write(tmp.resolve("s"), TestSnapshots.households(90));
        PmtModel v2 = PmtModel.load(Path.of("../config/pmt-model-v2.json"));
        int cutoff = 3_200;
        long belowBefore;
        int[] before = new int[90];
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK)) {
            belowBefore = s.pmtBetween(0, cutoff - 1, all(s)).getLongCardinality();
            HouseholdRecord r = new HouseholdRecord();
            for (int o = 0; o < before.length; o++) {
                assertTrue(s.read(o, r));
                before[o] = r.pmtHundredths();
            }
        }
        RescoreReport report = Rescorer.run(dir, v2, new Rescorer.Options(false, 2, cutoff), BuildProgress.NONE);

        assertEquals(90, report.households());
        assertEquals(belowBefore, report.belowBefore());
        assertEquals(report.belowBefore() + report.entering() - report.leaving(), report.belowAfter());
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.FULL)) {
            assertEquals(v2.version(), s.manifest().pmtModelVersion());
            HouseholdRecord r = new HouseholdRecord();
            PmtInputs scratch = PmtModel.newScratch();
            long below = 0;
            int changed = 0;
            for (int o = 0; o < s.householdCount(); o++) {
                assertTrue(s.read(o, r));
                assertEquals(v2.scoreHundredths(r, scratch), r.pmtHundredths(), "household at ordinal " + o);
                below += r.pmtHundredths() < cutoff ? 1 : 0;
                changed += r.pmtHundredths() != before[o] ? 1 : 0;
            }
            assertTrue(changed > 0, "model v2 moves some scores");
            assertEquals(report.belowAfter(), below);
            assertEquals(below, s.pmtBetween(0, cutoff - 1, all(s)).getLongCardinality());
        }
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> Rescorer.run(dir, v2, new Rescorer.Options(false, 1, cutoff), BuildProgress.NONE));
        assertTrue(again.getMessage().contains("already scored by model version " + v2.version()),
                again.getMessage());
    }

    private static org.roaringbitmap.RoaringBitmap all(Snapshot s) {
        org.roaringbitmap.RoaringBitmap b = new org.roaringbitmap.RoaringBitmap();
        b.add(0L, s.householdCount());
        return b;
    }
}
