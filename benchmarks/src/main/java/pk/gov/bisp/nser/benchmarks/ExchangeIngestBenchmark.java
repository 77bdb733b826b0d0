package pk.gov.bisp.nser.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import pk.gov.bisp.nser.benchmarks.state.Jvm;
import pk.gov.bisp.nser.benchmarks.state.PartnerSets;
import pk.gov.bisp.nser.benchmarks.state.SnapshotState;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.server.exchange.Enrolment;

/**
 * Durable enrolment batches (issue 31): each operation posts one batch of {@code batch} enrolments to the
 * {@link pk.gov.bisp.nser.server.exchange.ExchangeStore} and waits for its answer, which comes only once the batch is
 * journaled and fsynced and its programme's live bitmap republished (copy on write) — what
 * {@code POST /v1/exchange/enrolments} waits for, without the HTTP and the JSON. Each batch has a fresh
 * Idempotency-Key. The enrolments are {@code pbm}'s, of random households of the snapshot, half {@code enrolled} and
 * half {@code exited}, over the {@code PartnerSets} already enrolled. The score is batches/s; {@code enrolments} is
 * enrolments/s. One thread is one partner posting one batch at a time; {@code -t N} runs N at once (the journal then
 * shares its fsyncs among them).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.EXPORT_NIO, Jvm.EXPORT_REF, Jvm.EXPORT_JAVAC,
    Jvm.NO_ANALYTICS})
@State(Scope.Benchmark)
public class ExchangeIngestBenchmark {

    /** Enrolments per batch (per request). */
    @Param({"1", "100"})
    public int batch;

    /** Enrolments accepted, reported per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counted {
        public long enrolments;

        @Setup(Level.Iteration)
        public void reset() {
            enrolments = 0;
        }
    }

    /** A thread's own random households. */
    @State(Scope.Thread)
    public static class Households {
        final HouseholdRecord record = new HouseholdRecord();
        SplittableRandom random;

        @Setup(Level.Trial)
        public void seed() {
            random = new SplittableRandom(Thread.currentThread().getId());
        }
    }

    /** One batch, journaled, fsynced and applied; its sequence. */
    @Benchmark
    public long post(SnapshotState s, PartnerSets p, Households h, Counted c) throws Exception {
        List<Enrolment> items = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            s.snap.read(h.random.nextInt(s.snap.householdCount()), h.record);
            items.add(new Enrolment(h.record.householdId(), -1, "pbm", h.random.nextBoolean() ? Enrolment.ENROLLED
                    : "exited", PartnerSets.DATE));
        }
        long seq = p.post(items);
        c.enrolments += batch;
        return seq;
    }

    /** How large the live set grew (printed, for the record). */
    @TearDown(Level.Trial)
    public void report(PartnerSets p) {
        System.out.println("\npbm enrolled at the end: " + p.enrolledIn("pbm"));
    }
}
