package pk.gov.bisp.nser.core.geo;

import pk.gov.bisp.nser.core.schema.Coded;

/** Levels of the address hierarchy, top-down. */
public enum GeoLevel implements Coded {
    PROVINCE("province"),
    DIVISION("division"),
    DISTRICT("district"),
    TEHSIL("tehsil"),
    UNION_COUNCIL("uc");

    private static final GeoLevel[] VALUES = values();
    private final String key;

    GeoLevel(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    public static GeoLevel ofKey(String key) {
        return Coded.byKey(VALUES, key, "geography level");
    }
}
