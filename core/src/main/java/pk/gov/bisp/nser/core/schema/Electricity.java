package pk.gov.bisp.nser.core.schema;

/** Electricity connection; metered or extended counts as having electricity. Stored by ordinal: append only. */
public enum Electricity implements Coded {
    NONE("none"),
    METERED("metered"),
    EXTENDED("extended"),
    SOLAR_ONLY("solar_only");

    private static final Electricity[] VALUES = values();
    private final String key;

    Electricity(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static Electricity ofCode(int code) {
        return Coded.byCode(VALUES, code, "Electricity");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static Electricity ofKey(String key) {
        return Coded.byKey(VALUES, key, "Electricity");
    }
}
