package pk.gov.bisp.nser.core.schema;

/** Employment status; workforce is members aged 14 to 60. Stored by ordinal: append only. */
public enum Employment implements Coded {
    NOT_APPLICABLE("not_applicable"),
    EMPLOYED("employed"),
    UNEMPLOYED("unemployed"),
    STUDENT("student"),
    HOUSEWORK("housework"),
    RETIRED("retired"),
    UNABLE_TO_WORK("unable_to_work");

    private static final Employment[] VALUES = values();
    private final String key;

    Employment(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static Employment ofCode(int code) {
        return Coded.byCode(VALUES, code, "Employment");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static Employment ofKey(String key) {
        return Coded.byKey(VALUES, key, "Employment");
    }
}
