/** JMH {@code @State} classes: a generated snapshot (reused between runs) and the inputs drawn from it. */
package pk.gov.bisp.nser.benchmarks.state;
