/** The admin's view of the access log: records read back from the journal, filtered. */
package pk.gov.bisp.nser.server.audit;
