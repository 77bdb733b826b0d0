package pk.gov.bisp.nser.core.schema;

/** A member's relationship to the head of the household. Stored by ordinal: append only. */
public enum Relationship implements Coded {
    HEAD("head"),
    SPOUSE("spouse"),
    SON("son"),
    DAUGHTER("daughter"),
    FATHER("father"),
    MOTHER("mother"),
    BROTHER("brother"),
    SISTER("sister"),
    GRANDCHILD("grandchild"),
    SON_IN_LAW("son_in_law"),
    DAUGHTER_IN_LAW("daughter_in_law"),
    OTHER_RELATIVE("other_relative"),
    NON_RELATIVE("non_relative");

    private static final Relationship[] VALUES = values();
    private final String key;

    Relationship(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static Relationship ofCode(int code) {
        return Coded.byCode(VALUES, code, "Relationship");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static Relationship ofKey(String key) {
        return Coded.byKey(VALUES, key, "Relationship");
    }
}
