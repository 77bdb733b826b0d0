/**
 * Eligibility checks for points of sale: programme rules from configuration answer yes or no with a reason
 * code, the programme and the PMT model version, and no personal data.
 */
package pk.gov.bisp.nser.server.eligibility;
