package pk.gov.bisp.nser.core.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import pk.gov.bisp.nser.core.format.Checksums;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;

/**
 * The snapshot generations an online fold ({@link SnapshotFold}) makes, kept in the update directory:
 * <pre>
 * UPDATES/generation.txt                         the current generation's directory name (absent: serve the base)
 * UPDATES/generations/gen-000001-at-0000000000001234/   a snapshot directory, folded through update position 1234,
 *                                                  with its own checkpoint-…ckpt (the idempotency answers at 1234)
 * </pre>
 * The pointer is written to a temporary file, fsynced and renamed, so a start sees the old generation or the new one
 * whole. The base snapshot (the one the server was started on) is never changed or deleted.
 */
public final class Generations {

    public static final String DIR = "generations";
    public static final String POINTER = "generation.txt";

    private Generations() {
    }

    /** The snapshot directory to serve: the current generation of {@code updates}, else {@code base}. */
    public static Path serve(Path base, Path updates) throws IOException {
        Path current = current(updates);
        return current != null ? current : base;
    }

    /** The current generation's directory, or null when none was made. */
    public static Path current(Path updates) throws IOException {
        Path pointer = updates.resolve(POINTER);
        if (!Files.exists(pointer)) {
            return null;
        }
        String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
        Path dir = updates.resolve(DIR).resolve(name);
        if (!name.matches("gen-\\d{6}-at-\\d{16}") || !Files.isDirectory(dir)) {
            throw new SnapshotCorruptException(pointer, "names generation '" + name + "', which is not a directory of "
                    + updates.resolve(DIR));
        }
        return dir;
    }

    /** Where the generation numbered {@code generation}, folded through {@code position}, is written. */
    public static Path next(Path updates, long generation, long position) {
        return updates.resolve(DIR).resolve(String.format("gen-%06d-at-%016d", generation, position));
    }

    /** Makes {@code generation} the one served from now on (durably), then deletes every other generation. */
    public static void publish(Path updates, Path generation) throws IOException {
        Path tmp = updates.resolve(POINTER + ".tmp");
        Files.writeString(tmp, generation.getFileName() + "\n", StandardCharsets.UTF_8);
        Checksums.fsync(tmp);
        Files.move(tmp, updates.resolve(POINTER), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        Checksums.fsyncDirectory(updates);
    }

    /**
     * Deletes what is in {@code updates}' generations directory but {@code keep} and {@code open} (a generation
     * still being read): older generations and the leftovers of a fold that stopped.
     */
    public static int clean(Path updates, Path keep, Path open) throws IOException {
        Path dir = updates.resolve(DIR);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                if (!same(p, keep) && !same(p, open)) {
                    SnapshotWriter.deleteTree(p);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private static boolean same(Path p, Path q) {
        return q != null && p.toAbsolutePath().normalize().equals(q.toAbsolutePath().normalize());
    }

    /** Deletes one generation's directory (never the base: only a directory under {@code updates}' generations). */
    public static void delete(Path updates, Path generation) throws IOException {
        Path g = generation.toAbsolutePath().normalize();
        if (g.getParent() != null && g.getParent().equals(updates.resolve(DIR).toAbsolutePath().normalize())) {
            SnapshotWriter.deleteTree(g);
        }
    }
}
