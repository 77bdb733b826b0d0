/**
 * JMH benchmarks of the hot paths: record field reads, id-index lookups, role projection with JSON encoding,
 * PMT scoring and bitmap queries. Each returns its result; {@code BenchmarksTest} checks those results.
 */
package pk.gov.bisp.nser.benchmarks;
