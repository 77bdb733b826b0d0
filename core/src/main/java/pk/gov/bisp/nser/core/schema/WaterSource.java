package pk.gov.bisp.nser.core.schema;

/** Main drinking water source; tap water and covered wells count as safe. Stored by ordinal: append only. */
public enum WaterSource implements Coded {
    TAP_WATER("tap_water"),
    COVERED_WELL("covered_well"),
    HAND_PUMP("hand_pump"),
    MOTOR_PUMP("motor_pump"),
    OPEN_WELL("open_well"),
    SURFACE_WATER("surface_water"),
    TANKER("tanker"),
    OTHER("other");

    private static final WaterSource[] VALUES = values();
    private final String key;

    WaterSource(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static WaterSource ofCode(int code) {
        return Coded.byCode(VALUES, code, "WaterSource");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static WaterSource ofKey(String key) {
        return Coded.byKey(VALUES, key, "WaterSource");
    }
}
