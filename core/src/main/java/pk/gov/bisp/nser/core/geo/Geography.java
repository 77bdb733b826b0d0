package pk.gov.bisp.nser.core.geo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pk.gov.bisp.nser.core.schema.Province;

/**
 * The address hierarchy. Codes: province 1..7; division {@code P*100+v}; district {@code P*1000+d};
 * tehsil {@code district*100+t}; union council {@code tehsil*100+u}. Immutable.
 */
public final class Geography {

    private final Map<GeoLevel, List<GeoUnit>> byLevel = new EnumMap<>(GeoLevel.class);
    private final List<Map<Integer, GeoUnit>> byCode = new ArrayList<>();

    public Geography(List<GeoUnit> units) {
        for (GeoLevel l : GeoLevel.values()) {
            byLevel.put(l, new ArrayList<>());
            byCode.add(new HashMap<>());
        }
        for (GeoUnit u : units) {
            if (byCode.get(u.level().ordinal()).put(u.code(), u) != null) {
                throw new IllegalArgumentException("geography " + u.level().key() + " code=" + u.code() + " repeats");
            }
            byLevel.get(u.level()).add(u);
        }
        for (GeoUnit u : units) {
            if (u.level() == GeoLevel.PROVINCE) {
                Province.ofCode(u.code());
            } else {
                GeoLevel up = GeoLevel.values()[u.level().ordinal() - 1];
                if (find(up, u.parent()) == null) {
                    throw new IllegalArgumentException("geography " + u.level().key() + " code=" + u.code()
                            + " has unknown parent " + up.key() + " code=" + u.parent());
                }
            }
        }
        byLevel.replaceAll((l, list) -> Collections.unmodifiableList(list));
    }

    public List<GeoUnit> units(GeoLevel level) {
        return byLevel.get(level);
    }

    public List<GeoUnit> all() {
        List<GeoUnit> out = new ArrayList<>();
        for (GeoLevel l : GeoLevel.values()) {
            out.addAll(byLevel.get(l));
        }
        return out;
    }

    /** The unit with this code at this level, or null. */
    public GeoUnit find(GeoLevel level, int code) {
        return byCode.get(level.ordinal()).get(code);
    }

    public GeoUnit get(GeoLevel level, int code) {
        GeoUnit u = find(level, code);
        if (u == null) {
            throw new IllegalArgumentException("unknown " + level.key() + " code=" + code);
        }
        return u;
    }

    /** The code of the ancestor at {@code level} of a union council. */
    public int ancestorOfUc(int ucCode, GeoLevel level) {
        GeoUnit u = get(GeoLevel.UNION_COUNCIL, ucCode);
        while (u.level() != level) {
            if (u.level() == GeoLevel.PROVINCE) {
                throw new IllegalArgumentException("no " + level.key() + " above uc " + ucCode);
            }
            u = get(GeoLevel.values()[u.level().ordinal() - 1], u.parent());
        }
        return u.code();
    }

    /**
     * The code of the ancestor at {@code up} of the unit {@code code} at {@code level} (the unit itself when the
     * levels are equal), or -1 when {@code up} is below {@code level} or the unit does not exist.
     */
    public int ancestorOf(GeoLevel level, int code, GeoLevel up) {
        GeoUnit u = find(level, code);
        if (u == null || up.ordinal() > level.ordinal()) {
            return -1;
        }
        while (u.level() != up) {
            u = get(GeoLevel.values()[u.level().ordinal() - 1], u.parent());
        }
        return u.code();
    }

    public Province provinceOfUc(int ucCode) {
        return Province.ofCode(ucCode / 10_000_000);
    }

    /** Static arithmetic on codes: the district of a tehsil or UC code, the province of any code. */
    public static int districtOfTehsil(int tehsil) {
        return tehsil / 100;
    }

    public static int tehsilOfUc(int uc) {
        return uc / 100;
    }

    public static int provinceOfDistrict(int district) {
        return district / 1000;
    }

    public int count(GeoLevel level) {
        return byLevel.get(level).size();
    }
}
