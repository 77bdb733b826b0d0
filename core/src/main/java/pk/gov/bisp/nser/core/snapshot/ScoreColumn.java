package pk.gov.bisp.nser.core.snapshot;

import static pk.gov.bisp.nser.core.snapshot.ScoresLayout.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import pk.gov.bisp.nser.core.format.FileHeader;

/** {@code scores.bin} ({@link ScoresLayout}) mapped read-only: the re-scored PMT score of each ordinal. */
public final class ScoreColumn {

    private final MappedRows rows;
    private final int modelVersion;

    private ScoreColumn(MappedRows rows, int modelVersion) {
        this.rows = rows;
        this.modelVersion = modelVersion;
    }

    public static ScoreColumn open(Path file) throws IOException {
        MappedRows rows = MappedRows.open(file, MAGIC, VERSION, SCORES_OFFSET, ENTRY_SIZE);
        return new ScoreColumn(rows, rows.header().getShort(MODEL_VERSION_OFFSET) & 0xFFFF);
    }

    public long rows() {
        return rows.rows();
    }

    /** The version of the model that computed these scores. */
    public int modelVersion() {
        return modelVersion;
    }

    /** Ordinal {@code k}'s score in hundredths. */
    public int get(int k) {
        return rows.slice(k).getShort(rows.offset(k)) & 0xFFFF;
    }

    /** Writes {@code scores[0..n)} (hundredths) as a new file, forced to disk. */
    public static void write(Path file, char[] scores, int n, int modelVersion) throws IOException {
        if (modelVersion < 0 || modelVersion > 0xFFFF) {
            throw new IllegalArgumentException("model version=" + modelVersion + " must be 0..65535");
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        FileHeader.write(buf, MAGIC, VERSION);
        buf.putLong(n).putShort((short) modelVersion).putShort((short) 0).putInt(0);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int k = 0; k < n; k++) {
                checkScore(k, scores[k]);
                if (!buf.hasRemaining()) {
                    drain(ch, buf);
                }
                buf.putShort((short) scores[k]);
            }
            drain(ch, buf);
            ch.force(true);
        }
    }

    private static void drain(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }
}
