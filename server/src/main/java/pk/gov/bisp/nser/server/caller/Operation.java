package pk.gov.bisp.nser.server.caller;

import pk.gov.bisp.nser.core.schema.Coded;

/** Operations a user may be allowed, by the key used in the configuration. */
public enum Operation implements Coded {
    LOOKUP("lookup"),
    ELIGIBILITY("eligibility"),
    SEARCH("search"),
    STATS("stats"),
    UPDATE("update"),
    USAGE("usage"),
    AUDIT("audit"),
    /** Points of sale post back what a household bought, and read back their own summaries. */
    FEEDBACK("feedback"),
    /** BISP administrators grant, amend, suspend and revoke data-sharing agreements and issue and revoke keys. */
    AGREEMENTS("agreements"),
    /** Partner programmes post their enrolments and benefits and read back their households' registry status. */
    EXCHANGE("exchange");

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
