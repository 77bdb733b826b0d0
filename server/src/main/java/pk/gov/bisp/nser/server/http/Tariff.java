package pk.gov.bisp.nser.server.http;

import pk.gov.bisp.nser.server.caller.OrganisationType;

/** The price of a row, by operation and organisation type: what {@link Exchange} bills (the metering options). */
@FunctionalInterface
public interface Tariff {

    /** The price of one row of {@code operation} for an organisation of {@code type}, in paisa. */
    long ratePaisa(String operation, OrganisationType type);
}
