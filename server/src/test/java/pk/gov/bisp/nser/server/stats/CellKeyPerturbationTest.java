package pk.gov.bisp.nser.server.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.builder.cli.GenerateCommand;
import pk.gov.bisp.nser.builder.generate.SyntheticRegistry;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.stats.Marginals;

/** The ptable and the record keys of the cell-key method, as documented on {@link CellKeyPerturbation}. */
class CellKeyPerturbationTest {

    @TempDir
    static Path tmp;

    @Test
    void everyRowHasMeanZeroKeepsZeroAndNeverGoesNegative() {
        double[] variance = {0, 0.5, 1.55, 2.5, 2.5, 2.5};
        for (int n = 0; n < variance.length; n++) {
            double sum = 0;
            double mean = 0;
            double var = 0;
            for (int e = -5; e <= 5; e++) {
                double p = CellKeyPerturbation.probability(n, e);
                sum += p;
                mean += p * e;
                var += p * e * e;
            }
            assertEquals(1, sum, 1e-12, "row " + n);
            assertEquals(0, mean, 1e-12, "row " + n);
            assertEquals(variance[n], var, 0.01, "row " + n);
            int[] seen = new int[2 * CellKeyPerturbation.MAX_NOISE + 1];
            for (int key = 0; key < CellKeyPerturbation.KEY_RANGE; key++) {
                long published = CellKeyPerturbation.perturb(n, key);
                assertTrue(published >= 0 && Math.abs(published - n) <= CellKeyPerturbation.MAX_NOISE);
                seen[(int) (published - n) + CellKeyPerturbation.MAX_NOISE]++;
                assertEquals(published, CellKeyPerturbation.perturb(n, key + CellKeyPerturbation.KEY_RANGE),
                        "the key is taken mod 256");
            }
            for (int e = -3; e <= 3; e++) {
                assertEquals(CellKeyPerturbation.probability(n, e) * 256, seen[e + 3], 1e-9, "row " + n + " " + e);
            }
        }
        assertEquals(0, CellKeyPerturbation.perturb(0, 77));
    }

    /**
     * Two cells that differ by households whose keys sum to d: their noises are equal, so their difference is
     * the true one, for a share of cell keys that is near sum p^2 = 44/256 for every d, not only on average.
     */
    @Test
    void cellsThatDifferDrawUnrelatedNoise() {
        double sumP2 = 0;
        for (int e = -3; e <= 3; e++) {
            sumP2 += Math.pow(CellKeyPerturbation.probability(100, e), 2);
        }
        assertEquals(44 / 256.0, sumP2, 1e-12);
        double total = 0;
        double worst = 0;
        for (int d = 1; d < CellKeyPerturbation.KEY_RANGE; d++) {
            int same = 0;
            for (int u = 0; u < CellKeyPerturbation.KEY_RANGE; u++) {
                same += CellKeyPerturbation.perturb(100, u) == CellKeyPerturbation.perturb(100, u + d) ? 1 : 0;
            }
            double share = same / 256.0;
            total += share;
            worst = Math.max(worst, share);
        }
        assertEquals((11_264 - 256) / (256.0 * 255), total / 255, 1e-12, "the mean over d is fixed by the row");
        assertTrue(worst < 0.26, "no key difference makes the noise repeat often: " + worst);
    }

    @Test
    void sipHashMatchesTheReferenceVector() {
        // SipHash-2-4, key 00..0f, message 00..07: the reference implementation's vectors[8]
        assertEquals(0x93f5f5799a932462L, RecordKeys.sipHash24(0x0706050403020100L, 0x0f0e0d0c0b0a0908L,
                0x0706050403020100L));
    }

    @Test
    void recordKeysAreFixedPerHouseholdIdSpreadEvenlyAndSecret() throws Exception {
        Path snap = tmp.resolve("snap");
        GenerateCommand.generate(new SyntheticRegistry(5_000, 3, Marginals.builtIn()), PmtModel.builtIn(), snap,
                GenerateCommand.DEFAULT_AS_OF, false, 3);
        try (Snapshot s = Snapshot.open(snap, Snapshot.Verify.QUICK)) {
            RecordKeys a = RecordKeys.of(s, "first secret, 16+ chars");
            RecordKeys b = RecordKeys.of(s, "second secret, 16+ chars");
            int[] histogram = new int[256];
            int differ = 0;
            HouseholdRecord r = new HouseholdRecord();
            for (int o = 0; o < s.householdCount(); o++) {
                s.read(o, r);
                int key = a.keyOfId(r.householdId());
                histogram[key]++;
                differ += key != b.keyOfId(r.householdId()) ? 1 : 0;
            }
            RecordKeys again = RecordKeys.of(s, "first secret, 16+ chars");
            for (int o = 0; o < s.householdCount(); o += 97) {
                s.read(o, r);
                assertEquals(again.keyOfId(r.householdId()), again.key(s, o), "ordinal " + o);
            }
            double expected = s.householdCount() / 256.0;
            double chi2 = 0;
            for (int h : histogram) {
                chi2 += (h - expected) * (h - expected) / expected;
            }
            assertTrue(chi2 < 340, "255 degrees of freedom; 340 is beyond p = 0.0004: " + chi2);
            assertTrue(differ > s.householdCount() * 0.98, "another secret, other keys: " + differ);
        }
    }
}
