package pk.gov.bisp.nser.core.scoring;

import pk.gov.bisp.nser.core.schema.Coded;

/** The indicators a PMT model may weigh, by the key used in {@code pmt-model.json}. Append only. */
public enum PmtIndicator implements Coded {
    HOUSEHOLD_SIZE("household_size"),
    DEPENDENCY_RATIO("dependency_ratio"),
    ROOMS_PER_PERSON("rooms_per_person"),
    PACCA("pacca"),
    TOILET_FORMAL("toilet_formal"),
    TOILET_INFORMAL("toilet_informal"),
    SAFE_WATER("safe_water"),
    ELECTRICITY("electricity"),
    GAS_PIPED("gas_piped"),
    GAS_LPG("gas_lpg"),
    REFRIGERATOR("refrigerator"),
    AIR_CONDITIONER("air_conditioner"),
    FREEZER("freezer"),
    TELEVISION("television"),
    WASHING_MACHINE("washing_machine"),
    MICROWAVE_OVEN("microwave_oven"),
    AIR_COOLER("air_cooler"),
    GEYSER("geyser"),
    HEATER("heater"),
    COOKING_STOVE("cooking_stove"),
    COOKING_RANGE("cooking_range"),
    LARGE_LIVESTOCK("large_livestock"),
    SMALL_LIVESTOCK("small_livestock"),
    LOG_LAND_ACRES("log_land_acres"),
    HEAD_LITERATE("head_literate"),
    ADULT_LITERACY_SHARE("adult_literacy_share"),
    MAX_EDUCATION_YEARS("max_education_years"),
    EMPLOYED_SHARE("employed_share"),
    FEMALE_HEAD("female_head"),
    DISABLED_MEMBER("disabled_member"),
    ELDERLY_MEMBER("elderly_member");

    private static final PmtIndicator[] VALUES = values();
    private final String key;

    PmtIndicator(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    public static PmtIndicator ofKey(String key) {
        return Coded.byKey(VALUES, key, "PMT indicator");
    }
}
