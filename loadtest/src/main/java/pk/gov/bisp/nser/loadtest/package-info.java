/**
 * The load generator: open-loop (constant arrival rate, latency from each request's due time, so no
 * coordinated omission) or closed-loop (maximum throughput), HdrHistogram latencies, a baseline run against
 * {@code /health/live} in the same run, and a scenario per user type.
 */
package pk.gov.bisp.nser.loadtest;
