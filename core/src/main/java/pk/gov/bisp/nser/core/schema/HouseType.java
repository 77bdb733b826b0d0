package pk.gov.bisp.nser.core.schema;

/** Dwelling construction: kacha (mud, bamboo, unburned bricks...) or pacca (burnt bricks, concrete, stone). Stored by ordinal: append only. */
public enum HouseType implements Coded {
    KACHA("kacha"),
    PACCA("pacca");

    private static final HouseType[] VALUES = values();
    private final String key;

    HouseType(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static HouseType ofCode(int code) {
        return Coded.byCode(VALUES, code, "HouseType");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static HouseType ofKey(String key) {
        return Coded.byKey(VALUES, key, "HouseType");
    }
}
