/**
 * Household filters (address, PMT range, dimensions) parsed from request parameters and evaluated over the
 * snapshot's bitmap indexes into a bitmap of matching ordinals.
 */
package pk.gov.bisp.nser.core.query;
