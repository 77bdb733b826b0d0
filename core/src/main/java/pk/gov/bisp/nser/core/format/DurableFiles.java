package pk.gov.bisp.nser.core.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A durable write of a new file: every format's small files (indexes, dictionaries, manifests) are written so. */
public final class DurableFiles {

    private DurableFiles() {
    }

    /** Writes a file that must not exist yet, and forces it to disk. */
    public static void writeNew(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }
}
