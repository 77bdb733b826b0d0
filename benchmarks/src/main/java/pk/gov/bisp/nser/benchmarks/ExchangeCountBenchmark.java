package pk.gov.bisp.nser.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import pk.gov.bisp.nser.benchmarks.state.Jvm;
import pk.gov.bisp.nser.benchmarks.state.PartnerSets;
import pk.gov.bisp.nser.benchmarks.state.SnapshotState;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryEngine;
import pk.gov.bisp.nser.core.query.QueryParser;

/**
 * "Households under the cut-off that no programme serves" (issue 31): {@code pmt_below=32&not_programme=any} through
 * the server's query engine, with the partner programmes' live sets ({@code PartnerSets}: 100,000 households enrolled
 * through the exchange store by default), parsed as a request's parameters are; and the plain {@code pmt_below=32}
 * count, the baseline, in the same run. Sampled (JMH SampleTime), so the output has the p99.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.EXPORT_NIO, Jvm.EXPORT_REF, Jvm.EXPORT_JAVAC,
    Jvm.NO_ANALYTICS})
@State(Scope.Benchmark)
public class ExchangeCountBenchmark {

    public Query belowCutoff;
    public Query servedByNobody;
    public QueryEngine engine;

    @Setup
    public void parse(SnapshotState s, PartnerSets p) {
        QueryParser parser = new QueryParser(s.snap.geography(), p.store);
        belowCutoff = parser.parse(Map.of("pmt_below", List.of("32")), Set.of());
        servedByNobody = parser.parse(Map.of("pmt_below", List.of("32"), "not_programme", List.of("any")), Set.of());
        engine = new QueryEngine(s.snap, p.store);
    }

    /** The baseline: {@code pmt_below=32}. */
    @Benchmark
    public long belowCutoff() {
        return engine.count(belowCutoff);
    }

    /** {@code pmt_below=32&not_programme=any}: under the cut-off, served by no programme (survey's nor partners'). */
    @Benchmark
    public long servedByNobody() {
        return engine.count(servedByNobody);
    }
}
