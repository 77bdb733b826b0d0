/**
 * Statistics: {@code GET /v1/stats}, household and member counts and shares per area for the same filters as
 * lists, and {@code GET /v1/stats/what-if}, who a candidate PMT model or cut-off would take in or leave out; both
 * perturbed by the cell-key method ({@link pk.gov.bisp.nser.server.stats.CellKeyPerturbation}) so that
 * differencing tables yields noise, with coarse filters (whole PMT points, no {@code not_} on an address) and
 * small-cell suppression (primary and secondary) on the perturbed values.
 */
package pk.gov.bisp.nser.server.stats;
