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

/** The point-lookup path: CNIC to ordinal (Chronicle id index), record read (copy + flyweight), one field. */
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
    public int cnicToOrdinal(SnapshotState s, Cursor c) {
        return s.snap.ordinalOfCnic(s.cnics[c.next()]);
    }

    /** Ordinal to record, then the PMT score field through the flyweight. */
    @Benchmark
    public int readScore(SnapshotState s, Cursor c) {
        s.snap.read(s.ordinals[c.next()], record);
        return record.pmtHundredths();
    }

    /** The whole by-CNIC read: id index, record, and the searched member's position. */
    @Benchmark
    public int cnicToRecord(SnapshotState s, Cursor c) {
        long cnic = s.cnics[c.next()];
        s.snap.read(s.snap.ordinalOfCnic(cnic), record);
        return record.memberIndexOf(cnic);
    }
}
