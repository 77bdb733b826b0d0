package pk.gov.bisp.nser.server.caller;

import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.Geography;

/** The part of the country an organisation may see: everywhere, or one province, district or tehsil. */
public record AreaScope(GeoLevel level, int code) {

    public static final AreaScope NATIONAL = new AreaScope(null, 0);

    public boolean national() {
        return level == null;
    }

    /** True when the union council lies inside the scope. */
    public boolean containsUc(Geography geo, int uc) {
        return national() || geo.ancestorOfUc(uc, level) == code;
    }

    /** True when the whole unit {@code code} at {@code unitLevel} lies inside the scope. */
    public boolean containsUnit(Geography geo, GeoLevel unitLevel, int unitCode) {
        return national() || geo.ancestorOf(unitLevel, unitCode, level) == code;
    }

    @Override
    public String toString() {
        return national() ? "national" : level.key() + " " + code;
    }
}
