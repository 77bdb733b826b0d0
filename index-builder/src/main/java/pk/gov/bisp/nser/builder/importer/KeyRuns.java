package pk.gov.bisp.nser.builder.importer;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Uniqueness of a key (household ids, or CNICs) across the whole import in bounded memory: (key, seq) pairs are
 * gathered into a run of fixed size, sorted and spilled to a file of 16 bytes per pair; at the end the runs are
 * merged, and every key that more than one household holds is handed over with those households' seqs, in order.
 * Memory: 16 bytes per pair of the current run; disk: 16 bytes per key of the whole import.
 */
final class KeyRuns {

    /** Receives each key held by more than one household, with their seqs ascending. */
    interface Duplicates {
        void of(long key, long[] seqs) throws IOException;
    }

    private final Path dir;
    private final String name;
    private final long[] keys;
    private final long[] seqs;
    private final List<Path> runs = new ArrayList<>();
    private int n;
    private long total;

    KeyRuns(Path dir, String name, int runPairs) {
        this.dir = dir;
        this.name = name;
        this.keys = new long[runPairs];
        this.seqs = new long[runPairs];
    }

    void add(long key, long seq) throws IOException {
        if (n == keys.length) {
            spill();
        }
        keys[n] = key;
        seqs[n++] = seq;
        total++;
    }

    long total() {
        return total;
    }

    private void spill() throws IOException {
        if (n == 0) {
            return;
        }
        PairSort.sort(keys, seqs, n);
        Path run = dir.resolve(name + "-" + runs.size() + ".run");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run),
                1 << 16))) {
            for (int i = 0; i < n; i++) {
                out.writeLong(keys[i]);
                out.writeLong(seqs[i]);
            }
        }
        runs.add(run);
        n = 0;
    }

    /** Merges every run, handing each duplicated key to {@code dup}; {@code progress} gets the pairs read. */
    void duplicates(Duplicates dup, java.util.function.LongConsumer progress) throws IOException {
        spill();
        Groups groups = new Groups(dup, progress);
        RunFile.merge(runs, Reader::new, (x, y) -> x.key != y.key ? Long.compare(x.key, y.key)
                : Long.compare(x.seq, y.seq), groups::add);
        groups.finish();
    }

    /** Gathers the seqs of one key at a time, in merge order; a key with more than one is a duplicate. */
    private static final class Groups {
        private final Duplicates dup;
        private final java.util.function.LongConsumer progress;
        private long[] group = new long[4];
        private int size;
        private long current;
        private long read;

        Groups(Duplicates dup, java.util.function.LongConsumer progress) {
            this.dup = dup;
            this.progress = progress;
        }

        void add(Reader r) throws IOException {
            if (size > 0 && r.key != current) {
                flush();
            }
            current = r.key;
            if (size == group.length) {
                group = java.util.Arrays.copyOf(group, size * 2);
            }
            group[size++] = r.seq;
            if (++read % 65_536 == 0) {
                progress.accept(65_536);
            }
        }

        private void flush() throws IOException {
            if (size > 1) {
                dup.of(current, java.util.Arrays.copyOf(group, size));
            }
            size = 0;
        }

        void finish() throws IOException {
            flush();
            progress.accept(read % 65_536);
        }
    }

    /** One run, read pair by pair. */
    private static final class Reader extends RunFile {
        long key;
        long seq;

        Reader(Path run) throws IOException {
            super(run);
        }

        @Override
        boolean next() throws IOException {
            try {
                key = in.readLong();
                seq = in.readLong();
                return true;
            } catch (EOFException end) {
                return false;
            }
        }
    }
}
