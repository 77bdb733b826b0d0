package pk.gov.bisp.nser.benchmarks;

import java.time.LocalDate;
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
import pk.gov.bisp.nser.benchmarks.state.Cursor;
import pk.gov.bisp.nser.benchmarks.state.Eviction;
import pk.gov.bisp.nser.benchmarks.state.Jvm;
import pk.gov.bisp.nser.benchmarks.state.SnapshotState;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.json.JsonBytes;
import pk.gov.bisp.nser.server.projection.HouseholdWriter;

/**
 * Role projection plus JSON encoding of one household, as the lookup endpoint does it; returns the bytes
 * ({@code projectAndEncode}, the map reads included), or only the encoding of records already in memory
 * ({@code encode}, the writer alone).
 *
 * <p>{@code -p evictKb=32} writes 32 KB after each household ({@link Eviction}), as a server's traffic between two
 * lookups does; {@code evict} is that alone, to be subtracted.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.EXPORT_NIO, Jvm.EXPORT_REF, Jvm.EXPORT_JAVAC,
    Jvm.NO_ANALYTICS})
@State(Scope.Thread)
public class ProjectionBenchmark {

    @Param({"POWER", "STANDARD", "BASIC"})
    public Role role;

    private final HouseholdRecord record = new HouseholdRecord();
    private final JsonBytes out = new JsonBytes(4_096);
    private HouseholdWriter writer;

    private final byte[][] records = new byte[SnapshotState.SAMPLES][];
    private final int[] searched = new int[SnapshotState.SAMPLES];

    @Setup
    public void setup(SnapshotState s) {
        writer = new HouseholdWriter(s.snap.geography(), s.snap.dictionary(), () -> LocalDate.of(2026, 7, 1));
        for (int i = 0; i < SnapshotState.SAMPLES; i++) {
            s.snap.read(s.snap.ordinalOfCnic(s.cnics[i]), record);
            records[i] = record.toByteArray();
            searched[i] = record.memberIndexOf(s.cnics[i]);
        }
    }

    @Benchmark
    public byte[] projectAndEncode(SnapshotState s, Cursor c, Eviction e) {
        long cnic = s.cnics[c.next()];
        s.snap.read(s.snap.ordinalOfCnic(cnic), record);
        out.reset();
        writer.write(out, record, record.memberIndexOf(cnic), role);
        e.run();
        return out.toByteArray();
    }

    @Benchmark
    public int encode(Cursor c, Eviction e) {
        int i = c.next();
        record.wrap(records[i], records[i].length);
        out.reset();
        writer.write(out, record, searched[i], role);
        return out.size() + e.run();
    }

    /** The eviction alone, the part of {@code encode} and {@code projectAndEncode} to subtract. */
    @Benchmark
    public int evict(Eviction e) {
        return e.run();
    }
}
