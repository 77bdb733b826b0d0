package pk.gov.bisp.nser.server.config;

/** Operations a user may be allowed, by the key used in the configuration. */
public enum Operation {
    LOOKUP("lookup"),
    ELIGIBILITY("eligibility"),
    SEARCH("search"),
    STATS("stats"),
    UPDATE("update"),
    USAGE("usage"),
    AUDIT("audit");

    private final String key;

    Operation(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Operation ofKey(String key) {
        for (Operation o : values()) {
            if (o.key.equals(key)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown operation '" + key + "'; valid: lookup, eligibility, search, "
                + "stats, update, usage, audit");
    }
}
