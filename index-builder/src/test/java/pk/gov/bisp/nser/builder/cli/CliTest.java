package pk.gov.bisp.nser.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.builder.CliRun;
import pk.gov.bisp.nser.builder.TestRegistries;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotFiles;

class CliTest {

    @TempDir
    Path tmp;

    @Test
    void verifyShouldPassASoundSnapshot() throws Exception {
        CliRun run = CliRun.of("verify", TestRegistries.generated(200_000, 1).toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("OK") && run.out().contains("200,000 households"), run.out());
    }

    @Test
    void verifyShouldRefuseAFlippedByteNamingTheFile() throws Exception {
        Path dir = TestRegistries.build(10_000, 3, tmp.resolve("snap"));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(SnapshotFiles.HOUSEHOLDS).toFile(), "rw")) {
            f.seek(f.length() / 3);
            int b = f.read();
            f.seek(f.length() / 3);
            f.write(b ^ 1);
        }
        CliRun run = CliRun.of("verify", dir.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("REFUSED") && run.err().contains(SnapshotFiles.HOUSEHOLDS)
                && run.err().contains("checksum"), run.err());
    }

    @Test
    void verifyShouldRefuseATruncatedFileNamingTheFile() throws Exception {
        Path dir = TestRegistries.build(10_000, 3, tmp.resolve("snap"));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(SnapshotFiles.CNIC_INDEX).toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        CliRun run = CliRun.of("verify", dir.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains(SnapshotFiles.CNIC_INDEX) && run.err().contains("truncated"), run.err());
    }

    @Test
    void sampleIdsShouldPrintExistingCnics() throws Exception {
        Path dir = TestRegistries.generated(200_000, 1);
        CliRun run = CliRun.of("sample-ids", dir.toString(), "--count", "50", "--seed", "9");
        assertEquals(0, run.exit(), run.err());
        String[] lines = run.out().trim().split("\n");
        assertEquals(50, lines.length);
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK)) {
            for (String l : lines) {
                assertEquals(13, l.length());
                assertTrue(s.ordinalOfCnic(Cnic.parse(l)) >= 0, l);
            }
        }
        assertEquals(run.out(), CliRun.of("sample-ids", dir.toString(), "--count", "50", "--seed", "9").out());
    }

    @Test
    void statsShouldPrintEveryRegionNextToTheRealFigures() throws Exception {
        CliRun run = CliRun.of("stats", TestRegistries.generated(200_000, 1).toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("Balochistan          kacha_pct                                  88.00"),
                run.out());
        assertTrue(run.out().contains("households under the PMT cut-off of 32"), run.out());
    }

    @Test
    void generateShouldRefuseToOverwriteWithoutForce() throws Exception {
        Path dir = TestRegistries.generated(200_000, 1);
        CliRun run = CliRun.of("generate", "--households", "1000", "--out", dir.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("already exists"), run.err());
    }
}
