/**
 * The address hierarchy: province > division > district > tehsil > union council, with numeric codes that
 * embed their parents. Below province the geography is synthetic, with the real unit counts.
 */
package pk.gov.bisp.nser.core.geo;
