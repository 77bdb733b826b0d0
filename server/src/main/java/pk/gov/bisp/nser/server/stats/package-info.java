/**
 * Statistics: {@code GET /v1/stats}, household and member counts and shares per area for the same filters as
 * lists, with small-cell suppression (primary and secondary) so no published cell is under k.
 */
package pk.gov.bisp.nser.server.stats;
