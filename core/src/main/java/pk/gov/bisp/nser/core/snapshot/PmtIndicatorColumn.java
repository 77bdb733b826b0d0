package pk.gov.bisp.nser.core.snapshot;

import static pk.gov.bisp.nser.core.snapshot.PmtIndicatorsLayout.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import pk.gov.bisp.nser.core.format.FileHeader;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;
import pk.gov.bisp.nser.core.scoring.PmtInputs;

/**
 * {@code pmt-indicators.bin} ({@link PmtIndicatorsLayout}) mapped read-only: the PMT inputs of any ordinal
 * without reading its record. Thread-safe for reads.
 */
public final class PmtIndicatorColumn {

    private final MappedRows rows;

    private PmtIndicatorColumn(MappedRows rows) {
        this.rows = rows;
    }

    public static PmtIndicatorColumn open(Path file) throws IOException {
        MappedRows rows = MappedRows.open(file, MAGIC, VERSION, ROWS_OFFSET, ROW_SIZE);
        int rowSize = rows.header().getInt(ROW_SIZE_OFFSET);
        if (rowSize != ROW_SIZE) {
            throw new SnapshotCorruptException(file, "row size=" + rowSize + " expected=" + ROW_SIZE);
        }
        return new PmtIndicatorColumn(rows);
    }

    public long rows() {
        return rows.rows();
    }

    /** Reads ordinal {@code k}'s inputs into {@code into}. */
    public void read(int k, PmtInputs into) {
        decode(rows.slice(k), rows.offset(k), into);
    }

    /** Throws {@link IllegalArgumentException} when ordinal {@code k}'s row is not one a writer could write. */
    public void check(int k) {
        checkRow(rows.slice(k), rows.offset(k));
    }

    /** True when ordinal {@code k}'s row holds exactly the bytes {@code expected} would be written as. */
    public boolean matches(int k, PmtInputs expected, ByteBuffer scratch) {
        encode(expected, scratch, 0);
        ByteBuffer slice = rows.slice(k);
        int off = rows.offset(k);
        for (int i = 0; i < ROW_SIZE; i++) {
            if (slice.get(off + i) != scratch.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** A scratch buffer for {@link #matches}. */
    public static ByteBuffer rowBuffer() {
        return ByteBuffer.allocate(ROW_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Writes a new {@code pmt-indicators.bin}: rows appended in ordinal order ({@link #append}) or put at their
     * ordinal by several threads ({@link #writeAt}); {@link #finish} records the count and forces it to disk.
     * {@link #close()} without finish leaves a file the caller must delete.
     */
    public static final class Writer implements AutoCloseable {
        private static final int BUFFER_ROWS = 1 << 15;
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_ROWS * ROW_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        private long appended;

        private Writer(FileChannel ch) {
            this.ch = ch;
        }

        /** Creates {@code file}, which must not exist. */
        public static Writer create(Path file) throws IOException {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Writer w = new Writer(ch);
            w.writeHeader(0);
            return w;
        }

        private void writeHeader(long count) throws IOException {
            ByteBuffer h = ByteBuffer.allocate(ROWS_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
            FileHeader.write(h, MAGIC, VERSION);
            h.putLong(count).putInt(ROW_SIZE).putInt(0).flip();
            writeFully(h, 0);
        }

        /** Appends the next ordinal's row. */
        public void append(PmtInputs in) throws IOException {
            encode(in, buf, buf.position());
            buf.position(buf.position() + ROW_SIZE);
            appended++;
            if (!buf.hasRemaining()) {
                flush();
            }
        }

        private void flush() throws IOException {
            buf.flip();
            writeFully(buf, rowOffset(appended - buf.remaining() / ROW_SIZE));
            buf.clear();
        }

        /** Writes encoded rows (whole rows, from position to limit) at ordinal {@code first}; thread-safe. */
        public void writeAt(int first, ByteBuffer rows) throws IOException {
            if (rows.remaining() % ROW_SIZE != 0) {
                throw new IllegalArgumentException("rows bytes=" + rows.remaining() + " not a multiple of "
                        + ROW_SIZE);
            }
            writeFully(rows, rowOffset(first));
        }

        private void writeFully(ByteBuffer b, long position) throws IOException {
            long p = position;
            while (b.hasRemaining()) {
                p += ch.write(b, p);
            }
        }

        /** Appended rows so far. */
        public long appended() {
            return appended;
        }

        /** Records {@code rows} as the count, forces the file to disk and closes it. */
        public void finish(long rows) throws IOException {
            if (buf.position() > 0) {
                flush();
            }
            writeHeader(rows);
            ch.truncate(rowOffset(rows));
            ch.force(true);
            ch.close();
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
