package pk.gov.bisp.nser.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Damages a journal's frames on disk as a failing disk would (JOURNAL-FORMAT.md), for the damage tests. */
public final class JournalFrames {

    /** Where a frame was damaged: its segment file and the frame's offset in it. */
    public record Damage(String file, long offset) {
    }

    private JournalFrames() {
    }

    /** Flips a byte in the middle of the payload of the frame of {@code sequence} in the journal {@code dir}. */
    public static Damage flip(Path dir, long sequence) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path seg : files.filter(f -> f.getFileName().toString().endsWith(".seg")).sorted().toList()) {
                byte[] b = Files.readAllBytes(seg);
                ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                for (int pos = 32; pos + 18 <= b.length; pos += buf.getInt(pos)) {
                    if (buf.getLong(pos + 8) == sequence) {
                        b[pos + 18 + (buf.getInt(pos) - 18) / 2] ^= 0x5A;
                        Files.write(seg, b);
                        return new Damage(seg.getFileName().toString(), pos);
                    }
                }
            }
        }
        throw new AssertionError("no frame of sequence " + sequence + " in " + dir);
    }
}
