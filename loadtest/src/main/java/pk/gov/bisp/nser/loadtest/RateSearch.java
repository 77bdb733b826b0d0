package pk.gov.bisp.nser.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The highest open-loop rate whose p99 latency stays under a target: a bisection between 0 and an upper bound
 * (the closed-loop maximum). A run meets the target only if every request was answered, none with a 5xx or 429,
 * the sender kept up (at most 0.1% of the requests due were never sent), and its p99 (from each request's due
 * time) is at most the target.
 */
final class RateSearch {

    /** Runs the scenario open loop at a rate and returns what it measured. */
    @FunctionalInterface
    interface Probe {
        RunResult at(double rate) throws Exception;
    }

    record Step(double rate, RunResult result, boolean met) {
    }

    /** Every run, in order, and the fastest that met the target (null when none did). */
    record Outcome(List<Step> steps, Step best) {
    }

    private RateSearch() {
    }

    static boolean meets(RunResult r, long p99Micros) {
        if (r.completed() == 0 || r.failures > 0 || r.backlog > Math.max(1, (r.sent + r.backlog) / 1000)) {
            return false;
        }
        for (Map.Entry<Integer, Long> e : r.statuses.entrySet()) {
            if (e.getKey() >= 500 || e.getKey() == 429) {
                return false;
            }
        }
        return r.latency.getValueAtPercentile(99) <= p99Micros;
    }

    /**
     * At most {@code steps} runs, starting at half of {@code upper}; stops early once the bracket is narrower
     * than 2% of {@code upper}.
     */
    static Outcome search(Probe probe, double upper, int steps, long p99Micros) throws Exception {
        if (!(upper >= 1) || steps < 1) {
            throw new IllegalArgumentException("a rate search needs an upper rate >= 1 and at least one step");
        }
        double lo = 0;
        double hi = upper;
        Step best = null;
        List<Step> tried = new ArrayList<>();
        for (int i = 0; i < steps && hi - lo > Math.max(1, upper * 0.02); i++) {
            double rate = Math.max(1, Math.round((lo + hi) / 2));
            RunResult r = probe.at(rate);
            Step s = new Step(rate, r, meets(r, p99Micros));
            tried.add(s);
            if (s.met()) {
                lo = rate;
                best = s;
            } else {
                hi = rate;
            }
        }
        return new Outcome(tried, best);
    }
}
