package pk.gov.bisp.nser.core.schema;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Household assets: equipment as a bit set over {@link Asset}, livestock counts indexed by {@link Livestock}
 * (0..255), land holdings indexed by {@link LandUnit} (0..65535 of each unit).
 */
public record Assets(int equipmentBits, int[] livestock, int[] land) {

    public Assets {
        if (equipmentBits >>> Asset.values().length != 0) {
            throw new IllegalArgumentException("equipmentBits=" + Integer.toBinaryString(equipmentBits)
                    + " has bits beyond the " + Asset.values().length + " assets");
        }
        livestock = checked(livestock, Livestock.values().length, 255, "livestock");
        land = checked(land, LandUnit.values().length, 65535, "land");
    }

    public static Assets none() {
        return new Assets(0, new int[Livestock.values().length], new int[LandUnit.values().length]);
    }

    public boolean has(Asset a) {
        return (equipmentBits & (1 << a.ordinal())) != 0;
    }

    public Set<Asset> equipment() {
        EnumSet<Asset> set = EnumSet.noneOf(Asset.class);
        for (Asset a : Asset.values()) {
            if (has(a)) {
                set.add(a);
            }
        }
        return set;
    }

    public int livestock(Livestock kind) {
        return livestock[kind.ordinal()];
    }

    public int land(LandUnit unit) {
        return land[unit.ordinal()];
    }

    public static int bitsOf(Set<Asset> assets) {
        int bits = 0;
        for (Asset a : assets) {
            bits |= 1 << a.ordinal();
        }
        return bits;
    }

    private static int[] checked(int[] values, int length, int max, String what) {
        if (values == null || values.length != length) {
            throw new IllegalArgumentException(what + " must have " + length + " counts");
        }
        for (int v : values) {
            if (v < 0 || v > max) {
                throw new IllegalArgumentException(what + " count=" + v + " must be 0.." + max);
            }
        }
        return values.clone();
    }

    @Override
    public int[] livestock() {
        return livestock.clone();
    }

    @Override
    public int[] land() {
        return land.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Assets a && a.equipmentBits == equipmentBits
                && Arrays.equals(a.livestock, livestock) && Arrays.equals(a.land, land);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * equipmentBits + Arrays.hashCode(livestock)) + Arrays.hashCode(land);
    }

    @Override
    public String toString() {
        return "Assets[equipment=" + equipment() + ", livestock=" + Arrays.toString(livestock)
                + ", land=" + Arrays.toString(land) + "]";
    }
}
