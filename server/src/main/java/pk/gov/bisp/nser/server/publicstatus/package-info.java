/**
 * The public poverty-status lookup: an endpoint and a page (English and Urdu, no JavaScript needed) that
 * answer ELIGIBLE / NOT_ELIGIBLE / NOT_FOUND for the main programme and nothing else, under a per-IP
 * fair-usage limit.
 */
package pk.gov.bisp.nser.server.publicstatus;
