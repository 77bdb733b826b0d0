package pk.gov.bisp.nser.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import pk.gov.bisp.nser.benchmarks.state.Cursor;
import pk.gov.bisp.nser.benchmarks.state.Jvm;
import pk.gov.bisp.nser.benchmarks.state.SnapshotState;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.rescore.OrdinalScorer;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.scoring.PmtModel;

/**
 * The PMT model: one household (record already read), every household of the snapshot from its record, and
 * every household from the indicator column (what {@code rescore} and what-if statistics do, here on one thread).
 */
@Fork(value = 1, jvmArgsAppend = {Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.EXPORT_NIO, Jvm.EXPORT_REF, Jvm.EXPORT_JAVAC,
    Jvm.NO_ANALYTICS})
@State(Scope.Thread)
public class ScoringBenchmark {

    private final PmtModel model = PmtModel.builtIn();
    private final PmtInputs scratch = PmtModel.newScratch();
    private final HouseholdRecord[] records = new HouseholdRecord[64];

    /** Reads 64 sample records once, so scoring is measured without the read. */
    @org.openjdk.jmh.annotations.Setup
    public void read(SnapshotState s) {
        for (int i = 0; i < records.length; i++) {
            records[i] = new HouseholdRecord();
            s.snap.read(s.ordinals[i], records[i]);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public int scoreOne(Cursor c) {
        return model.scoreHundredths(records[c.next() & 63], scratch);
    }

    /** Reads and scores every household; returns how many fall under the cut-off of 32. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public long scoreRegistry(SnapshotState s) {
        long[] under = new long[1];
        s.snap.households().scan(s.snap.householdCount(), (r, o) -> {
            under[0] += model.scoreHundredths(r, scratch) < 3_200 ? 1 : 0;
        });
        return under[0];
    }

    /** Scores every household from the indicator column on one thread; returns how many fall under 32. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public long scoreColumn(SnapshotState s) {
        if (s.snap.pmtIndicators() == null) {
            throw new IllegalStateException("the snapshot has no indicator column: rescore it or generate it anew");
        }
        OrdinalScorer scorer = new OrdinalScorer(s.snap, model);
        long under = 0;
        for (int o = 0, n = s.snap.householdCount(); o < n; o++) {
            under += scorer.score(o) < 3_200 ? 1 : 0;
        }
        return under;
    }
}
