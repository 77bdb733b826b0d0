/** What each role may see of a household, written as JSON or CSV, and the field classes of what was sent. */
package pk.gov.bisp.nser.server.projection;
