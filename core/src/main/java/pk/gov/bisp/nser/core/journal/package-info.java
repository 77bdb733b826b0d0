/**
 * The append-only journal of the access log and billing ledger: records pass through an LMAX Disruptor to one
 * journal thread that writes them, framed and checksummed, to segment files with group-commit fsync.
 * On-disk format in JOURNAL-FORMAT.md beside the sources; recovery truncates a torn tail and reports damage.
 */
package pk.gov.bisp.nser.core.journal;
