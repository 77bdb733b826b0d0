package pk.gov.bisp.nser.core.schema;

/** Household assets named in the data-sharing protocol (electric, gas and kitchen equipment); stored as bits. Stored by ordinal: append only. */
public enum Asset implements Coded {
    REFRIGERATOR("refrigerator"),
    AIR_CONDITIONER("air_conditioner"),
    FREEZER("freezer"),
    TELEVISION("television"),
    WASHING_MACHINE("washing_machine"),
    MICROWAVE_OVEN("microwave_oven"),
    AIR_COOLER("air_cooler"),
    GEYSER("geyser"),
    HEATER("heater"),
    COOKING_STOVE("cooking_stove"),
    COOKING_RANGE("cooking_range");

    private static final Asset[] VALUES = values();
    private final String key;

    Asset(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static Asset ofCode(int code) {
        return Coded.byCode(VALUES, code, "Asset");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static Asset ofKey(String key) {
        return Coded.byKey(VALUES, key, "Asset");
    }
}
