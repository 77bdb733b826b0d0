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
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.server.stats.StatsTables;

/**
 * The national day's statistics table (issue 29): {@code GET /v1/stats?group_by=district&measure=M} over the whole
 * snapshot, M one of the load generator's {@code Scenario.STATS_MEASURES}, computed and published as the route
 * does; {@code source} says where member figures come from: the member slices ({@code slices}) or the records
 * ({@code records}, how every table was counted before the slices, and how a snapshot without them is still
 * served), each counting the whole table; or {@code kept}, as the route serves it: the table of the files counted
 * once and kept, then corrected on each call by the {@code changed} households live updates changed since (here
 * each re-applies its own record: the correction's cost follows how many changed, not what). All in one run, so
 * their ratios are measured under the same conditions.
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

    @Param({"slices", "records", "kept"})
    public String source;

    /** Households changed by live updates before the tables are counted (every n-th of the snapshot). */
    @Param({"0"})
    public int changed;

    public StatsTables tables;
    private StatsTables.Source from;

    @Setup
    public void setup(SnapshotState s) {
        from = StatsTables.Source.valueOf(source.toUpperCase(java.util.Locale.ROOT));
        tables = new StatsTables(s.snap, "a benchmark cell-key secret");
        if (changed > 0) {
            HouseholdRecord r = new HouseholdRecord();
            int count = s.snap.householdCount();
            for (long i = 0; i < changed; i++) {
                int o = (int) (i * count / changed);
                if (!s.snap.read(o, r)) {
                    throw new IllegalStateException("no household at " + o);
                }
                s.snap.apply(o, r.toByteArray());
            }
        }
    }

    /** The published table by district; returns its total row's published count (-1 when suppressed). */
    @Benchmark
    public long districtTable() {
        long[][] t = tables.publish(Map.of(), measure, GeoLevel.DISTRICT, from, 10);
        return t[t.length - 1][t[t.length - 1].length > 2 ? 2 : 0];
    }
}
