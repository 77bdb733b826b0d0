/**
 * Metering: every household row returned is billed at the organisation type's rate (or a per-operation rate);
 * the ledger is derived from the access log's journal, so the two never disagree.
 */
package pk.gov.bisp.nser.server.metering;
