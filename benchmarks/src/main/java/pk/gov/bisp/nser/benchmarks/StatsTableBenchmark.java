package pk.gov.bisp.nser.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import pk.gov.bisp.nser.benchmarks.state.Jvm;
import pk.gov.bisp.nser.benchmarks.state.SnapshotState;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.server.stats.StatsTables;

/**
 * The national day's statistics table (issue 29): {@code GET /v1/stats?group_by=district&measure=M} over the whole
 * snapshot, M one of the load generator's {@code Scenario.STATS_MEASURES}, computed and published as the route
 * does; {@code source} says where member figures come from: the member slices ({@code slices}) or the records
 * ({@code records}, how every table was counted before the slices, and how a snapshot without them is still
 * served). Both in one run, so their ratio is measured under the same conditions.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(value = 1, jvmArgsAppend = {Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.EXPORT_NIO, Jvm.EXPORT_REF, Jvm.EXPORT_JAVAC,
    Jvm.NO_ANALYTICS})
@State(Scope.Benchmark)
public class StatsTableBenchmark {

    @Param({"literacy", "out_of_school:female", "disabled_member:yes", "house_type:kacha", "pmt_below:32"})
    public String measure;

    @Param({"slices", "records"})
    public String source;

    public StatsTables tables;

    @Setup
    public void setup(SnapshotState s) {
        tables = new StatsTables(s.snap, "a benchmark cell-key secret");
    }

    /** The published table by district; returns its total row's published count (-1 when suppressed). */
    @Benchmark
    public long districtTable() {
        long[][] t = tables.publish(Map.of(), measure, GeoLevel.DISTRICT, source.equals("records"), 10);
        return t[t.length - 1][t[t.length - 1].length > 2 ? 2 : 0];
    }
}
