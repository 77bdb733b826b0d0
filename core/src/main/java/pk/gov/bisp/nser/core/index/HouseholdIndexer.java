package pk.gov.bisp.nser.core.index;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.roaringbitmap.RoaringBitmap;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.record.HouseholdRecord;

/**
 * Adds households to every bitmap they belong to: each dimension value, each geography unit above their union
 * council, the Basic sample, and (unless built for a snapshot written before them) the {@link MemberSlices}. The snapshot writer and the deep verifier both use it, so what is built and
 * what is checked are derived the same way from the records.
 */
public final class HouseholdIndexer {

    private final Geography geography;
    private final LocalDate asOf;
    private final MemberSummary summary = new MemberSummary();
    private final RoaringBitmap[][] dimensionBitmaps;
    private final Map<Integer, RoaringBitmap[]> geoBitmapsByUc = new HashMap<>();
    private final Map<String, RoaringBitmap> byName = new TreeMap<>();
    private final RoaringBitmap sample = new RoaringBitmap();
    private int lastUc = Integer.MIN_VALUE;
    private RoaringBitmap[] lastGeo;
    /** Null when the member slices are not built. */
    private final MemberSlices slices;
    private RoaringBitmap[][] sliceBitmaps;

    /** Every bitmap, the member slices included (what a snapshot is written with). */
    public HouseholdIndexer(Geography geography, LocalDate asOf) {
        this(geography, asOf, true);
    }

    /**
     * With {@code memberSlices} false, without the {@link MemberSlices} (to verify a snapshot written before
     * them).
     */
    public HouseholdIndexer(Geography geography, LocalDate asOf, boolean memberSlices) {
        this.geography = geography;
        this.asOf = asOf;
        List<Dimension> dims = Dimensions.ALL;
        dimensionBitmaps = new RoaringBitmap[dims.size()][];
        for (int d = 0; d < dims.size(); d++) {
            Dimension dim = dims.get(d);
            dimensionBitmaps[d] = new RoaringBitmap[dim.values().size()];
            for (int v = 0; v < dim.values().size(); v++) {
                dimensionBitmaps[d][v] = bitmap(dim.bitmapName(dim.values().get(v)));
            }
        }
        for (GeoUnit u : geography.all()) {
            bitmap(geoName(u.level(), u.code()));
        }
        byName.put(BasicSample.BITMAP, sample);
        this.slices = memberSlices ? new MemberSlices() : null;
        if (slices != null) {
            sliceBitmaps = new RoaringBitmap[slices.familyCount()][MemberSlices.BITS];
            for (int f = 0; f < sliceBitmaps.length; f++) {
                for (int b = 0; b < MemberSlices.BITS; b++) {
                    sliceBitmaps[f][b] = bitmap(slices.name(f, b));
                }
            }
        }
    }

    public static String geoName(GeoLevel level, int code) {
        return level.key() + "=" + code;
    }

    private RoaringBitmap bitmap(String name) {
        return byName.computeIfAbsent(name, n -> new RoaringBitmap());
    }

    /** Adds the household at {@code ordinal}; its union council must exist in the geography. */
    public void add(int ordinal, HouseholdRecord r) {
        summary.of(r, asOf);
        List<Dimension> dims = Dimensions.ALL;
        for (int d = 0; d < dimensionBitmaps.length; d++) {
            int mask = dims.get(d).mask(r, summary);
            while (mask != 0) {
                int v = Integer.numberOfTrailingZeros(mask);
                dimensionBitmaps[d][v].add(ordinal);
                mask &= mask - 1;
            }
        }
        for (RoaringBitmap b : geo(r.unionCouncil())) {
            b.add(ordinal);
        }
        if (BasicSample.contains(r.householdId())) {
            sample.add(ordinal);
        }
        if (slices != null) {
            slices.forEachSlice(r, (f, b) -> sliceBitmaps[f][b].add(ordinal));
        }
    }

    private RoaringBitmap[] geo(int uc) {
        if (uc != lastUc) {
            lastGeo = geoBitmapsByUc.computeIfAbsent(uc, code -> {
                if (geography.find(GeoLevel.UNION_COUNCIL, code) == null) {
                    throw new IllegalArgumentException("unknown union council code=" + code);
                }
                RoaringBitmap[] out = new RoaringBitmap[GeoLevel.values().length];
                for (GeoLevel l : GeoLevel.values()) {
                    out[l.ordinal()] = byName.get(geoName(l, geography.ancestorOfUc(code, l)));
                }
                return out;
            });
            lastUc = uc;
        }
        return lastGeo;
    }

    /** Every bitmap by name (empty ones included, so every value and unit has one). */
    public Map<String, RoaringBitmap> bitmaps() {
        return byName;
    }
}
