package pk.gov.bisp.nser.server.caller;

/**
 * Asks whether an organisation may be served now under a data-sharing agreement: for work that runs after the
 * request that started it was authorised (a list stream between batches, a callback about to be sent). The answer
 * follows suspension, revocation and expiry at once.
 */
@FunctionalInterface
public interface AgreementCheck {

    /** Every organisation active (no agreements kept: routing-only tests). */
    AgreementCheck ALWAYS = organisation -> true;

    /** True when at least one agreement of {@code organisation} is active now. */
    boolean active(String organisation);
}
