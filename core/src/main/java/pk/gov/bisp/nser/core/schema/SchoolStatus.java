package pk.gov.bisp.nser.core.schema;

/** School attendance, asked of children aged 4 to 18; out of school = never attended or dropped out. Stored by ordinal: append only. */
public enum SchoolStatus implements Coded {
    NOT_APPLICABLE("not_applicable"),
    ENROLLED("enrolled"),
    DROPPED_OUT("dropped_out"),
    NEVER_ATTENDED("never_attended");

    private static final SchoolStatus[] VALUES = values();
    private final String key;

    SchoolStatus(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static SchoolStatus ofCode(int code) {
        return Coded.byCode(VALUES, code, "SchoolStatus");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static SchoolStatus ofKey(String key) {
        return Coded.byKey(VALUES, key, "SchoolStatus");
    }
}
