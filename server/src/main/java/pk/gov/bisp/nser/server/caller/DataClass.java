package pk.gov.bisp.nser.server.caller;

import java.util.EnumSet;
import java.util.Set;
import pk.gov.bisp.nser.core.schema.Coded;

/** The data classes of the data-sharing plan (6.3) an agreement grants. */
public enum DataClass implements Coded {
    PUBLIC("public"),
    CONFIDENTIAL("confidential"),
    SECRET("secret");

    private final String key;

    DataClass(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    public static DataClass ofKey(String key) {
        return Coded.byKey(values(), key, "data class");
    }

    /**
     * The classes a role's answers carry, which an agreement giving a user that role must grant: Power and Standard
     * see CNICs (secret) with names and addresses (confidential); Basic names and addresses; point-of-sale and
     * administrator roles are granted what their own operations show, public at least.
     */
    public static Set<DataClass> neededBy(Role role) {
        return switch (role) {
            case POWER, STANDARD -> EnumSet.allOf(DataClass.class);
            case BASIC -> EnumSet.of(PUBLIC, CONFIDENTIAL);
            case POS, ADMIN -> EnumSet.of(PUBLIC);
        };
    }
}
