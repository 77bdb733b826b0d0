package pk.gov.bisp.nser.builder.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.builder.CliRun;
import pk.gov.bisp.nser.builder.TestRegistries;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Manifest;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotFiles;

class RescoreCommandTest {

    private static final Path CONFIG = Path.of(System.getProperty("user.dir")).resolve("../config");
    private static final int[] THRESHOLDS = {0, 1_500, 2_500, 3_199, 3_200, 4_000, 6_000, 10_000};

    @TempDir
    Path tmp;

    @Test
    void rescoringShouldServeTheNewModelsScoresAndRescoringBackTheOriginals() throws Exception {
        Path dir = TestRegistries.build(20_000, 11, tmp.resolve("snap"));
        int[] original = scores(dir);
        String originalIndex = Manifest.read(dir.resolve(SnapshotFiles.MANIFEST)).files().get("pmt.rbm").crc32c();

        CliRun v2 = rescore(dir, "pmt-model-v2.json");
        assertEquals(0, v2.exit(), v2.err());
        assertTrue(v2.out().contains("20,000 households from nser-proxy v1 to nser-proxy v2"), v2.out());
        assertTrue(v2.out().contains("indicator column present") && v2.out().contains("crossed below it"), v2.out());
        assertServes(dir, PmtModel.load(CONFIG.resolve("pmt-model-v2.json")));
        assertEquals(0, CliRun.of("verify", dir.toString()).exit());

        CliRun again = rescore(dir, "pmt-model-v2.json");
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("already scored by model version 2") && again.err().contains("--force"),
                again.err());

        CliRun back = rescore(dir, "pmt-model.json");
        assertEquals(0, back.exit(), back.err());
        assertArrayEquals(original, scores(dir), "re-scoring with v1 must give back the original scores");
        assertEquals(originalIndex, Manifest.read(dir.resolve(SnapshotFiles.MANIFEST)).files().get("pmt.rbm")
                .crc32c(), "and the very same range index");
        assertServes(dir, PmtModel.builtIn());
        CliRun verify = CliRun.of("verify", dir.toString());
        assertEquals(0, verify.exit(), verify.err());
    }

    @Test
    void aSnapshotWithoutTheColumnShouldGetItFromTheRecordsFirst() throws Exception {
        Path dir = TestRegistries.build(10_000, 12, tmp.resolve("old"));
        olderSnapshot(dir);
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.FULL)) {
            assertNull(s.pmtIndicators());
        }
        CliRun run = rescore(dir, "pmt-model-v2.json");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("indicator column built from the records"), run.out());
        assertServes(dir, PmtModel.load(CONFIG.resolve("pmt-model-v2.json")));
        CliRun verify = CliRun.of("verify", dir.toString());
        assertEquals(0, verify.exit(), verify.err());
    }

    @Test
    void helpShouldSayTheServerMustBeStoppedAndResumeShouldReportNothingPending() throws Exception {
        CliRun help = CliRun.of("rescore", "--help");
        assertTrue(help.out().contains("server STOPPED"), help.out());
        Path dir = TestRegistries.build(10_000, 13, tmp.resolve("snap"));
        CliRun resume = CliRun.of("rescore", "--resume", dir.toString());
        assertEquals(0, resume.exit(), resume.err());
        assertTrue(resume.out().contains("no re-scoring"), resume.out());
        CliRun noModel = CliRun.of("rescore", dir.toString());
        assertEquals(1, noModel.exit());
        assertTrue(noModel.err().contains("--model"), noModel.err());
    }

    private static CliRun rescore(Path dir, String model) {
        return CliRun.of("rescore", "--model", CONFIG.resolve(model).toString(), dir.toString());
    }

    /** Every record as served carries the model's score and version; the range index counts agree. */
    private static void assertServes(Path dir, PmtModel model) throws Exception {
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.FULL)) {
            assertEquals(model.version(), s.manifest().pmtModelVersion());
            assertEquals(model.version(), s.pmtModel().version());
            HouseholdRecord r = new HouseholdRecord();
            PmtInputs scratch = PmtModel.newScratch();
            long[] lte = new long[THRESHOLDS.length];
            for (int k = 0; k < s.householdCount(); k++) {
                s.read(k, r);
                assertEquals(model.scoreHundredths(r, scratch), r.pmtHundredths(), "ordinal " + k);
                assertEquals(model.version(), r.pmtModelVersion());
                for (int t = 0; t < THRESHOLDS.length; t++) {
                    lte[t] += r.pmtHundredths() <= THRESHOLDS[t] ? 1 : 0;
                }
            }
            for (int t = 0; t < THRESHOLDS.length; t++) {
                assertEquals(lte[t], s.pmt().range().lteCardinality(THRESHOLDS[t]), "score <= " + THRESHOLDS[t]);
            }
        }
    }

    private static int[] scores(Path dir) throws Exception {
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK)) {
            int[] out = new int[s.householdCount()];
            s.scan(out.length, (r, k) -> out[k] = r.pmtHundredths());
            return out;
        }
    }

    /** Makes {@code dir} look like a snapshot written before the indicator column and the model file. */
    private static void olderSnapshot(Path dir) throws Exception {
        Manifest m = Manifest.read(dir.resolve(SnapshotFiles.MANIFEST));
        Map<String, Manifest.FileEntry> files = new LinkedHashMap<>(m.files());
        for (String f : SnapshotFiles.OPTIONAL_FILES) {
            files.remove(f);
            Files.deleteIfExists(dir.resolve(f));
        }
        assertFalse(files.containsKey(SnapshotFiles.PMT_INDICATORS));
        Files.write(dir.resolve(SnapshotFiles.MANIFEST), new Manifest(m.formatVersion(), m.recordLayoutVersion(),
                m.createdAt(), m.households(), m.members(), m.ids(), m.asOf(), m.pmtModelName(), m.pmtModelVersion(),
                m.build(), files).toJson());
    }
}
