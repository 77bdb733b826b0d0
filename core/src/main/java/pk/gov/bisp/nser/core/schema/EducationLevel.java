package pk.gov.bisp.nser.core.schema;

/** Highest level of education completed. Stored by ordinal: append only. */
public enum EducationLevel implements Coded {
    NONE("none"),
    PRE_PRIMARY("pre_primary"),
    PRIMARY("primary"),
    MIDDLE("middle"),
    MATRIC("matric"),
    INTERMEDIATE("intermediate"),
    GRADUATE("graduate"),
    POSTGRADUATE("postgraduate"),
    RELIGIOUS("religious");

    private static final EducationLevel[] VALUES = values();
    private final String key;

    EducationLevel(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static EducationLevel ofCode(int code) {
        return Coded.byCode(VALUES, code, "EducationLevel");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static EducationLevel ofKey(String key) {
        return Coded.byKey(VALUES, key, "EducationLevel");
    }
}
