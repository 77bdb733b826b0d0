package pk.gov.bisp.nser.core.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.roaringbitmap.RangeBitmap;
import pk.gov.bisp.nser.core.snapshot.FileHeader;
import pk.gov.bisp.nser.core.snapshot.SnapshotCorruptException;

/**
 * The PMT score range index ({@code pmt.rbm}): a {@link RangeBitmap} of every household's score in hundredths.
 * <pre>
 *  0   FileHeader: magic "NSERPMTR", version (u32), reserved
 * 16   u64 universe (household count)      24  u32 max value (10000)      28  u32 reserved
 * 32   RangeBitmap serialisation (little-endian)
 * </pre>
 */
public final class PmtIndex {

    public static final String MAGIC = "NSERPMTR";
    public static final int VERSION = 1;
    public static final int MAX_VALUE = 10_000;
    private static final int DATA_OFFSET = 32;

    private final long universe;
    private final RangeBitmap range;

    private PmtIndex(long universe, RangeBitmap range) {
        this.universe = universe;
        this.range = range;
    }

    public static PmtIndex open(Path file) throws IOException {
        MappedByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        buf.order(ByteOrder.LITTLE_ENDIAN);
        FileHeader.check(file, buf, MAGIC, VERSION);
        if (buf.limit() < DATA_OFFSET) {
            throw new SnapshotCorruptException(file, "file is truncated before the range bitmap");
        }
        long universe = buf.getLong(16);
        int max = buf.getInt(24);
        if (max != MAX_VALUE) {
            throw new SnapshotCorruptException(file, "max value=" + max + " expected=" + MAX_VALUE);
        }
        try {
            ByteBuffer data = buf.slice(DATA_OFFSET, buf.limit() - DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
            return new PmtIndex(universe, RangeBitmap.map(data));
        } catch (RuntimeException e) {
            throw new SnapshotCorruptException(file, "unreadable range bitmap: " + e, e);
        }
    }

    /** Appends scores in ordinal order, then writes the file. */
    public static final class Writer {
        private final RangeBitmap.Appender appender = RangeBitmap.appender(MAX_VALUE);
        private long count;

        public void add(int hundredths) {
            appender.add(hundredths);
            count++;
        }

        public void write(Path file) throws IOException {
            ByteBuffer out = ByteBuffer.allocate(DATA_OFFSET + appender.serializedSizeInBytes())
                    .order(ByteOrder.LITTLE_ENDIAN);
            FileHeader.write(out, MAGIC, VERSION);
            out.putLong(count).putInt(MAX_VALUE).putInt(0);
            ByteBuffer data = out.slice().order(ByteOrder.LITTLE_ENDIAN);
            appender.serialize(data);
            out.position(0);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                ch.force(true);
            }
        }
    }

    public long universe() {
        return universe;
    }

    /** The range bitmap over scores in hundredths. */
    public RangeBitmap range() {
        return range;
    }
}
