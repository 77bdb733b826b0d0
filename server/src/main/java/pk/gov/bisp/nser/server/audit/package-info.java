/**
 * The access log: one record per request (data-sharing plan 8.2.3), journaled before the response is released,
 * and the admin's view of it.
 */
package pk.gov.bisp.nser.server.audit;
