/**
 * The index builder: builds snapshots from the synthetic generator or from imported data, verifies them,
 * and prints their statistics next to the real figures.
 */
package pk.gov.bisp.nser.builder;
