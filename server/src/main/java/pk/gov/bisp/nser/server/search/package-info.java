/**
 * Beneficiary lists and counts: {@code GET /v1/households} and {@code /v1/households/count} with address, PMT and
 * dimension filters over the bitmap indexes, cursor paging, and JSON/NDJSON/CSV streamed with backpressure.
 */
package pk.gov.bisp.nser.server.search;
