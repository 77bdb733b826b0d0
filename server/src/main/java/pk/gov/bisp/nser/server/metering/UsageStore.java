package pk.gov.bisp.nser.server.metering;

import java.time.YearMonth;
import java.util.Map;

/**
 * Usage counted somewhere other than this server's ledger: the whole cluster's, in the audit database (issue 28).
 * Blocking: called on a worker thread, never on an event loop.
 */
@FunctionalInterface
public interface UsageStore {

    /** Every organisation's usage in {@code month}, by id, or only {@code organisation}'s (null: every one). */
    Map<String, Ledger.Usage> month(YearMonth month, String organisation) throws Exception;

    /** Access records lost to damage counted in {@code month}, by day (index 1..31; 0 unused). */
    default long[] lostByDay(YearMonth month) throws Exception {
        return new long[32];
    }
}
