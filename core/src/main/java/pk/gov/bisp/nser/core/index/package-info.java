/**
 * RoaringBitmap indexes over household ordinals: one bitmap per value of each filterable dimension and per
 * geography unit, the PMT score as a {@link org.roaringbitmap.RangeBitmap}, and the fixed 1% sample.
 */
package pk.gov.bisp.nser.core.index;
