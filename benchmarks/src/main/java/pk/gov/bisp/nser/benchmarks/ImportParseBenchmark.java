package pk.gov.bisp.nser.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
import pk.gov.bisp.nser.builder.generate.SyntheticRegistry;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.json.HouseholdJson;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.stats.Marginals;

/**
 * One NDJSON line of an import (issue 24 point 4), as {@code export} writes it, parsed and validated into a
 * household: through Jackson's tree ({@code tree}, what import did before) and through the streaming fast path
 * ({@code streamed}, what it does now), each also followed by the record encoding ({@code *ThenEncode}). 4,096
 * synthetic households, one line each call. Run with {@code -prof gc} for the bytes allocated a household.
 */
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ImportParseBenchmark {

    private static final int SAMPLES = 4_096;

    private final List<byte[]> lines = new ArrayList<>();
    private final int[] pmt = new int[1];
    private final byte[] record = new byte[RecordLayout.MAX_RECORD_SIZE];
    private final StringDictionary dictionary = StringDictionary.empty();
    private int i;

    @Setup
    public void lines() {
        new SyntheticRegistry(SAMPLES, 1, Marginals.builtIn()).run(h -> lines.add(HouseholdJson.toJson(h).toString()
                .getBytes(StandardCharsets.UTF_8)));
    }

    private byte[] next() {
        i = (i + 1) & (SAMPLES - 1);
        return lines.get(i);
    }

    @Benchmark
    public Household tree() throws Exception {
        return HouseholdJson.parse(HouseholdJson.JSON.readTree(next()), pmt);
    }

    @Benchmark
    public Household streamed() throws Exception {
        return HouseholdJson.parse(next(), pmt);
    }

    @Benchmark
    public int treeThenEncode() throws Exception {
        return HouseholdCodec.encode(tree(), dictionary, record);
    }

    @Benchmark
    public int streamedThenEncode() throws Exception {
        return HouseholdCodec.encode(streamed(), dictionary, record);
    }
}
