package pk.gov.bisp.nser.server.auth;

import java.time.YearMonth;

/** What an organisation has been billed in a month, for its monthly cap: kept by the ledger. */
@FunctionalInterface
public interface Bills {

    /** [rows, paisa] billed to {@code organisation} in {@code month}. */
    long[] billed(String organisation, YearMonth month);
}
