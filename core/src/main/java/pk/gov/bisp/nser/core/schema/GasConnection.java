package pk.gov.bisp.nser.core.schema;

/** Cooking/heating gas connection. Stored by ordinal: append only. */
public enum GasConnection implements Coded {
    NONE("none"),
    PIPED("piped"),
    LPG_CYLINDER("lpg_cylinder");

    private static final GasConnection[] VALUES = values();
    private final String key;

    GasConnection(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static GasConnection ofCode(int code) {
        return Coded.byCode(VALUES, code, "GasConnection");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static GasConnection ofKey(String key) {
        return Coded.byKey(VALUES, key, "GasConnection");
    }
}
