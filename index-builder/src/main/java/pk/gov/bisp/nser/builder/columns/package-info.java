/**
 * Households as flat columns (ordinal, id, score, geography codes, one column per dimension value), derived
 * exactly as the bitmaps are, for loading the registry into a relational database for comparison.
 */
package pk.gov.bisp.nser.builder.columns;
