/**
 * Statistics: {@code GET /v1/stats}, household and member counts and shares per area for the same filters as
 * lists, and {@code GET /v1/stats/what-if}, who a candidate PMT model or cut-off would take in or leave out; both
 * with small-cell suppression (primary and secondary) so no published cell is under k or derivable.
 */
package pk.gov.bisp.nser.server.stats;
