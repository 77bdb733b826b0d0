package pk.gov.bisp.nser.benchmarks;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;
import pk.gov.bisp.nser.benchmarks.state.Jvm;
import pk.gov.bisp.nser.benchmarks.state.SnapshotState;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.index.HouseholdIndexer;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryEngine;
import pk.gov.bisp.nser.core.query.QueryParser;

/**
 * "PMT 20-32 AND one district AND a disabled member" through the server's query engine (parsed from the same
 * parameters a request carries) over the mapped indexes: the count, and the first page of 100 ordinals. The
 * district is the one with most households (the worst case).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.EXPORT_NIO, Jvm.EXPORT_REF, Jvm.EXPORT_JAVAC,
    Jvm.NO_ANALYTICS})
@State(Scope.Benchmark)
public class BitmapQueryBenchmark {

    public static final int PMT_LO = 2_000;
    public static final int PMT_HI = 3_200;

    public ImmutableRoaringBitmap district;
    public Query query;
    public QueryEngine engine;

    @Setup
    public void pick(SnapshotState s) {
        long best = -1;
        int code = 0;
        for (var u : s.snap.geography().units(GeoLevel.DISTRICT)) {
            ImmutableRoaringBitmap b = s.snap.bitmaps().get(HouseholdIndexer.geoName(GeoLevel.DISTRICT, u.code()));
            if (b.getLongCardinality() > best) {
                best = b.getLongCardinality();
                district = b;
                code = u.code();
            }
        }
        query = new QueryParser(s.snap.geography()).parse(Map.of("pmt_min", List.of("20"), "pmt_max", List.of("32"),
                "district", List.of(Integer.toString(code)), "disabled_member", List.of("yes")), Set.of());
        engine = new QueryEngine(s.snap);
    }

    /** The filter's count. */
    @Benchmark
    public long count(SnapshotState s) {
        return engine.count(query);
    }

    /** The first 100 matching ordinals (the first page). */
    @Benchmark
    public int[] firstPage(SnapshotState s) {
        RoaringBitmap hits = engine.evaluate(query);
        int[] page = new int[Math.min(100, hits.getCardinality())];
        IntIterator it = hits.getIntIterator();
        for (int i = 0; i < page.length; i++) {
            page[i] = it.next();
        }
        return page;
    }
}
