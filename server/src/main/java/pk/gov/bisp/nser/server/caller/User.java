package pk.gov.bisp.nser.server.caller;

import java.util.Set;

/** A user of an organisation; only the SHA-256 of the API key is kept. */
public record User(String id, String name, Organisation organisation, Role role, Set<Operation> operations,
                   String apiKeySha256) {

    public boolean may(Operation op) {
        return operations.contains(op);
    }
}
