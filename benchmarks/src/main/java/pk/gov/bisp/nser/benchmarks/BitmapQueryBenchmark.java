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
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;
import pk.gov.bisp.nser.benchmarks.state.Jvm;
import pk.gov.bisp.nser.benchmarks.state.SnapshotState;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.index.HouseholdIndexer;

/**
 * "PMT 20-32 AND one district AND a disabled member" over the mapped indexes: the count, and the first page
 * of 100 ordinals. The district is the one with most households (the worst case).
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
    public ImmutableRoaringBitmap disabled;

    @Setup
    public void pick(SnapshotState s) {
        long best = -1;
        for (var u : s.snap.geography().units(GeoLevel.DISTRICT)) {
            ImmutableRoaringBitmap b = s.snap.bitmaps().get(HouseholdIndexer.geoName(GeoLevel.DISTRICT, u.code()));
            if (b.getLongCardinality() > best) {
                best = b.getLongCardinality();
                district = b;
            }
        }
        disabled = s.snap.bitmaps().get("disabled_member=yes");
    }

    /** The filter's count. */
    @Benchmark
    public long count(SnapshotState s) {
        RoaringBitmap context = ImmutableRoaringBitmap.and(district, disabled).toRoaringBitmap();
        return s.snap.pmt().range().betweenCardinality(PMT_LO, PMT_HI, context);
    }

    /** The first 100 matching ordinals (the first page). */
    @Benchmark
    public int[] firstPage(SnapshotState s) {
        RoaringBitmap context = ImmutableRoaringBitmap.and(district, disabled).toRoaringBitmap();
        RoaringBitmap hits = s.snap.pmt().range().between(PMT_LO, PMT_HI, context);
        int[] page = new int[Math.min(100, hits.getCardinality())];
        IntIterator it = hits.getIntIterator();
        for (int i = 0; i < page.length; i++) {
            page[i] = it.next();
        }
        return page;
    }
}
