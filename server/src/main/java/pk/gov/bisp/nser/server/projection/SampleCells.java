package pk.gov.bisp.nser.server.projection;

import java.util.HashMap;
import java.util.Map;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * How finely Basic's anonymised sample rows show the two things Basic's own by-CNIC answer also shows: where a
 * household lives and its PMT score. Without this, the exact score and union council of a household looked up by
 * CNIC would pick out its row in the sample, and with it every attribute the row carries.
 *
 * <p>The rule, applied once over the sample, finest first: the score is shown as a {@link #BAND_HUNDREDTHS 5-point}
 * band ({@code "20-25"}: 20.00 to 24.99). Every (tehsil, band) cell of at least k (search.min_cell) sample households
 * shows its address down to the tehsil. The households left over are pooled by (district, band): a pool of at least
 * k shows down to the district; what is left, by (province, band), down to the province; what is left, by band
 * alone, no address; and what is still left (with, if that is fewer than k, the smallest band pools) neither address
 * nor band. Union councils, villages and address text are never shown. So every (address, band) that a Basic row
 * shows is shown by at least k sample households (when the sample holds k), and a household known by its union
 * council and exact score is one of at least k rows that could be it. Basic's filters are held to the same grain
 * (province, division and district; band edges for the score: see SearchRoutes).
 *
 * <p>Counted once per snapshot; a live update that moves a household to another area or band is counted from the
 * next start.
 */
public final class SampleCells {

    /** The band width, in hundredths of a PMT point. */
    public static final int BAND_HUNDREDTHS = 500;
    private static final int BANDS = 100 * 100 / BAND_HUNDREDTHS + 1;
    private static final String[] BAND_TEXTS = new String[BANDS];
    /** What a (tehsil, band) cell shows: address levels (4 tehsil, 3 district, 1 province, 0 none), -1 nothing. */
    private static final int TEHSIL = 4;
    private static final int DISTRICT = 3;
    private static final int PROVINCE = 1;
    private static final int BAND_ONLY = 0;
    private static final int NOTHING = -1;

    static {
        for (int b = 0; b < BANDS; b++) {
            BAND_TEXTS[b] = b * 5 + "-" + (b * 5 + 5);
        }
    }

    private final Geography geo;
    /** What each (tehsil, band) cell of the sample shows; cells not in the sample show nothing. */
    private final Map<Long, Integer> shown = new HashMap<>();

    private SampleCells(Geography geo) {
        this.geo = geo;
    }

    /** Decides what each (tehsil, band) cell of the sample ({@code sample}: its ordinals) shows. */
    public static SampleCells of(Snapshot s, RoaringBitmap sample, int k) {
        SampleCells c = new SampleCells(s.geography());
        Map<Long, Integer> cells = new HashMap<>(); // sample households per (tehsil, band)
        HouseholdRecord r = new HouseholdRecord();
        IntIterator it = sample.getIntIterator();
        while (it.hasNext()) {
            if (s.read(it.next(), r)) {
                long cell = cell(c.geo.ancestorOfUc(r.unionCouncil(), GeoLevel.TEHSIL), band(r.pmtHundredths()));
                cells.merge(cell, 1, Integer::sum);
            }
        }
        Map<Long, Integer> left = new HashMap<>(cells);
        c.resolve(left, TEHSIL, t -> t, k);
        c.resolve(left, DISTRICT, t -> t / 100, k);
        c.resolve(left, PROVINCE, t -> t / 100_000, k);
        c.resolve(left, BAND_ONLY, t -> 0, k);
        int pool = left.values().stream().mapToInt(Integer::intValue).sum();
        if (pool > 0 && pool < k) { // widen the last pool with the smallest band pools until it reaches k
            Map<Integer, Integer> bands = new HashMap<>();
            c.shown.forEach((cell, how) -> {
                if (how == BAND_ONLY) {
                    bands.merge((int) (cell & 0xFF), cells.get(cell), Integer::sum);
                }
            });
            while (pool < k && !bands.isEmpty()) {
                int smallest = bands.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
                pool += bands.remove(smallest);
                c.shown.replaceAll((cell, how) -> how == BAND_ONLY && (cell & 0xFF) == smallest ? NOTHING : how);
            }
        }
        left.keySet().forEach(cell -> c.shown.put(cell, NOTHING));
        return c;
    }

    /**
     * Pools the cells still {@code left} by (area, band), {@code area} mapping a tehsil code to its unit at this
     * level; each pool of at least k shows {@code how}, and its cells leave.
     */
    private void resolve(Map<Long, Integer> left, int how, java.util.function.IntUnaryOperator area, int k) {
        Map<Long, Integer> pools = new HashMap<>();
        left.forEach((cell, n) -> pools.merge(cell(area.applyAsInt((int) (cell >>> 8)), (int) (cell & 0xFF)), n,
                Integer::sum));
        left.keySet().removeIf(cell -> {
            if (pools.get(cell(area.applyAsInt((int) (cell >>> 8)), (int) (cell & 0xFF))) >= k) {
                shown.put(cell, how);
                return true;
            }
            return false;
        });
    }

    /** The band of a score (hundredths). */
    public static int band(int pmtHundredths) {
        return Math.min(pmtHundredths / BAND_HUNDREDTHS, BANDS - 1);
    }

    /** A band's text, {@code "20-25"}. */
    public static String bandText(int band) {
        return BAND_TEXTS[band];
    }

    /**
     * The finest level a row in {@code uc} with this score shows (its address lines down to it), or null for no
     * address at all.
     */
    public GeoLevel finest(int uc, int pmtHundredths) {
        return switch (how(uc, pmtHundredths)) {
            case TEHSIL -> GeoLevel.TEHSIL;
            case DISTRICT -> GeoLevel.DISTRICT;
            case PROVINCE -> GeoLevel.PROVINCE;
            default -> null;
        };
    }

    /** Whether a row in {@code uc} with this score shows its band. */
    public boolean bandShown(int uc, int pmtHundredths) {
        return how(uc, pmtHundredths) >= BAND_ONLY;
    }

    private int how(int uc, int pmtHundredths) {
        return shown.getOrDefault(cell(geo.ancestorOfUc(uc, GeoLevel.TEHSIL), band(pmtHundredths)), NOTHING);
    }

    private static long cell(int area, int band) {
        return ((long) area << 8) | band;
    }
}
