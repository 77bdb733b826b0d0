/**
 * The synthetic NSER generator: deterministic for a seed, calibrated to the real regional figures of
 * {@code nser-marginals.json}, from 10k households to the full 35.6M.
 */
package pk.gov.bisp.nser.builder.generate;
