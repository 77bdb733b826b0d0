/**
 * The Proxy Means Test: the whole-number inputs of a household ({@code PmtInputs}, read from its record or from the
 * indicator column), the indicators derived from them in one place, and a versioned, configurable linear model
 * mapped to a 0-100 score with two decimals. A plausible proxy; the real formula is confidential.
 */
package pk.gov.bisp.nser.core.scoring;
