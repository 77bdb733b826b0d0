package pk.gov.bisp.nser.loadtest;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import org.HdrHistogram.Histogram;

/** One run's outcome: latency histogram (microseconds), responses by status, failures, duration. */
public final class RunResult {

    final String label;
    final Histogram latency = new Histogram(60_000_000L, 3);
    /**
     * Open loop: how late each request was handed to the HTTP client after its due time (microseconds); the part
     * of the latency that the load generator's own scheduling adds, before the server sees the request.
     */
    final Histogram sendLag = new Histogram(60_000_000L, 3);
    final Map<Integer, Long> statuses = new TreeMap<>();
    long failures;
    /** Open loop: why requests got no response (the failure's class and message, at most 120 characters), counted. */
    final Map<String, Long> failureCauses = new TreeMap<>();
    long sent;
    double seconds;
    /** Requests that were due but could not even be sent before the run ended. */
    long backlog;
    /** Open loop with {@code --timeline}: what happened in each second of the run; otherwise null. */
    Timeline timeline;
    /** Open loop of a generator {@link LoadGenerator#withIntervals with intervals}: each interval's; otherwise null. */
    Intervals intervals;
    /**
     * Which outcomes are errors ({@link #errors}): a status, or -1 for a request without a response. By default none
     * but those without a response; national-day gives each class its own ({@link NationalDay.TrafficClass}).
     */
    IntPredicate isError = status -> status < 0;

    RunResult(String label) {
        this.label = label;
    }

    /** Runs as one: counts and histograms added, durations added (so throughput is their mean). */
    static RunResult merge(String label, RunResult... runs) {
        RunResult m = new RunResult(label);
        for (RunResult r : runs) {
            m.latency.add(r.latency);
            m.sendLag.add(r.sendLag);
            r.statuses.forEach((k, v) -> m.statuses.merge(k, v, Long::sum));
            m.failures += r.failures;
            m.sent += r.sent;
            m.backlog += r.backlog;
            m.seconds += r.seconds;
        }
        return m;
    }

    public long completed() {
        return latency.getTotalCount();
    }

    public double throughput() {
        return completed() / Math.max(1e-9, seconds);
    }

    public long count(int status) {
        return statuses.getOrDefault(status, 0L);
    }

    /** Requests without a response, never sent, or answered with a status {@link #isError} counts as an error. */
    public long errors() {
        long n = failures + backlog;
        for (Map.Entry<Integer, Long> e : statuses.entrySet()) {
            if (isError.test(e.getKey())) {
                n += e.getValue();
            }
        }
        return n;
    }

    public Histogram latency() {
        return latency;
    }

    public static void header(PrintStream out) {
        out.printf(Locale.ROOT, "%-28s %10s %10s %9s %9s %9s %9s %9s  %s%n", "run", "completed", "req/s", "p50 ms",
                "p90 ms", "p99 ms", "p99.9 ms", "max ms", "responses by status (failures)");
    }

    public void print(PrintStream out) {
        out.printf(Locale.ROOT, "%-28s %10d %10.0f %9.3f %9.3f %9.3f %9.3f %9.3f  %s%s%s%n", label, completed(),
                throughput(), ms(50), ms(90), ms(99), ms(99.9), latency.getMaxValue() / 1000.0, statuses,
                failures > 0 || backlog > 0 ? " (failed " + failures + ", never sent " + backlog + ")" : "",
                sendLag.getTotalCount() == 0 ? "" : String.format(Locale.ROOT, " send lag p50 %.3f p99 %.3f ms",
                        sendLag.getValueAtPercentile(50) / 1000.0, sendLag.getValueAtPercentile(99) / 1000.0));
    }

    /** One line per second of an open-loop run with a timeline: requests due that second and how they fared. */
    public void printTimeline(PrintStream out) {
        if (timeline == null) {
            return;
        }
        for (int i = 0; i < timeline.latency.length; i++) {
            Histogram h = timeline.latency[i];
            if (h.getTotalCount() == 0 && timeline.cpuNanos[i] == 0) {
                continue;
            }
            out.printf(Locale.ROOT, "  %s second %2d: %6d due  p50 %8.3f  p99 %8.3f  max %8.3f ms  send lag max %7.3f ms"
                            + "  generator CPU %4.0f%%  JIT %4d ms%n", label, i, h.getTotalCount(),
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
                    timeline.lagMax[i] / 1000.0, timeline.cpuNanos[i] / 1e7, timeline.jitMillis[i]);
        }
    }

    /**
     * Per second of an open-loop run (by each request's due time): latency and the worst send lag (microseconds);
     * per second of wall time: the load generator's own CPU time and its JIT compilers' time, to tell a stall of the
     * server from one of the generator (a compiler still busy, a collection).
     */
    static final class Timeline {
        final Histogram[] latency;
        final long[] lagMax;
        final long[] cpuNanos;
        final long[] jitMillis;

        Timeline(int seconds) {
            latency = new Histogram[seconds];
            for (int i = 0; i < seconds; i++) {
                latency[i] = new Histogram(60_000_000L, 2);
            }
            lagMax = new long[seconds];
            cpuNanos = new long[seconds];
            jitMillis = new long[seconds];
        }

        /** Called on the event loop only. */
        void record(long offsetNanos, long latencyMicros) {
            int i = second(offsetNanos);
            latency[i].recordValue(Math.min(latency[i].getHighestTrackableValue(), latencyMicros));
        }

        /** Called on the event loop only. */
        void lag(long offsetNanos, long lagMicros) {
            int i = second(offsetNanos);
            lagMax[i] = Math.max(lagMax[i], lagMicros);
        }

        /** Called by the thread that sends (the sender thread, or the event loop with epoll) only. */
        void sample(long offsetNanos, long cpu, long jit) {
            int i = second(offsetNanos);
            cpuNanos[i] += cpu;
            jitMillis[i] += jit;
        }

        private int second(long offsetNanos) {
            return (int) Math.max(0, Math.min(latency.length - 1, offsetNanos / 1_000_000_000L));
        }
    }

    /**
     * An open-loop run cut into intervals of its due times (national-day's report every 10 s): each interval's
     * latency (microseconds, 3 significant digits) and errors, responses without one included. Recorded on the
     * event loop only; read after the run.
     */
    static final class Intervals {
        final long intervalNanos;
        final Histogram[] latency;
        final long[] errors;

        Intervals(long intervalNanos, long runNanos) {
            this.intervalNanos = intervalNanos;
            int n = (int) Math.max(1, (runNanos + intervalNanos - 1) / intervalNanos);
            latency = new Histogram[n];
            for (int i = 0; i < n; i++) {
                latency[i] = new Histogram(60_000_000L, 3);
            }
            errors = new long[n];
        }

        /** A request due {@code offsetNanos} after the start ended with {@code status} (-1: no response). */
        void record(long offsetNanos, int status, long latencyMicros, boolean error) {
            int i = (int) Math.max(0, Math.min(latency.length - 1, offsetNanos / intervalNanos));
            if (status >= 0) {
                latency[i].recordValue(Math.min(latency[i].getHighestTrackableValue(), Math.max(1, latencyMicros)));
            }
            if (error) {
                errors[i]++;
            }
        }
    }

    private double ms(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1000.0;
    }
}
