package pk.gov.bisp.nser.server.clusteraudit;

import java.time.YearMonth;
import java.util.Map;
import pk.gov.bisp.nser.server.metering.Ledger;
import pk.gov.bisp.nser.server.metering.UsageStore;

/** {@code /v1/usage} and {@code /admin/usage} for the whole cluster: summed in the audit database. */
public final class ClusterUsage implements UsageStore {

    private final AuditDatabase db;

    public ClusterUsage(AuditDatabase db) {
        this.db = db;
    }

    @Override
    public Map<String, Ledger.Usage> month(YearMonth month, String organisation) throws Exception {
        return db.usage(month, organisation);
    }

    @Override
    public long[] lostByDay(YearMonth month) throws Exception {
        return db.lostByDay(month);
    }
}
