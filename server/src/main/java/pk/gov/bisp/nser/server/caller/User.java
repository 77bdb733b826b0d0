package pk.gov.bisp.nser.server.caller;

import java.util.Set;

/**
 * A user of an organisation; only the SHA-256 of the API key is kept.
 *
 * @param apiKeySha256 the configured key's SHA-256 (null for a user as a request sees it: one has several keys)
 * @param agreement    the id of the data-sharing agreement the user acts under (null: none, the configuration's view)
 */
public record User(String id, String name, Organisation organisation, Role role, Set<Operation> operations,
                   String apiKeySha256, String agreement) {

    /** A user as the configuration names it, under no agreement yet. */
    public User(String id, String name, Organisation organisation, Role role, Set<Operation> operations,
                String apiKeySha256) {
        this(id, name, organisation, role, operations, apiKeySha256, null);
    }

    public boolean may(Operation op) {
        return operations.contains(op);
    }
}
