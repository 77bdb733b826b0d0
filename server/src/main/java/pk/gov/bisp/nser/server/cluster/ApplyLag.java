package pk.gov.bisp.nser.server.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * The replication lag of a replica (issue 27): for each update command, the time from its receipt on the replica
 * that took the request (the instant the command carries) until this replica has applied it. Exported as the
 * Prometheus histogram {@code nser_update_log_apply_lag_seconds}, cumulative since start: the difference of two
 * scrapes gives a window's distribution ({@code histogram_quantile} over its rate; {@code cluster/bench.sh}). On
 * one machine the clocks agree; between machines the lag includes their clocks' difference (a negative one counts
 * as 0).
 */
public final class ApplyLag {

    /** The buckets' upper bounds, in seconds. */
    static final double[] BOUNDS = {0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1,
        2.5, 5, 10};
    private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
    private final LongAdder micros = new LongAdder();

    public ApplyLag() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** A command received at {@code received}, applied now. */
    public void applied(Instant received) {
        long us = Math.max(0, Duration.between(received, Instant.now()).toNanos() / 1_000);
        int i = 0;
        while (i < BOUNDS.length && us > BOUNDS[i] * 1e6) {
            i++;
        }
        buckets[i].increment();
        micros.add(us);
    }

    /** The histogram in the Prometheus text format. */
    public String metrics() {
        StringBuilder b = new StringBuilder(1024);
        b.append("# HELP nser_update_log_apply_lag_seconds Time from an update's receipt on the replica that took it "
                + "to its application on this replica.\n# TYPE nser_update_log_apply_lag_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < buckets.length; i++) {
            cumulative += buckets[i].sum();
            b.append("nser_update_log_apply_lag_seconds_bucket{le=\"")
                    .append(i < BOUNDS.length ? Double.toString(BOUNDS[i]) : "+Inf").append("\"} ").append(cumulative)
                    .append('\n');
        }
        b.append("nser_update_log_apply_lag_seconds_sum ").append(micros.sum() / 1e6).append('\n')
                .append("nser_update_log_apply_lag_seconds_count ").append(cumulative).append('\n');
        return b.toString();
    }
}
