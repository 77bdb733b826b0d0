/**
 * The access log: one record per request (data-sharing plan 8.2.3), journaled before the response is released;
 * whatever bills the records (the ledger) takes them through {@link pk.gov.bisp.nser.server.accesslog.JournalListener}.
 */
package pk.gov.bisp.nser.server.accesslog;
