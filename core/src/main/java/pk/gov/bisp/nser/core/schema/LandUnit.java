package pk.gov.bisp.nser.core.schema;

/** Land units used in the survey (1 muraba = 25 acres, 1 acre = 8 kanal, 1 kanal = 20 marla). Stored by ordinal: append only. */
public enum LandUnit implements Coded {
    MURABA("muraba"),
    ACRE("acre"),
    KANAL("kanal"),
    MARLA("marla");

    private static final LandUnit[] VALUES = values();
    private final String key;

    LandUnit(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static LandUnit ofCode(int code) {
        return Coded.byCode(VALUES, code, "LandUnit");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static LandUnit ofKey(String key) {
        return Coded.byKey(VALUES, key, "LandUnit");
    }
}
