package pk.gov.bisp.nser.core.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.core.format.Checksums;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;
import pk.gov.bisp.nser.core.record.HouseholdRecord;

/**
 * A process killed while it reads leaves Chronicle Map's segment lock counted in the file (the locks live in the
 * mapped memory): a real child JVM takes a read lock and halts. The snapshot must still open, with every byte as
 * built, when the opener is alone with it; and must not be touched while another opener may be reading it.
 */
@Timeout(120) // a hang guard, not an assertion on time
class SnapshotStaleLockTest {

    @TempDir
    Path tmp;

    @Test
    void aLockLeftByAKilledReaderShouldBeClearedWhenAloneAndTheFileMatchItsChecksumAgain() throws Exception {
        Path dir = TestSnapshots.write(tmp.resolve("snap"), TestSnapshots.households(50));
        for (String name : List.of(SnapshotFiles.HOUSEHOLDS, SnapshotFiles.CNIC_INDEX)) {
            Path f = dir.resolve(name);
            String built = Checksums.crc32c(f, b -> { });
            killWhileReading(f, name.equals(SnapshotFiles.CNIC_INDEX));
            assertNotEquals(built, Checksums.crc32c(f, b -> { }), name + ": the child left no lock in the file");
            try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.FULL)) {
                HouseholdRecord r = new HouseholdRecord();
                assertTrue(s.read(s.ordinalOfCnic(3_520_200_000_001L + 7 * 1_000L), r));
                assertEquals(1_000_000_008L, r.householdId());
            }
            assertEquals(built, Checksums.crc32c(f, b -> { }), name + " after the open");
        }
    }

    @Test
    void whileAnotherOpenerHasTheSnapshotALeftLockShouldBeReportedAndLeftAlone() throws Exception {
        Path dir = TestSnapshots.write(tmp.resolve("snap"), TestSnapshots.households(20));
        Path f = dir.resolve(SnapshotFiles.HOUSEHOLDS);
        String built = Checksums.crc32c(f, b -> { });
        try (Snapshot first = Snapshot.open(dir, Snapshot.Verify.QUICK)) {
            killWhileReading(f, false);
            String left = Checksums.crc32c(f, b -> { });
            SnapshotCorruptException e = assertThrows(SnapshotCorruptException.class,
                    () -> Snapshot.open(dir, Snapshot.Verify.FULL).close());
            assertTrue(e.getMessage().contains("a process that has this snapshot open is reading it"),
                    e.getMessage());
            assertEquals(left, Checksums.crc32c(f, b -> { }), "recovered under another opener");
            assertEquals(20, first.householdCount());
        }
        try (Snapshot again = Snapshot.open(dir, Snapshot.Verify.FULL)) {
            assertEquals(20, again.householdCount());
        }
        assertEquals(built, Checksums.crc32c(f, b -> { }));
    }

    @Test
    void recoveryShouldGiveBackAMapWithExtraTiersByteForByte() throws Exception {
        // Chronicle Map 3.x once lost the entries of extra tiers in recovery (OpenHFT/Chronicle-Map#251): a map
        // filled to three times its configured entries must come back with the bytes it was built with
        File f = tmp.resolve("tiers.cm").toFile();
        try (ChronicleMap<Long, Integer> m = ChronicleMaps.createCnicIndex(f, 20_000)) {
            for (int i = 0; i < 60_000; i++) {
                m.put(3_520_200_000_001L + i * 7L, i);
            }
        }
        String built = Checksums.crc32c(f.toPath(), b -> { });
        killWhileReading(f.toPath(), true);
        assertNotEquals(built, Checksums.crc32c(f.toPath(), b -> { }));
        ChronicleMaps.recover(f, true);
        assertEquals(built, Checksums.crc32c(f.toPath(), b -> { }));
        try (ChronicleMap<Long, Integer> m = ChronicleMaps.openCnicIndex(f)) {
            assertEquals(60_000, m.size());
            assertEquals(59_999, m.get(3_520_200_000_001L + 59_999 * 7L));
        }
    }

    /** Runs {@link Reader} in a child JVM: it opens {@code file}, takes a read lock, and halts holding it. */
    private static void killWhileReading(Path file, boolean cnicIndex) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Dchronicle")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Reader.class.getName(), file.toString(),
                Boolean.toString(cnicIndex)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(9, p.waitFor(), out);
        assertTrue(out.contains("read lock held"), out);
    }

    /** The child: a reader that stops for good in the middle of a read. */
    public static final class Reader {
        public static void main(String[] args) throws Exception {
            ChronicleMaps.disableAnalytics();
            File f = new File(args[0]);
            if (Boolean.parseBoolean(args[1])) {
                ChronicleMap<Long, Integer> m = ChronicleMaps.openCnicIndex(f);
                ExternalMapQueryContext<Long, Integer, ?> c = m.queryContext(3_520_200_000_001L);
                c.readLock().lock();
            } else {
                ChronicleMap<Integer, byte[]> m = ChronicleMaps.openHouseholds(f);
                ExternalMapQueryContext<Integer, byte[], ?> c = m.queryContext(3);
                c.readLock().lock();
            }
            System.out.println("read lock held");
            System.out.flush();
            Runtime.getRuntime().halt(9);
        }
    }
}
