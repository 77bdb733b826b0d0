package pk.gov.bisp.nser.core.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.roaringbitmap.RangeBitmap;
import pk.gov.bisp.nser.core.format.DurableFiles;
import pk.gov.bisp.nser.core.format.FileHeader;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;
import pk.gov.bisp.nser.core.snapshot.SnapshotFiles;

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

    /** Rows per part of a parallel build: whole RangeBitmap keys (of 2^16 rows), so parts join exactly. */
    public static final int PART_ROWS = 1 << 20;
    /** RangeBitmap's serialisation header: cookie u16, base u8, slice count u8, key count u16, row count u32. */
    private static final int RANGE_HEADER = 10;

    /**
     * The RangeBitmap serialisation of {@code scores[from, to)}, one part of a parallel build: {@code from} a
     * multiple of {@link #PART_ROWS}, and {@code to} too unless it is the end.
     */
    public static ByteBuffer part(char[] scores, int from, int to) {
        if (from % PART_ROWS != 0) {
            throw new IllegalArgumentException("part from=" + from + " is not a multiple of " + PART_ROWS);
        }
        RangeBitmap.Appender a = RangeBitmap.appender(MAX_VALUE);
        for (int k = from; k < to; k++) {
            a.add(scores[k]);
        }
        ByteBuffer out = ByteBuffer.allocate(a.serializedSizeInBytes()).order(ByteOrder.LITTLE_ENDIAN);
        a.serialize(out);
        return out.flip();
    }

    /**
     * Writes {@code pmt.rbm} from the parts of consecutive rows ({@link #part}), byte for byte what one appender
     * given every score in order writes: RangeBitmap keeps each key's slice masks and containers apart, so the
     * parts' key masks and containers are concatenated under one header.
     */
    public static void write(Path file, List<ByteBuffer> parts) throws IOException {
        long rows = 0;
        int keys = 0;
        int masks = 0;
        int containers = 0;
        ByteBuffer first = parts.get(0);
        int slices = first.get(3) & 0xFF;
        int bytesPerMask = (slices + 7) >>> 3;
        for (ByteBuffer p : parts) {
            if (p.getChar(0) != first.getChar(0) || p.get(2) != first.get(2) || (p.get(3) & 0xFF) != slices) {
                throw new IllegalArgumentException("parts of different range bitmaps");
            }
            int k = p.getChar(4);
            keys += k;
            rows += p.getInt(6) & 0xFFFFFFFFL;
            masks += k * bytesPerMask;
            containers += p.limit() - RANGE_HEADER - k * bytesPerMask;
        }
        if (keys > 0xFFFF) {
            throw new IllegalArgumentException("rows=" + rows + " exceed a range bitmap's 2^32");
        }
        ByteBuffer out = ByteBuffer.allocate(DATA_OFFSET + RANGE_HEADER + masks + containers)
                .order(ByteOrder.LITTLE_ENDIAN);
        FileHeader.write(out, MAGIC, VERSION);
        out.putLong(rows).putInt(MAX_VALUE).putInt(0);
        out.putChar(first.getChar(0)).put(first.get(2)).put((byte) slices).putChar((char) keys).putInt((int) rows);
        for (ByteBuffer p : parts) {
            out.put(p.slice(RANGE_HEADER, p.getChar(4) * bytesPerMask));
        }
        for (ByteBuffer p : parts) {
            int from = RANGE_HEADER + p.getChar(4) * bytesPerMask;
            out.put(p.slice(from, p.limit() - from));
        }
        DurableFiles.writeNew(file, out.array());
    }

    public long universe() {
        return universe;
    }

    /** The range bitmap over scores in hundredths. */
    public RangeBitmap range() {
        return range;
    }
}
