package pk.gov.bisp.nser.core.schema;

/** Livestock kinds counted per household. Stored by ordinal: append only. */
public enum Livestock implements Coded {
    COW("cow"),
    GOAT("goat"),
    BUFFALO("buffalo"),
    BULLOCK("bullock"),
    LAMB("lamb");

    private static final Livestock[] VALUES = values();
    private final String key;

    Livestock(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static Livestock ofCode(int code) {
        return Coded.byCode(VALUES, code, "Livestock");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static Livestock ofKey(String key) {
        return Coded.byKey(VALUES, key, "Livestock");
    }
}
