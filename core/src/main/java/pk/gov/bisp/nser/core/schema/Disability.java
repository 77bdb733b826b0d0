package pk.gov.bisp.nser.core.schema;

/** Disability type, as in the data-sharing protocol's dimensions. Stored by ordinal: append only. */
public enum Disability implements Coded {
    NONE("none"),
    HEARING("hearing"),
    VISUAL("visual"),
    SPEECH("speech"),
    MENTAL("mental"),
    LOWER_LIMB("lower_limb"),
    UPPER_LIMB("upper_limb"),
    OTHER("other");

    private static final Disability[] VALUES = values();
    private final String key;

    Disability(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static Disability ofCode(int code) {
        return Coded.byCode(VALUES, code, "Disability");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static Disability ofKey(String key) {
        return Coded.byKey(VALUES, key, "Disability");
    }
}
