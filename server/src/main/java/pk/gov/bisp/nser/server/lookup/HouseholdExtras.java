package pk.gov.bisp.nser.server.lookup;

import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.json.JsonBytes;

/**
 * Fields another feature adds to a household looked up (the programmes that serve it, issue 31), written into the
 * household's object after its projection. An implementation writes only what {@code user} may see, and nothing at
 * all (not even the field name) when that is nothing.
 */
@FunctionalInterface
public interface HouseholdExtras {

    /** Nothing added. */
    HouseholdExtras NONE = (g, householdId, user) -> false;

    /**
     * Writes zero or more fields ({@code g} is positioned inside the household's object, after its last field).
     *
     * @return whether anything was written
     */
    boolean write(JsonBytes g, long householdId, User user);
}
