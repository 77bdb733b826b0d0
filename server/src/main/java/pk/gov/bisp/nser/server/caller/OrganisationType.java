package pk.gov.bisp.nser.server.caller;

import pk.gov.bisp.nser.core.schema.Coded;

/** Organisation types of the data-sharing protocol (Annex II), each with its rate in PKR per household row. */
public enum OrganisationType implements Coded {
    GOVERNMENT("government_federal_provincial", 3),
    SEMI_AUTONOMOUS("semi_autonomous_government", 5),
    ACADEMIC("academic_research", 20),
    LOCAL_NGO("local_ngo", 25),
    DONOR("donor", 50),
    BUSINESS("business_private", 100),
    GRATIS("gratis", 0);

    private final String key;
    private final int ratePkr;

    OrganisationType(String key, int ratePkr) {
        this.key = key;
        this.ratePkr = ratePkr;
    }

    @Override
    public String key() {
        return key;
    }

    /** PKR per household row, as the shared metering rates give it. */
    public int ratePkr() {
        return ratePkr;
    }

    public static OrganisationType ofKey(String key) {
        return Coded.byKey(values(), key, "organisation type");
    }
}
