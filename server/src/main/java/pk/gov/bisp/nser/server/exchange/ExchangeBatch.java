package pk.gov.bisp.nser.server.exchange;

import java.util.List;
import pk.gov.bisp.nser.server.http.IdempotencyClaims;

/**
 * One accepted post: the enrolments or the benefits of one request, as journaled.
 *
 * @param idempotencyKey the request's Idempotency-Key, or null
 * @param fingerprint    a digest of the request the key came with, or null
 */
public record ExchangeBatch(String requestId, long at, String organisation, String user, List<Enrolment> enrolments,
                            List<Benefit> benefits, String idempotencyKey, String fingerprint)
        implements IdempotencyClaims.Keyed {

    public ExchangeBatch {
        enrolments = List.copyOf(enrolments);
        benefits = List.copyOf(benefits);
    }

    /** Items posted: enrolments or benefits. */
    public int size() {
        return enrolments.size() + benefits.size();
    }

    @Override
    public int items() {
        return size();
    }
}
