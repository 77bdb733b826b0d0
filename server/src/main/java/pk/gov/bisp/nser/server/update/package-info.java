/**
 * Live registry updates: new households, roster changes and re-surveys, journaled and fsynced before they are
 * acknowledged, then applied to the record, the id index and every bitmap at once; replayed at start.
 */
package pk.gov.bisp.nser.server.update;
