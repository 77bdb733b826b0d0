package pk.gov.bisp.nser.core.index;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.stats.MemberMeasure;

/**
 * Bit-sliced per-household member counts, kept as ordinary named bitmaps of {@code bitmaps.bin} so that the
 * writer, the deep verifier and a live update maintain them as they do every other bitmap. For each value v
 * (a household's number of living members; and, per {@link MemberMeasure} and gender or all genders, its
 * {@code base} and {@code count} as {@link MemberMeasure#add} defines them) the household is in bitmap
 * {@code <family>=b<i>} exactly when bit i of v is set, so the sum of v over a set S is
 * {@code Σ 2^i·|S ∧ slice_i|}: a statistics table's member measure without reading a record.
 *
 * <p>Families: {@code members.living}, and {@code members.<measure>.<gender>.<base|count>} with gender
 * {@code all}, {@code male}, {@code female}, {@code transgender}; {@value #BITS} slices each (a household holds at
 * most 255 members). Ages are taken on the record's survey date, as {@link MemberMeasure#add} does, so a slice
 * depends on the record alone. Not thread-safe.
 */
public final class MemberSlices {

    /** Slices per family: a household has at most 255 members. */
    public static final int BITS = 8;
    /** Gender positions in a family table: all, then {@link Gender} by ordinal. */
    private static final int GENDERS = Gender.values().length + 1;
    private static final String LIVING = "members.living";

    private final String[][] names;
    private final long[] acc = new long[2];
    /** Per family, the household's value: filled by {@link #values}. */
    private final int[] values;

    public MemberSlices() {
        List<String> families = families();
        names = new String[families.size()][BITS];
        for (int f = 0; f < families.size(); f++) {
            for (int b = 0; b < BITS; b++) {
                names[f][b] = families.get(f) + "=b" + b;
            }
        }
        values = new int[families.size()];
    }

    /** Every family, in the order of {@link #values}: living, then per measure, gender (all first), base, count. */
    static List<String> families() {
        List<String> out = new ArrayList<>();
        out.add(LIVING);
        for (MemberMeasure m : MemberMeasure.values()) {
            for (int g = 0; g < GENDERS; g++) {
                out.add(family(m, gender(g), false));
                out.add(family(m, gender(g), true));
            }
        }
        return out;
    }

    private static Gender gender(int position) {
        return position == 0 ? null : Gender.values()[position - 1];
    }

    private static String family(MemberMeasure m, Gender g, boolean count) {
        return "members." + m.key() + "." + (g == null ? "all" : g.key()) + "." + (count ? "count" : "base");
    }

    /** The name of slice {@code bit} of the living-member count. */
    public static String living(int bit) {
        return LIVING + "=b" + bit;
    }

    /** The name of slice {@code bit} of measure {@code m}'s base or count for {@code gender} (null: all). */
    public static String slice(MemberMeasure m, Gender gender, boolean count, int bit) {
        return family(m, gender, count) + "=b" + bit;
    }

    /** Every slice name, empty ones included. */
    public static List<String> allNames() {
        List<String> out = new ArrayList<>();
        for (String f : families()) {
            for (int b = 0; b < BITS; b++) {
                out.add(f + "=b" + b);
            }
        }
        return out;
    }

    /**
     * True when {@code bitmaps} holds the slices (snapshots written before them do not; statistics then read
     * the records).
     */
    public static boolean present(Map<String, ?> bitmaps) {
        return bitmaps.containsKey(living(0));
    }

    /** Fills {@link #values} from {@code r}: living members, then each family's base and count. */
    private void values(HouseholdRecord r) {
        int living = 0;
        for (int i = 0, n = r.memberCount(); i < n; i++) {
            living += r.deceased(i) ? 0 : 1;
        }
        values[0] = living;
        int f = 1;
        for (MemberMeasure m : MemberMeasure.values()) {
            for (int g = 0; g < GENDERS; g++) {
                acc[0] = 0;
                acc[1] = 0;
                m.add(r, gender(g), acc);
                values[f++] = (int) acc[0];
                values[f++] = (int) acc[1];
            }
        }
    }

    /** Adds to {@code out} the name of every slice {@code r} belongs to. */
    public void namesOf(HouseholdRecord r, Collection<String> out) {
        values(r);
        for (int f = 0; f < values.length; f++) {
            int v = values[f];
            while (v != 0) {
                out.add(names[f][Integer.numberOfTrailingZeros(v)]);
                v &= v - 1;
            }
        }
    }

    /** Calls {@code add} with family and bit of every slice {@code r} belongs to (names by {@link #name}). */
    void forEachSlice(HouseholdRecord r, SliceVisitor add) {
        values(r);
        for (int f = 0; f < values.length; f++) {
            int v = values[f];
            while (v != 0) {
                add.accept(f, Integer.numberOfTrailingZeros(v));
                v &= v - 1;
            }
        }
    }

    /** The name of slice {@code bit} of family number {@code family}. */
    String name(int family, int bit) {
        return names[family][bit];
    }

    int familyCount() {
        return names.length;
    }

    @FunctionalInterface
    interface SliceVisitor {
        void accept(int family, int bit);
    }
}
