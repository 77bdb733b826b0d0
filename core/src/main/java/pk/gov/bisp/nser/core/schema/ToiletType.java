package pk.gov.bisp.nser.core.schema;

/** Toilet facility, grouped as the annual report counts it. Stored by ordinal: append only. */
public enum ToiletType implements Coded {
    FORMAL_LATRINE("formal_latrine"),
    INFORMAL_LATRINE("informal_latrine"),
    NONE("none");

    private static final ToiletType[] VALUES = values();
    private final String key;

    ToiletType(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static ToiletType ofCode(int code) {
        return Coded.byCode(VALUES, code, "ToiletType");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static ToiletType ofKey(String key) {
        return Coded.byKey(VALUES, key, "ToiletType");
    }
}
