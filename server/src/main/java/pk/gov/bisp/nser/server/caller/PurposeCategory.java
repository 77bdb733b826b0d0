package pk.gov.bisp.nser.server.caller;

import pk.gov.bisp.nser.core.schema.Coded;

/**
 * The data-sharing protocol's eight categories of data sharing (section 4.2.4, figure 4), by which every data
 * request, and so every agreement, is classified (5.1.2).
 */
public enum PurposeCategory implements Coded {
    /** i. Information summaries: counts and aggregates by area (public or private level). */
    INFORMATION_SUMMARIES("information_summaries"),
    /** ii. Custom analysis: multidimensional, hierarchical and variable analysis (BISP internal or external). */
    CUSTOM_ANALYSIS("custom_analysis"),
    /** iii. Poverty score against a CNIC, by application integration (API). */
    POVERTY_SCORE_API("poverty_score_api"),
    /** iv. Beneficiary data subsets (lists): members, address, poverty level, regions. */
    BENEFICIARY_LISTS("beneficiary_lists"),
    /** v. Beneficiary lists with selected dimensions. */
    BENEFICIARY_LISTS_SELECTED_DIMENSIONS("beneficiary_lists_selected_dimensions"),
    /** vi. Raw or anonymised data for analysis purposes. */
    ANONYMISED_DATA("anonymised_data"),
    /** vii. Information maps (public or private level). */
    INFORMATION_MAPS("information_maps"),
    /** viii. Geo-tagged information with data dimensions. */
    GEO_TAGGED_DATA("geo_tagged_data");

    private final String key;

    PurposeCategory(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    public static PurposeCategory ofKey(String key) {
        return Coded.byKey(values(), key, "purpose category");
    }
}
