/**
 * The real figures the project has ({@code nser-marginals.json}: regional tables of the NSER annual report,
 * metering rates) and the region table computed from a registry, to compare the two.
 */
package pk.gov.bisp.nser.core.stats;
