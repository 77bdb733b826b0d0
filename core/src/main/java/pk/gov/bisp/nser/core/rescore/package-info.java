/**
 * Re-scoring the registry with a new PMT model from the indicator column, in parallel over the cores: the
 * {@code rescore} operation and the per-ordinal scorer that what-if statistics share.
 */
package pk.gov.bisp.nser.core.rescore;
