package pk.gov.bisp.nser.core.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.rescore.Rescorer;

/** A change interrupted after it was decided is completed; one interrupted before leaves the snapshot as it was. */
class SnapshotCommitTest {

    @TempDir
    Path tmp;

    @Test
    void aDecidedChangeShouldBeRefusedOnOpenThenCompletedByRecovery() throws Exception {
        Path a = TestSnapshots.write(tmp.resolve("a"), TestSnapshots.households(25));
        Path b = copy(a, tmp.resolve("b"));
        Rescorer.run(b, PmtFilesTest.V2, new Rescorer.Options(false, 1, 3_200), BuildProgress.NONE);
        for (String f : new String[] {SnapshotFiles.PMT_INDEX, SnapshotFiles.SCORES, SnapshotFiles.PMT_MODEL}) {
            Files.copy(b.resolve(f), a.resolve(f + SnapshotCommit.STAGED));
        }
        Files.copy(b.resolve(SnapshotFiles.MANIFEST), a.resolve(SnapshotCommit.PENDING_MANIFEST));
        Files.move(a.resolve(SnapshotFiles.PMT_INDEX + SnapshotCommit.STAGED), a.resolve(SnapshotFiles.PMT_INDEX),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        SnapshotCorruptException e = assertThrows(SnapshotCorruptException.class,
                () -> Snapshot.open(a, Snapshot.Verify.QUICK));
        assertTrue(e.getMessage().contains("rescore --resume") && e.getMessage().contains("manifest.json.new"),
                e.getMessage());
        assertTrue(SnapshotCommit.recover(a));
        assertFalse(SnapshotCommit.pending(a));
        try (Snapshot sa = Snapshot.open(a, Snapshot.Verify.FULL); Snapshot sb = Snapshot.open(b, Snapshot.Verify.QUICK)) {
            assertEquals(2, sa.manifest().pmtModelVersion());
            HouseholdRecord ra = new HouseholdRecord();
            HouseholdRecord rb = new HouseholdRecord();
            for (int k = 0; k < 25; k++) {
                sa.read(k, ra);
                sb.read(k, rb);
                assertEquals(rb.pmtHundredths(), ra.pmtHundredths(), "ordinal " + k);
            }
        }
        assertEquals(0, staged(a));
    }

    @Test
    void anUndecidedChangeShouldLeaveTheSnapshotAsItWas() throws Exception {
        Path a = TestSnapshots.write(tmp.resolve("a"), TestSnapshots.households(10));
        byte[] manifest = Files.readAllBytes(a.resolve(SnapshotFiles.MANIFEST));
        SnapshotCommit c = SnapshotCommit.begin(a);
        Files.write(c.stage(SnapshotFiles.SCORES), new byte[] {1, 2, 3});
        Files.write(a.resolve(SnapshotCommit.PENDING_MANIFEST + ".tmp"), new byte[] {'{'});
        try (Snapshot s = Snapshot.open(a, Snapshot.Verify.FULL)) {
            assertEquals(1, s.manifest().pmtModelVersion());
        }
        assertFalse(SnapshotCommit.recover(a));
        assertEquals(0, staged(a));
        assertFalse(Files.exists(a.resolve(SnapshotCommit.PENDING_MANIFEST + ".tmp")));
        assertEquals(new String(manifest), Files.readString(a.resolve(SnapshotFiles.MANIFEST)));
    }

    @Test
    void onlySnapshotFilesMayBeStaged() throws Exception {
        Path a = TestSnapshots.write(tmp.resolve("a"), TestSnapshots.households(3));
        assertThrows(IllegalArgumentException.class, () -> SnapshotCommit.begin(a).stage("../elsewhere"));
    }

    private static long staged(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SnapshotCommit.STAGED)).count();
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }
}
