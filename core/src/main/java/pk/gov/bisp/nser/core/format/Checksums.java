package pk.gov.bisp.nser.core.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/** CRC32C of whole files, read in 4 MiB blocks; reading a mapped file this way also warms its pages. */
public final class Checksums {

    private static final int BLOCK = 4 << 20;

    private Checksums() {
    }

    /** The checksum as 8 hex digits; {@code progress} receives the bytes read after each block. */
    public static String crc32c(Path file, LongConsumer progress) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) > 0) {
                buf.flip();
                progress.accept(buf.remaining());
                crc.update(buf);
                buf.clear();
            }
        }
        return String.format("%08x", crc.getValue());
    }

    /** Forces a file's contents to disk. */
    public static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Forces a directory entry to disk (a no-op where the platform cannot open directories). */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // not supported on every platform; the files themselves were forced
        }
    }
}
