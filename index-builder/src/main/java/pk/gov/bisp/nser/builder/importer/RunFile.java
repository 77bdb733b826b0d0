package pk.gov.bisp.nser.builder.importer;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** One spilled run, read entry by entry during a merge ({@link RecordRuns}, {@link KeyRuns}). */
abstract class RunFile implements AutoCloseable {

    final DataInputStream in;

    RunFile(Path run) throws IOException {
        in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
    }

    /** Reads the next entry; false at the end of the run. */
    abstract boolean next() throws IOException;

    /** Opens one run file. */
    interface Opener<R extends RunFile> {
        R open(Path run) throws IOException;
    }

    /** Receives each entry, positioned on it. */
    interface Visitor<R extends RunFile> {
        void visit(R entry) throws IOException;
    }

    /**
     * Merges sorted runs: opens each, then hands {@code visit} the reader holding the least entry by {@code order},
     * until every run is read; every run is closed, also on failure.
     */
    static <R extends RunFile> void merge(List<Path> runs, Opener<R> open, Comparator<R> order, Visitor<R> visit)
            throws IOException {
        PriorityQueue<R> heap = new PriorityQueue<>(order);
        try {
            for (Path run : runs) {
                R r = open.open(run);
                if (r.next()) {
                    heap.add(r);
                } else {
                    r.close();
                }
            }
            while (!heap.isEmpty()) {
                R r = heap.poll();
                visit.visit(r);
                if (r.next()) {
                    heap.add(r);
                } else {
                    r.close();
                }
            }
        } finally {
            for (R r : heap) {
                r.close();
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
