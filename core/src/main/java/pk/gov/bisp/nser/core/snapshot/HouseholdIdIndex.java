package pk.gov.bisp.nser.core.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import pk.gov.bisp.nser.core.format.DurableFiles;
import pk.gov.bisp.nser.core.format.FileHeader;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;

/**
 * {@code household-ids.bin}, version {@value #VERSION}: household id to ordinal, as pairs sorted by id,
 * found by binary search over the mapped file.
 * <pre>
 *  0   FileHeader: magic "NSERHHID", version (u32), reserved
 * 16   u64 count n
 * 24   n entries of 12 bytes, ascending by id: i64 household id, i32 ordinal
 * </pre>
 */
public final class HouseholdIdIndex {

    public static final String MAGIC = "NSERHHID";
    public static final int VERSION = 1;
    private static final int ENTRIES = 24;
    private static final int ENTRY = 12;

    private final ByteBuffer buf;
    private final int count;

    private HouseholdIdIndex(ByteBuffer buf, int count) {
        this.buf = buf;
        this.count = count;
    }

    public static HouseholdIdIndex open(Path file) throws IOException {
        MappedByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        buf.order(ByteOrder.LITTLE_ENDIAN);
        FileHeader.check(file, buf, MAGIC, VERSION);
        long n = buf.limit() >= ENTRIES ? buf.getLong(16) : -1;
        if (n < 0 || ENTRIES + n * ENTRY != buf.limit()) {
            throw new SnapshotCorruptException(file, "count=" + n + " does not match file size=" + buf.limit());
        }
        return new HouseholdIdIndex(buf, (int) n);
    }

    /** Writes the pairs; {@code ids[i]} is the id of ordinal {@code ordinals[i]}; sorts by id, rejects repeats. */
    public static void write(Path file, long[] ids, int[] ordinals, int n) throws IOException {
        int[] order = sortedOrder(ids, ordinals, n);
        ByteBuffer out = ByteBuffer.allocate(ENTRIES + n * ENTRY).order(ByteOrder.LITTLE_ENDIAN);
        FileHeader.write(out, MAGIC, VERSION);
        out.putLong(n);
        long prev = Long.MIN_VALUE;
        for (int k = 0; k < n; k++) {
            int i = order == null ? k : order[k];
            if (ids[i] == prev) {
                throw new IllegalArgumentException("household id " + ids[i] + " appears more than once");
            }
            prev = ids[i];
            out.putLong(ids[i]).putInt(ordinals[i]);
        }
        DurableFiles.writeNew(file, out.array());
    }

    /** Positions in id order, or null when the ids already ascend (the generator's case). */
    private static int[] sortedOrder(long[] ids, int[] ordinals, int n) {
        boolean ascending = true;
        long max = 0;
        for (int i = 0; i < n; i++) {
            ascending &= i == 0 || ids[i] > ids[i - 1];
            max = Math.max(max, ids[i]);
        }
        if (ascending) {
            return null;
        }
        int[] order = new int[n];
        if (max < (1L << 35) && ids.length > 0 && java.util.Arrays.stream(ids, 0, n).allMatch(v -> v >= 0)) {
            long[] packed = new long[n];
            for (int i = 0; i < n; i++) {
                packed[i] = ids[i] << 28 | i;
            }
            java.util.Arrays.sort(packed);
            for (int k = 0; k < n; k++) {
                order[k] = (int) (packed[k] & ((1 << 28) - 1));
            }
            return order;
        }
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = i;
        }
        java.util.Arrays.sort(boxed, (a, b) -> Long.compare(ids[a], ids[b]));
        for (int k = 0; k < n; k++) {
            order[k] = boxed[k];
        }
        return order;
    }

    /** The ordinal of the household with this id, or -1. */
    public int ordinalOf(long id) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = buf.getLong(ENTRIES + mid * ENTRY);
            if (v < id) {
                lo = mid + 1;
            } else if (v > id) {
                hi = mid - 1;
            } else {
                return buf.getInt(ENTRIES + mid * ENTRY + 8);
            }
        }
        return -1;
    }

    public int size() {
        return count;
    }

    /** The household id of entry {@code i} (0..size-1, in ascending id order). */
    public long idAt(int i) {
        return buf.getLong(ENTRIES + i * ENTRY);
    }

    /** The ordinal of entry {@code i}. */
    public int ordinalAt(int i) {
        return buf.getInt(ENTRIES + i * ENTRY + 8);
    }

    /** The highest household id in the file, or 0 when it is empty. */
    public long maxId() {
        return count == 0 ? 0 : buf.getLong(ENTRIES + (count - 1) * ENTRY);
    }
}
