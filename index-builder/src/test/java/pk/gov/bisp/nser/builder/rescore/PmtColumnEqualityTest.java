package pk.gov.bisp.nser.builder.rescore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.builder.TestRegistries;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.scoring.PmtIndicator;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * For every household of a generated 200k registry, the indicator column gives, to the bit, the indicators the
 * record gives and those the computation before the column gave, so a model scores every household from the
 * column exactly as from its record.
 */
class PmtColumnEqualityTest {

    @Test
    void everyHouseholdShouldScoreTheSameFromTheColumnAsFromItsRecord() throws Exception {
        Path dir = TestRegistries.generated(200_000, 1);
        PmtModel v1 = PmtModel.builtIn();
        PmtModel v2 = PmtModel.load(Path.of(System.getProperty("user.dir")).resolve("../config/pmt-model-v2.json"));
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK)) {
            HouseholdRecord r = new HouseholdRecord();
            PmtInputs fromRecord = new PmtInputs();
            PmtInputs fromColumn = new PmtInputs();
            double[] legacy = new double[PmtIndicator.values().length];
            long differentScores = 0;
            for (int k = 0; k < s.householdCount(); k++) {
                s.read(k, r);
                LegacyIndicators.compute(r, legacy);
                double[] record = fromRecord.read(r).indicators();
                s.pmtIndicators().read(k, fromColumn);
                double[] column = fromColumn.indicators();
                for (int i = 0; i < legacy.length; i++) {
                    if (Double.doubleToRawLongBits(legacy[i]) != Double.doubleToRawLongBits(record[i])
                            || Double.doubleToRawLongBits(record[i]) != Double.doubleToRawLongBits(column[i])) {
                        throw new AssertionError("ordinal " + k + " indicator " + PmtIndicator.values()[i]
                                + ": legacy " + legacy[i] + " record " + record[i] + " column " + column[i]);
                    }
                }
                assertEquals(r.pmtHundredths(), v1.scoreHundredths(fromColumn), "ordinal " + k);
                int fromRecordV2 = v2.scoreHundredths(fromRecord);
                assertEquals(fromRecordV2, v2.scoreHundredths(fromColumn), "ordinal " + k);
                differentScores += fromRecordV2 != r.pmtHundredths() ? 1 : 0;
            }
            assertTrue(differentScores > 100_000, "v2 must change most scores: " + differentScores);
        }
    }
}
