/**
 * The two-way exchange with points of sale (operational plan 8.3): purchases posted back, journaled and fsynced
 * before they are acknowledged, and summarised per household and per posting organisation, never served to another.
 */
package pk.gov.bisp.nser.server.feedback;
