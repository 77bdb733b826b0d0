package pk.gov.bisp.nser.server.config;

import pk.gov.bisp.nser.core.schema.Coded;

/** Operations a user may be allowed, by the key used in the configuration. */
public enum Operation implements Coded {
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

    @Override
    public String key() {
        return key;
    }

    public static Operation ofKey(String key) {
        return Coded.byKey(values(), key, "operation");
    }
}
