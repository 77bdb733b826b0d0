package pk.gov.bisp.nser.core.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import pk.gov.bisp.nser.core.format.FileHeader;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;

/**
 * A file of a header then fixed-width rows, one per ordinal, mapped read-only in slices of
 * 2^{@value #SLICE_SHIFT} rows (a mapped buffer stops at 2 GiB). Checks the header and that the size agrees
 * with the row count.
 */
final class MappedRows {

    static final int SLICE_SHIFT = 24;
    private static final int SLICE_MASK = (1 << SLICE_SHIFT) - 1;

    private final ByteBuffer header;
    private final ByteBuffer[] slices;
    private final int rowSize;
    private final long rows;

    private MappedRows(ByteBuffer header, ByteBuffer[] slices, int rowSize, long rows) {
        this.header = header;
        this.slices = slices;
        this.rowSize = rowSize;
        this.rows = rows;
    }

    /** Maps {@code file}: header of {@code headerSize} bytes with the u64 row count at 16, then the rows. */
    static MappedRows open(Path file, String magic, int version, int headerSize, int rowSize) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer header = ByteBuffer.allocate((int) Math.min(size, headerSize)).order(ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining() && ch.read(header) >= 0) {
                // read the whole header, or what there is of it
            }
            header.flip();
            FileHeader.check(file, header, magic, version);
            if (header.limit() < headerSize) {
                throw new SnapshotCorruptException(file, "file is " + size + " bytes, shorter than its "
                        + headerSize + "-byte header");
            }
            long rows = header.getLong(16);
            if (rows < 0 || rows > Integer.MAX_VALUE || headerSize + rows * rowSize != size) {
                throw new SnapshotCorruptException(file, "rows=" + rows + " of " + rowSize + " bytes do not match "
                        + "file size=" + size);
            }
            int n = (int) ((rows + SLICE_MASK) >>> SLICE_SHIFT);
            ByteBuffer[] slices = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                long first = (long) i << SLICE_SHIFT;
                long count = Math.min(rows - first, 1L << SLICE_SHIFT);
                MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, headerSize + first * rowSize,
                        count * rowSize);
                slices[i] = m.order(ByteOrder.LITTLE_ENDIAN);
            }
            return new MappedRows(header, slices, rowSize, rows);
        }
    }

    /** The header bytes (little-endian). */
    ByteBuffer header() {
        return header;
    }

    long rows() {
        return rows;
    }

    /** The slice holding ordinal {@code k}; its row starts at {@link #offset(int)}. */
    ByteBuffer slice(int k) {
        return slices[k >>> SLICE_SHIFT];
    }

    int offset(int k) {
        return (k & SLICE_MASK) * rowSize;
    }
}
