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
import pk.gov.bisp.nser.benchmarks.state.Eviction;
import pk.gov.bisp.nser.benchmarks.state.Jvm;
import pk.gov.bisp.nser.benchmarks.state.SnapshotState;
import pk.gov.bisp.nser.core.record.HouseholdRecord;

/**
 * The point-lookup path: CNIC to ordinal (Chronicle id index), record read (copy + flyweight), one field. With
 * {@code -p evictKb=32} each read is followed by 32 KB of writes ({@link Eviction}), as a server's traffic between two
 * lookups; {@code evict} is that alone, to be subtracted.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.EXPORT_NIO, Jvm.EXPORT_REF, Jvm.EXPORT_JAVAC,
    Jvm.NO_ANALYTICS})
@State(Scope.Thread)
public class LookupBenchmark {

    private final HouseholdRecord record = new HouseholdRecord();

    /** CNIC to household ordinal. */
    @Benchmark
    public int cnicToOrdinal(SnapshotState s, Cursor c, Eviction e) {
        return s.snap.ordinalOfCnic(s.cnics[c.next()]) + e.run();
    }

    /** Ordinal to record, then the PMT score field through the flyweight. */
    @Benchmark
    public int readScore(SnapshotState s, Cursor c, Eviction e) {
        s.snap.read(s.ordinals[c.next()], record);
        return record.pmtHundredths() + e.run();
    }

    /** The whole by-CNIC read: id index, record, and the searched member's position. */
    @Benchmark
    public int cnicToRecord(SnapshotState s, Cursor c, Eviction e) {
        long cnic = s.cnics[c.next()];
        s.snap.read(s.snap.ordinalOfCnic(cnic), record);
        return record.memberIndexOf(cnic) + e.run();
    }

    /** The eviction alone. */
    @Benchmark
    public int evict(Eviction e) {
        return e.run();
    }
}
