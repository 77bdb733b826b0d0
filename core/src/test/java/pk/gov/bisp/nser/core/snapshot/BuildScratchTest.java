package pk.gov.bisp.nser.core.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.Member;

/** The two Chronicle Maps filled in a scratch directory and copied once give the same snapshot as filled in place. */
class BuildScratchTest {

    @TempDir
    Path tmp;

    @AfterEach
    void clearProperty() {
        System.clearProperty(BuildScratch.PROPERTY);
    }

    @Test
    void mapsFilledInScratchShouldBeCopiedByteForByteAndTheScratchRemoved() throws Exception {
        List<Household> hs = TestSnapshots.households(2_000);
        System.setProperty(BuildScratch.PROPERTY, "none");
        Path inPlace = TestSnapshots.write(tmp.resolve("in-place"), hs);
        Path scratch = Files.createDirectory(tmp.resolve("scratch"));
        System.setProperty(BuildScratch.PROPERTY, scratch.toString());
        Path copied = TestSnapshots.write(tmp.resolve("copied"), hs);

        Manifest a = Manifest.read(inPlace.resolve(SnapshotFiles.MANIFEST));
        Manifest b = Manifest.read(copied.resolve(SnapshotFiles.MANIFEST));
        assertEquals(a.files(), b.files(), "sizes and checksums of every file");
        for (String f : a.files().keySet()) {
            assertEquals(-1L, Files.mismatch(inPlace.resolve(f), copied.resolve(f)), f);
        }
        assertEquals(List.of(), list(scratch), "the scratch directory must be emptied");
        try (Snapshot s = Snapshot.open(copied, Snapshot.Verify.FULL)) {
            assertEquals(2_000, s.householdCount());
            assertEquals(List.of(), SnapshotVerifier.verify(s, x -> { }));
        }
    }

    @Test
    void aFailedBuildShouldRemoveItsScratchAndPublishNothing() throws Exception {
        List<Household> hs = new ArrayList<>(TestSnapshots.households(3));
        Household first = hs.get(0);
        Household dup = hs.get(2);
        List<Member> members = new ArrayList<>(dup.members());
        members.set(0, first.members().get(0));
        hs.set(2, new Household(dup.householdId(), dup.address(), 0, 1, dup.surveyDate(), dup.surveySource(),
                dup.dwelling(), dup.assets(), 0, false, false, 1, members));
        Path scratch = Files.createDirectory(tmp.resolve("scratch"));
        System.setProperty(BuildScratch.PROPERTY, scratch.toString());
        Path target = tmp.resolve("snap");
        DuplicateCnicException e = assertThrows(DuplicateCnicException.class, () -> TestSnapshots.write(target, hs));
        assertEquals(first.members().get(0).cnic(), e.cnic());
        assertFalse(Files.exists(target));
        assertEquals(List.of(), list(scratch));
    }

    private static List<Path> list(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }
}
