package pk.gov.bisp.nser.core.schema;

/** How the household's current answers were collected: the 2019-21 door-to-door survey, a desk registration, or one of the six dynamic update types of the annual report. Stored by ordinal: append only. */
public enum SurveySource implements Coded {
    DOOR_TO_DOOR("door_to_door"),
    DESK("desk"),
    MISSED_OUT("missed_out"),
    ROSTER_UPDATE("roster_update"),
    SHOCK_UPDATE("shock_update"),
    APPEAL_CUTOFF("appeal_cutoff"),
    CYCLIC_UPDATE("cyclic_update"),
    RECERTIFICATION("recertification");

    private static final SurveySource[] VALUES = values();
    private final String key;

    SurveySource(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The constant stored as {@code code}; throws if no constant has that code. */
    public static SurveySource ofCode(int code) {
        return Coded.byCode(VALUES, code, "SurveySource");
    }

    /** The constant whose key is {@code key}; throws, listing the valid keys, if none. */
    public static SurveySource ofKey(String key) {
        return Coded.byKey(VALUES, key, "SurveySource");
    }
}
