package pk.gov.bisp.nser.core.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.format.Checksums;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.record.Households;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.rescore.RescoreReport;
import pk.gov.bisp.nser.core.rescore.Rescorer;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.scoring.PmtModel;

/** The indicator column, the score column and the model file: written, served, checked and refused when wrong. */
class PmtFilesTest {

    static final PmtModel V2 = v2();

    @TempDir
    Path tmp;

    static PmtModel v2() {
        try {
            return PmtModel.load(Path.of(System.getProperty("user.dir")).resolve("../config/pmt-model-v2.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aRowShouldGiveTheRecordsIndicatorsToTheBitEvenAtTheEdges() {
        for (Household h : List.of(Households.edges(), Households.simple(7L, 60_010_101, 3_520_212_345_671L, 9))) {
            byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
            HouseholdRecord r = new HouseholdRecord().wrap(buf, HouseholdCodec.encode(h, StringDictionary.empty(), buf));
            PmtInputs fromRecord = new PmtInputs().read(r);
            ByteBuffer row = PmtIndicatorColumn.rowBuffer();
            PmtIndicatorsLayout.encode(fromRecord, row, 0);
            PmtIndicatorsLayout.checkRow(row, 0);
            PmtInputs fromRow = new PmtInputs();
            PmtIndicatorsLayout.decode(row, 0, fromRow);
            assertArrayEquals(fromRecord.indicators().clone(), fromRow.indicators(), "household " + h.householdId());
            assertEquals(PmtModel.builtIn().scoreHundredths(r, new PmtInputs()), PmtModel.builtIn().scoreHundredths(fromRow));
            assertEquals(V2.scoreHundredths(r, new PmtInputs()), V2.scoreHundredths(fromRow));
        }
    }

    @Test
    void aNewSnapshotShouldHoldTheColumnAndTheModel() throws Exception {
        Path dir = TestSnapshots.write(tmp.resolve("snap"), TestSnapshots.households(50));
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.FULL)) {
            assertNotNull(s.pmtIndicators());
            assertNull(s.scores());
            assertEquals(1, s.pmtModel().version());
            assertArrayEquals(PmtModel.builtIn().json(), Files.readAllBytes(dir.resolve(SnapshotFiles.PMT_MODEL)));
            HouseholdRecord r = new HouseholdRecord();
            PmtInputs col = new PmtInputs();
            for (int k = 0; k < 50; k++) {
                s.read(k, r);
                s.pmtIndicators().read(k, col);
                assertEquals(r.pmtHundredths(), s.pmtModel().scoreHundredths(col), "ordinal " + k);
            }
        }
    }

    @Test
    void rescoringShouldServeTheNewScoresAndPassVerification() throws Exception {
        Path dir = TestSnapshots.write(tmp.resolve("snap"), TestSnapshots.households(60));
        RescoreReport report = Rescorer.run(dir, V2, new Rescorer.Options(false, 2, 3_200), BuildProgress.NONE);
        assertEquals(60, report.households());
        assertEquals("nser-proxy v2", report.toModel());
        assertFalse(report.builtColumn());
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.FULL)) {
            assertEquals(2, s.manifest().pmtModelVersion());
            assertEquals(2, s.scores().modelVersion());
            assertEquals(2, s.pmtModel().version());
            HouseholdRecord r = new HouseholdRecord();
            long under = 0;
            for (int k = 0; k < 60; k++) {
                s.read(k, r);
                assertEquals(V2.scoreHundredths(r, new PmtInputs()), r.pmtHundredths(), "ordinal " + k);
                assertEquals(2, r.pmtModelVersion());
                under += r.pmtHundredths() < 3_200 ? 1 : 0;
            }
            assertEquals(under, s.pmt().range().lteCardinality(3_199));
            assertEquals(under, report.belowAfter());
            assertEquals(List.of(), SnapshotVerifier.verify(s, x -> { }));
        }
    }

    @Test
    void theSameVersionShouldBeRefusedUnlessForced() throws Exception {
        Path dir = TestSnapshots.write(tmp.resolve("snap"), TestSnapshots.households(10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rescorer.run(dir,
                PmtModel.builtIn(), new Rescorer.Options(false, 1, 3_200), BuildProgress.NONE));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        RescoreReport r = Rescorer.run(dir, PmtModel.builtIn(), new Rescorer.Options(true, 1, 3_200),
                BuildProgress.NONE);
        assertEquals(0, r.entering() + r.leaving());
        assertEquals(r.belowBefore(), r.belowAfter());
    }

    @Test
    void deepVerificationShouldNameScoresTheModelDoesNotGive() throws Exception {
        Path dir = TestSnapshots.write(tmp.resolve("snap"), TestSnapshots.households(30));
        Rescorer.run(dir, V2, new Rescorer.Options(false, 1, 3_200), BuildProgress.NONE);
        char[] scores = new char[30];
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK)) {
            for (int k = 0; k < 30; k++) {
                scores[k] = (char) s.scores().get(k);
            }
        }
        scores[7] = (char) (scores[7] == 0 ? 1 : scores[7] - 1);
        Path f = dir.resolve(SnapshotFiles.SCORES);
        Files.delete(f);
        ScoreColumn.write(f, scores, 30, 2);
        rewriteEntry(dir, SnapshotFiles.SCORES);
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.FULL)) {
            List<String> problems = SnapshotVerifier.verify(s, x -> { });
            assertTrue(problems.stream().anyMatch(p -> p.startsWith("scores.bin: ordinal 7: score")), problems.toString());
        }
    }

    @Test
    void deepVerificationShouldNameARowThatDiffersFromItsRecord() throws Exception {
        Path dir = TestSnapshots.write(tmp.resolve("snap"), TestSnapshots.households(30));
        Path f = dir.resolve(SnapshotFiles.PMT_INDICATORS);
        byte[] bytes = Files.readAllBytes(f);
        int at = (int) PmtIndicatorsLayout.rowOffset(11) + PmtIndicatorsLayout.ROOMS;
        bytes[at] = (byte) (bytes[at] + 1);
        Files.write(f, bytes);
        rewriteEntry(dir, SnapshotFiles.PMT_INDICATORS);
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.FULL)) {
            List<String> problems = SnapshotVerifier.verify(s, x -> { });
            assertEquals(List.of("pmt-indicators.bin: ordinal 11: the row differs from the record's indicators"),
                    problems);
        }
    }

    @Test
    void openShouldRefuseColumnsOfAnotherSizeOrModel() throws Exception {
        Path dir = TestSnapshots.write(tmp.resolve("snap"), TestSnapshots.households(20));
        Rescorer.run(dir, V2, new Rescorer.Options(false, 1, 3_200), BuildProgress.NONE);
        Path f = dir.resolve(SnapshotFiles.SCORES);
        Files.delete(f);
        ScoreColumn.write(f, new char[20], 20, 3);
        rewriteEntry(dir, SnapshotFiles.SCORES);
        SnapshotCorruptException e = assertThrows(SnapshotCorruptException.class,
                () -> Snapshot.open(dir, Snapshot.Verify.QUICK));
        assertTrue(e.getMessage().contains(SnapshotFiles.SCORES) && e.getMessage().contains("model version=3"),
                e.getMessage());
        Files.delete(f);
        ScoreColumn.write(f, new char[19], 19, 2);
        rewriteEntry(dir, SnapshotFiles.SCORES);
        e = assertThrows(SnapshotCorruptException.class, () -> Snapshot.open(dir, Snapshot.Verify.QUICK));
        assertTrue(e.getMessage().contains("rows=19"), e.getMessage());
    }

    @Test
    void theScoreLayoutShouldBeTheDocumentedOne() throws Exception {
        Path f = tmp.resolve("scores.bin");
        ScoreColumn.write(f, new char[] {0, 3_199, 10_000}, 3, 2);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(32 + 3 * 2, b.limit());
        assertEquals(3, b.getLong(ScoresLayout.COUNT_OFFSET));
        assertEquals(2, b.getShort(ScoresLayout.MODEL_VERSION_OFFSET));
        assertEquals(3_199, b.getShort((int) ScoresLayout.entryOffset(1)));
        assertThrows(IllegalArgumentException.class,
                () -> ScoreColumn.write(tmp.resolve("bad.bin"), new char[] {10_001}, 1, 2));
    }

    /** Puts the current size and checksum of {@code name} into the manifest (as a deliberate edit would). */
    static void rewriteEntry(Path dir, String name) throws Exception {
        Manifest m = Manifest.read(dir.resolve(SnapshotFiles.MANIFEST));
        Map<String, Manifest.FileEntry> files = new LinkedHashMap<>(m.files());
        Path f = dir.resolve(name);
        files.put(name, new Manifest.FileEntry(Files.size(f), Checksums.crc32c(f, x -> { })));
        Manifest edited = new Manifest(m.formatVersion(), m.recordLayoutVersion(), m.createdAt(), m.households(),
                m.members(), m.ids(), m.asOf(), m.pmtModelName(), m.pmtModelVersion(), m.build(), files);
        Files.write(dir.resolve(SnapshotFiles.MANIFEST), edited.toJson());
    }
}
