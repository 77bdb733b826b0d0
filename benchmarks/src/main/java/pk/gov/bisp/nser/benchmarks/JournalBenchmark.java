package pk.gov.bisp.nser.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import pk.gov.bisp.nser.benchmarks.state.Appender;
import pk.gov.bisp.nser.benchmarks.state.JournalState;

/**
 * Journal append with group commit: 4 threads (as event loops would) each append a 300-byte record and wait
 * until it is written (by the journal thread, or, in {@link #appendDrainUntilWritten}, by the appending threads
 * themselves), as a response waits for its log record. Throughput is records
 * written per second; sample time is the latency from append to {@code written}. With
 * {@code fsyncIntervalMicros=0} that latency includes an fsync per batch. No Chronicle Map here, so the
 * forked JVM needs none of the {@code Jvm} flags.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(4)
public class JournalBenchmark {

    /** Appends one record and returns its sequence once it is in the journal file. */
    @Benchmark
    public long appendUntilWritten(JournalState s, Appender a) {
        return a.appendAndWait(s.journal);
    }

    /**
     * The same, with the appending threads writing for the journal themselves ({@code Journal.drain}, what the
     * server's event loops do with {@code journal.event_loop_writes}); with an fsync per batch (interval 0) callers
     * never write, and this measures the journal thread again.
     */
    @Benchmark
    public long appendDrainUntilWritten(JournalState s, Appender a) {
        return a.appendDrainAndWait(s.journal);
    }
}
