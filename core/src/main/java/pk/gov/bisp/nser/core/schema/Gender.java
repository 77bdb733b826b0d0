package pk.gov.bisp.nser.core.schema;

/** Gender as recorded by NADRA: male, female, transgender. Stored by ordinal: append only. */
public enum Gender implements Coded {
    MALE("male"),
    FEMALE("female"),
    TRANSGENDER("transgender");

    private static final Gender[] VALUES = values();
    private final String key;

    Gender(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static Gender ofCode(int code) {
        return Coded.byCode(VALUES, code, "Gender");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static Gender ofKey(String key) {
        return Coded.byKey(VALUES, key, "Gender");
    }
}
