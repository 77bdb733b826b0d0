package pk.gov.bisp.nser.core.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.index.HouseholdIndexer;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.HouseType;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.Member;

class SnapshotTest {

    @TempDir
    Path tmp;

    @Test
    void shouldFindEveryMemberByCnicAfterReopening() throws Exception {
        List<Household> hs = TestSnapshots.households(60);
        Path dir = TestSnapshots.write(tmp.resolve("snap"), hs);
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.FULL)) {
            assertEquals(60, s.householdCount());
            HouseholdRecord r = new HouseholdRecord();
            for (Household h : hs) {
                for (Member m : h.members()) {
                    int ordinal = s.ordinalOfCnic(m.cnic());
                    assertTrue(s.read(ordinal, r));
                    assertEquals(h.householdId(), r.householdId());
                    Household decoded = HouseholdCodec.decode(r, s.dictionary());
                    assertEquals(h.members(), decoded.members());
                    assertEquals(h.address(), decoded.address());
                }
                assertEquals(s.ordinalOfCnic(h.members().get(0).cnic()), s.householdIds().ordinalOf(h.householdId()));
            }
            assertEquals(-1, s.ordinalOfCnic(3_520_299_999_991L));
            assertEquals(-1, s.householdIds().ordinalOf(42L));
            assertEquals(hs.stream().mapToLong(h -> h.members().size()).sum(), s.manifest().members());
        }
    }

    @Test
    void bitmapsShouldEqualCountsFromScanningTheRecords() throws Exception {
        List<Household> hs = TestSnapshots.households(40);
        Path dir = TestSnapshots.write(tmp.resolve("snap"), hs);
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK)) {
            assertEquals(List.of(), SnapshotVerifier.verify(s, x -> { }));
            long kacha = hs.stream().filter(h -> h.dwelling().houseType() == HouseType.KACHA).count();
            assertEquals(kacha, s.bitmaps().get("house_type=kacha").getLongCardinality());
            long sized3 = hs.stream().filter(h -> h.members().size() == 3).count();
            assertEquals(sized3, s.bitmaps().get("household_size=3").getLongCardinality());
            int uc = hs.get(7).address().unionCouncil();
            int ordinal = s.householdIds().ordinalOf(hs.get(7).householdId());
            assertTrue(s.bitmaps().get(HouseholdIndexer.geoName(GeoLevel.UNION_COUNCIL, uc)).contains(ordinal));
            long under = hs.stream().filter(h -> scoreOf(s, h) < 3_200).count();
            assertEquals(under, s.pmt().range().lteCardinality(3_199));
        }
    }

    private static int scoreOf(Snapshot s, Household h) {
        HouseholdRecord r = new HouseholdRecord();
        s.read(s.householdIds().ordinalOf(h.householdId()), r);
        return r.pmtHundredths();
    }

    /** Every file a new snapshot has: the data files, the indicator column and the model. */
    static List<String> dataFiles() {
        List<String> all = new ArrayList<>(SnapshotFiles.DATA_FILES);
        all.add(SnapshotFiles.PMT_INDICATORS);
        all.add(SnapshotFiles.PMT_MODEL);
        return all;
    }

    @ParameterizedTest
    @MethodSource("dataFiles")
    void shouldRefuseAFlippedByteNamingTheFile(String file) throws Exception {
        Path dir = TestSnapshots.write(tmp.resolve("snap"), TestSnapshots.households(20));
        Path f = dir.resolve(file);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            long pos = raf.length() / 2;
            raf.seek(pos);
            int b = raf.read();
            raf.seek(pos);
            raf.write(b ^ 0x5A);
        }
        SnapshotCorruptException e = assertThrows(SnapshotCorruptException.class,
                () -> Snapshot.open(dir, Snapshot.Verify.FULL));
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains("checksum"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("dataFiles")
    void shouldRefuseATruncatedFileNamingTheFile(String file) throws Exception {
        Path dir = TestSnapshots.write(tmp.resolve("snap"), TestSnapshots.households(20));
        Path f = dir.resolve(file);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(raf.length() - 1);
        }
        SnapshotCorruptException e = assertThrows(SnapshotCorruptException.class,
                () -> Snapshot.open(dir, Snapshot.Verify.QUICK));
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void shouldRefuseADirectoryWithoutManifest() throws Exception {
        Path dir = TestSnapshots.write(tmp.resolve("snap"), TestSnapshots.households(5));
        Files.delete(dir.resolve(SnapshotFiles.MANIFEST));
        SnapshotCorruptException e = assertThrows(SnapshotCorruptException.class,
                () -> Snapshot.open(dir, Snapshot.Verify.QUICK));
        assertTrue(e.getMessage().contains("manifest.json") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void shouldRefuseAnUnknownMagicInOurOwnBinaryFiles() throws Exception {
        Path dir = TestSnapshots.write(tmp.resolve("snap"), TestSnapshots.households(5));
        Path f = dir.resolve(SnapshotFiles.BITMAPS);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write("XXXXXXXX".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        SnapshotCorruptException e = assertThrows(SnapshotCorruptException.class,
                () -> Snapshot.open(dir, Snapshot.Verify.QUICK));
        assertTrue(e.getMessage().contains(SnapshotFiles.BITMAPS) && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void writerShouldRefuseRecordsOutOfGeographicOrderAndPublishNothing() throws Exception {
        List<Household> hs = new ArrayList<>(TestSnapshots.households(10));
        java.util.Collections.reverse(hs);
        Path target = tmp.resolve("snap");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestSnapshots.write(target, hs));
        assertTrue(e.getMessage().contains("geographic order"), e.getMessage());
        assertFalse(Files.exists(target));
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count(), "the temporary build directory must be removed");
        }
    }

    @Test
    void writerShouldRefuseACnicThatBelongsToAnotherHousehold() throws Exception {
        List<Household> hs = new ArrayList<>(TestSnapshots.households(3));
        Household first = hs.get(0);
        Household dup = hs.get(1);
        List<Member> members = new ArrayList<>(dup.members());
        members.set(0, first.members().get(0));
        hs.set(1, new Household(dup.householdId(), dup.address(), 0, 1, dup.surveyDate(), dup.surveySource(),
                dup.dwelling(), dup.assets(), 0, false, false, 1, members));
        Path target = tmp.resolve("snap");
        DuplicateCnicException e = assertThrows(DuplicateCnicException.class, () -> TestSnapshots.write(target, hs));
        assertTrue(e.getMessage().contains("already belongs to household " + first.householdId()), e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void writerShouldNotOverwriteAnExistingSnapshotUnlessAsked() throws Exception {
        Path dir = TestSnapshots.write(tmp.resolve("snap"), TestSnapshots.households(3));
        IOException e = assertThrows(IOException.class, () -> TestSnapshots.write(dir, TestSnapshots.households(3)));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }

    @Test
    void chronicleAnalyticsShouldBeOff() {
        ChronicleMaps.disableAnalytics();
        assertEquals("true", System.getProperty("chronicle.analytics.disable"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("net.openhft.chronicle.analytics.Analytics"));
    }
}
