/**
 * CNIC lookups for partner programmes: the household projected by role (Power / Standard / Basic) and the
 * organisation's area scope. A field the role may not see is never written, not merely hidden.
 */
package pk.gov.bisp.nser.server.lookup;
