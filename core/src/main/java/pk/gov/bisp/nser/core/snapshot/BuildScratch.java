package pk.gov.bisp.nser.core.snapshot;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * Where a build fills its two Chronicle Maps. Their puts land at random (the maps hash their keys to segments) in
 * files larger than the kernel lets stay dirty, so filled in place on disk the same pages are written back, dirtied
 * again and written again: 43 GB written for a 4.4 GB snapshot at 10M households, 240 GB nationally. Filled on a
 * RAM-backed file system instead ({@code /dev/shm}), nothing is written until the finished map is copied into the
 * snapshot once, sequentially, its checksum computed on the way.
 *
 * <p>System property {@value #PROPERTY}: {@code none} fills the maps in place; a directory fills them there. By
 * default {@code /dev/shm}, for each map that fits in its free space and leaves memory for the heap and the rest
 * of the machine; a map that does not fit is filled in place. The scratch directory is removed when the build
 * finishes or fails, and by a shutdown hook when the process is stopped.
 */
final class BuildScratch implements AutoCloseable {

    static final String PROPERTY = "nser.build.scratch";
    private static final Path DEFAULT = Path.of("/dev/shm");
    private static final long RESERVE = 2L << 30;
    private static final int BLOCK = 4 << 20;

    /** Creates a map in a file. */
    @FunctionalInterface
    interface MapFactory<M extends ChronicleMap<?, ?>> {
        M create(File file) throws IOException;
    }

    private final Path dir;
    private final Set<String> held = new HashSet<>();
    private final Thread cleanup;

    private BuildScratch(Path dir) {
        this.dir = dir;
        this.cleanup = dir == null ? null : new Thread(this::deleteQuietly, "nser-build-scratch-cleanup");
        if (cleanup != null) {
            Runtime.getRuntime().addShutdownHook(cleanup);
        }
    }

    /** A scratch directory named after the build ({@code prefix}), or one that fills every map in place. */
    static BuildScratch open(String prefix) throws IOException {
        String p = System.getProperty(PROPERTY, "");
        if (p.equals("none")) {
            return new BuildScratch(null);
        }
        Path root = p.isEmpty() ? DEFAULT : Path.of(p);
        if (!Files.isDirectory(root) || !Files.isWritable(root)) {
            if (!p.isEmpty()) {
                throw new IOException(PROPERTY + "=" + p + " is not a writable directory");
            }
            return new BuildScratch(null);
        }
        return new BuildScratch(Files.createTempDirectory(root, "nser" + prefix + "-"));
    }

    /**
     * Creates the map {@code name} in scratch when there is room for {@code estimate} bytes of it, else in
     * {@code inPlace}. Chronicle Map allocates its whole file when it creates it, so memory is checked again
     * after: a map that leaves too little for the heap and the rest of the machine is moved back in place.
     */
    <M extends ChronicleMap<?, ?>> M create(String name, Path inPlace, long estimate, MapFactory<M> factory)
            throws IOException {
        if (dir != null && fits(estimate)) {
            Path f = dir.resolve(name);
            M map = factory.create(f.toFile());
            if (fits(0)) {
                held.add(name);
                return map;
            }
            map.close();
            Files.delete(f);
        }
        return factory.create(inPlace.resolve(name).toFile());
    }

    /** Whether {@code bytes} more in scratch leave room in it and memory for half the heap and a reserve. */
    private boolean fits(long bytes) throws IOException {
        if (Files.getFileStore(dir).getUsableSpace() < bytes + RESERVE) {
            return false;
        }
        long available = MemInfo.availableBytes();
        return available < 0 || available - bytes >= Runtime.getRuntime().maxMemory() / 2 + RESERVE;
    }

    /** Whether the map {@code name} was filled here. */
    boolean holds(String name) {
        return held.contains(name);
    }

    /** The size of the map {@code name} held here. */
    long size(String name) throws IOException {
        return Files.size(dir.resolve(name));
    }

    /**
     * Copies the closed map {@code name} to {@code to}, forces it to disk and deletes the scratch copy; returns its
     * CRC32C as 8 hex digits ({@link Checksums#crc32c}). {@code progress} receives the bytes copied.
     */
    String moveInto(String name, Path to, LongConsumer progress) throws IOException {
        Path from = dir.resolve(name);
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
            while (in.read(buf) > 0) {
                buf.flip();
                int n = buf.remaining();
                crc.update(buf.duplicate());
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                buf.clear();
                progress.accept(n);
            }
            out.force(true);
        }
        Files.delete(from);
        return String.format("%08x", crc.getValue());
    }

    /** Removes the scratch directory and whatever is left in it. */
    @Override
    public void close() throws IOException {
        if (dir != null) {
            SnapshotWriter.deleteTree(dir);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it deletes the same directory
            }
        }
    }

    private void deleteQuietly() {
        try {
            SnapshotWriter.deleteTree(dir);
        } catch (IOException ignored) {
            // the process is stopping; /dev/shm is emptied at the next boot in any case
        }
    }

    /** {@code MemAvailable} from /proc/meminfo. */
    private static final class MemInfo {
        static long availableBytes() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                    if (line.startsWith("MemAvailable:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
            return -1;
        }
    }
}
