package pk.gov.bisp.nser.core.index;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.record.HouseholdRecord;

/**
 * The names of the bitmaps one household belongs to, derived exactly as {@link HouseholdIndexer} builds them
 * (dimension values, each geography unit above its union council, the Basic sample, the member slices when the
 * index has them). A live update removes the
 * household from the bitmaps of its old record and adds it to those of its new one. Not thread-safe.
 */
public final class BitmapMembership {

    private final Geography geography;
    private final LocalDate asOf;
    private final MemberSummary summary = new MemberSummary();
    private final String[][] dimensionNames;
    /** Null when the index has no member slices (a snapshot written before them). */
    private final MemberSlices slices;

    /** With {@code memberSlices}, the {@link MemberSlices} too (when the snapshot's index has them). */
    public BitmapMembership(Geography geography, LocalDate asOf, boolean memberSlices) {
        this.geography = geography;
        this.slices = memberSlices ? new MemberSlices() : null;
        this.asOf = asOf;
        List<Dimension> dims = Dimensions.ALL;
        dimensionNames = new String[dims.size()][];
        for (int d = 0; d < dims.size(); d++) {
            Dimension dim = dims.get(d);
            dimensionNames[d] = dim.values().stream().map(dim::bitmapName).toArray(String[]::new);
        }
    }

    /**
     * Adds to {@code out} the name of every bitmap {@code r} belongs to.
     *
     * @throws IllegalArgumentException if its union council is not in the geography
     */
    public void namesOf(HouseholdRecord r, Collection<String> out) {
        int uc = r.unionCouncil();
        if (geography.find(GeoLevel.UNION_COUNCIL, uc) == null) {
            throw new IllegalArgumentException("unknown union council code=" + uc);
        }
        summary.of(r, asOf);
        List<Dimension> dims = Dimensions.ALL;
        for (int d = 0; d < dimensionNames.length; d++) {
            int mask = dims.get(d).mask(r, summary);
            while (mask != 0) {
                out.add(dimensionNames[d][Integer.numberOfTrailingZeros(mask)]);
                mask &= mask - 1;
            }
        }
        for (GeoLevel l : GeoLevel.values()) {
            out.add(HouseholdIndexer.geoName(l, geography.ancestorOfUc(uc, l)));
        }
        if (BasicSample.contains(r.householdId())) {
            out.add(BasicSample.BITMAP);
        }
        if (slices != null) {
            slices.namesOf(r, out);
        }
    }
}
