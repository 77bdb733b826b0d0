package pk.gov.bisp.nser.core.rescore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.snapshot.BuildProgress;
import pk.gov.bisp.nser.core.snapshot.PmtIndicatorColumn;
import pk.gov.bisp.nser.core.snapshot.PmtIndicatorsLayout;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * Builds the indicator column of a snapshot written before there was one: every record read once, in chunks of
 * ordinals spread over the threads, each chunk's rows written at its place in the file.
 */
final class IndicatorBuild {

    static final int CHUNK = 1 << 16;

    private IndicatorBuild() {
    }

    /** Writes {@code file} (new) from the records of {@code s} and forces it to disk. */
    static void write(Snapshot s, Path file, int threads, BuildProgress progress) throws Exception {
        int n = s.householdCount();
        progress.start("indicator column", "households", n);
        try (PmtIndicatorColumn.Writer w = PmtIndicatorColumn.Writer.create(file)) {
            Parallel.run(Parallel.chunks(n, CHUNK), threads, () -> {
                HouseholdRecord r = new HouseholdRecord();
                PmtInputs in = new PmtInputs();
                ByteBuffer rows = ByteBuffer.allocate(CHUNK * PmtIndicatorsLayout.ROW_SIZE)
                        .order(ByteOrder.LITTLE_ENDIAN);
                return chunk -> {
                    int lo = chunk * CHUNK;
                    int hi = (int) Math.min(n, (long) lo + CHUNK);
                    rows.clear();
                    for (int o = lo; o < hi; o++) {
                        if (!s.read(o, r)) {
                            throw new IllegalStateException("no household at ordinal " + o);
                        }
                        PmtIndicatorsLayout.encode(in.read(r), rows, (o - lo) * PmtIndicatorsLayout.ROW_SIZE);
                    }
                    rows.limit((hi - lo) * PmtIndicatorsLayout.ROW_SIZE);
                    w.writeAt(lo, rows);
                    progress.add(hi - lo);
                };
            });
            w.finish(n);
        }
        progress.done();
    }
}
