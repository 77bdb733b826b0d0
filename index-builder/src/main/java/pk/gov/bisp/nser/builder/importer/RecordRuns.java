package pk.gov.bisp.nser.builder.importer;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The encoded records of an import, put into snapshot order in bounded memory: records are gathered in an arena of
 * fixed size, sorted by (union council, seq) and spilled as a run; {@link #merge} then reads every run at once and
 * yields the records in that order. Records must be added in ascending seq. Run entries: union council (4 bytes),
 * seq (8), length (2), the record; so the runs take the records' size plus 14 bytes per household of disk.
 */
final class RecordRuns {

    /** Receives the records in (union council, seq) order. */
    interface Sink {
        void accept(int unionCouncil, long seq, byte[] record, int length) throws IOException;
    }

    private final Path dir;
    private final byte[] arena;
    private final long[] order;
    private final long[] seqs;
    private final int[] offsets;
    private final List<Path> runs = new ArrayList<>();
    private int used;
    private int n;
    private long total;
    private long bytes;

    /** @param runBytes arena size; a run holds at most {@code runBytes / 256} records */
    RecordRuns(Path dir, int runBytes) {
        this.dir = dir;
        this.arena = new byte[runBytes];
        int entries = Math.max(1_024, runBytes / 256);
        this.order = new long[entries];
        this.seqs = new long[entries];
        this.offsets = new int[entries];
    }

    void add(int unionCouncil, long seq, byte[] record) throws IOException {
        if (unionCouncil < 0 || seq > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("union council " + unionCouncil + " or position " + seq
                    + " out of range");
        }
        if (n == order.length || used + record.length > arena.length) {
            spill();
        }
        System.arraycopy(record, 0, arena, used, record.length);
        order[n] = (long) unionCouncil << 32 | seq;
        seqs[n] = seq;
        offsets[n++] = used;
        used += record.length;
        total++;
        bytes += record.length;
    }

    long households() {
        return total;
    }

    long recordBytes() {
        return bytes;
    }

    private void spill() throws IOException {
        if (n == 0) {
            return;
        }
        Arrays.sort(order, 0, n);
        Path run = dir.resolve("records-" + runs.size() + ".run");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run),
                1 << 16))) {
            for (int i = 0; i < n; i++) {
                long seq = order[i] & 0xFFFF_FFFFL;
                int e = Arrays.binarySearch(seqs, 0, n, seq); // seqs ascend in the order they were added
                int end = e + 1 < n ? offsets[e + 1] : used;
                out.writeInt((int) (order[i] >>> 32));
                out.writeLong(seq);
                out.writeShort(end - offsets[e]);
                out.write(arena, offsets[e], end - offsets[e]);
            }
        }
        runs.add(run);
        n = 0;
        used = 0;
    }

    /** Hands every record to {@code sink} in (union council, seq) order. */
    void merge(Sink sink) throws IOException {
        spill();
        RunFile.merge(runs, Reader::new, (x, y) -> x.uc != y.uc ? Integer.compare(x.uc, y.uc)
                : Long.compare(x.seq, y.seq), r -> sink.accept(r.uc, r.seq, r.record, r.length));
    }

    /** One run, read record by record. */
    private static final class Reader extends RunFile {
        final byte[] record = new byte[pk.gov.bisp.nser.core.record.RecordLayout.MAX_RECORD_SIZE];
        int uc;
        long seq;
        int length;

        Reader(Path run) throws IOException {
            super(run);
        }

        @Override
        boolean next() throws IOException {
            try {
                uc = in.readInt();
            } catch (EOFException end) {
                return false;
            }
            seq = in.readLong();
            length = in.readUnsignedShort();
            in.readFully(record, 0, length);
            return true;
        }
    }
}
