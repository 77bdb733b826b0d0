package pk.gov.bisp.nser.server.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot's files locked in memory: the process's locked memory (VmLck) grows by them, and shrinks back. */
class MemoryLockTest {

    private static long lockedKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmLck:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmLck in /proc/self/status");
    }

    @Test
    void everyNonEmptyFileShouldBeLockedUntilClosed(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux only");
        Files.write(dir.resolve("a.cm"), new byte[1 << 20]);
        Files.write(dir.resolve("b.bin"), new byte[3 << 20]);
        Files.write(dir.resolve("empty.json"), new byte[0]);
        Files.createDirectory(dir.resolve("sub"));
        long before = lockedKb();
        try (MemoryLock m = MemoryLock.lock(dir)) {
            List<String> failures = m.failures();
            Assumptions.assumeTrue(failures.isEmpty() || !failures.get(0).contains("mlock"),
                    "this process may not lock memory: " + failures);
            assertEquals(List.of(), failures);
            assertEquals(4L << 20, m.lockedBytes());
            assertTrue(lockedKb() - before >= 4 << 10, "VmLck grew by " + (lockedKb() - before) + " kB");
        }
        assertEquals(before, lockedKb());
    }
}
