/**
 * The Proxy Means Test: indicators read from a household record and a versioned, configurable linear model
 * mapped to a 0-100 score with two decimals. A plausible proxy; the real formula is confidential.
 */
package pk.gov.bisp.nser.core.scoring;
