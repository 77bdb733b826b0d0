package pk.gov.bisp.nser.core.schema;

/** Marital status; anything but never-married makes a woman over 18 'ever married'. Stored by ordinal: append only. */
public enum MaritalStatus implements Coded {
    NEVER_MARRIED("never_married"),
    MARRIED("married"),
    WIDOWED("widowed"),
    DIVORCED("divorced"),
    SEPARATED("separated");

    private static final MaritalStatus[] VALUES = values();
    private final String key;

    MaritalStatus(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static MaritalStatus ofCode(int code) {
        return Coded.byCode(VALUES, code, "MaritalStatus");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static MaritalStatus ofKey(String key) {
        return Coded.byKey(VALUES, key, "MaritalStatus");
    }
}
