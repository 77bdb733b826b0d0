/**
 * The two-way exchange with partner programmes (issue 31): enrolments and benefits posted by partners, journaled and
 * fsynced, kept as live filter sets, shown per data-sharing class, and read back as a change feed.
 */
package pk.gov.bisp.nser.server.exchange;
