package pk.gov.bisp.nser.server.clusteraudit;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.server.accesslog.JournalListener;
import pk.gov.bisp.nser.server.auth.Bills;
import pk.gov.bisp.nser.server.config.ServerConfig;
import pk.gov.bisp.nser.server.metering.Ledger;

/**
 * A replica's part in the cluster's one access log: the shipper (always, on a replica with an access log), the
 * cluster-wide bills for the monthly limits, and with {@code audit.postgres} the database and its sink. Made by
 * the composition root; closed after the access journal, so that the shipper ships every record it holds.
 */
public final class ClusterAudit implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterAudit.class.getName());

    private final AccessShipper shipper;
    private final ClusterBills bills;
    private final AuditDatabase database;
    private final AuditSink sink;

    private ClusterAudit(AccessShipper shipper, ClusterBills bills, AuditDatabase database, AuditSink sink) {
        this.shipper = shipper;
        this.bills = bills;
        this.database = database;
        this.sink = sink;
    }

    /**
     * Starts shipping {@code journal} (billed by {@code ledger}), counting the other replicas' bills and, with
     * {@code audit.postgres}, the sink. Null on a server that is not a replica or logs nothing.
     */
    public static ClusterAudit open(ServerConfig config, Journal journal, Ledger ledger) throws IOException {
        config.audit().checkWith(config.cluster());
        if (!config.cluster().enabled() || journal == null) {
            return null;
        }
        AccessShipper shipper = AccessShipper.start(config.cluster(), config.audit(), journal, ledger);
        ClusterBills bills = null;
        AuditDatabase db = null;
        AuditSink sink = null;
        try {
            bills = ClusterBills.start(ledger, config.cluster(), config.audit().accessTopic());
            if (config.audit().database()) {
                db = new AuditDatabase(config.audit());
                sink = AuditSink.start(db, config.cluster(), config.audit().accessTopic());
            }
            return new ClusterAudit(shipper, bills, db, sink);
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable c : new AutoCloseable[] {sink, db, bills, shipper}) {
                closeQuietly(c);
            }
            throw e;
        }
    }

    /** What the journal tells each record written: the ledger, then the shipper. */
    public JournalListener listener() {
        return shipper;
    }

    /** The organisations' bills in the whole cluster, for their monthly limits. */
    public Bills bills() {
        return bills;
    }

    /** The audit database, or null without {@code audit.postgres}. */
    public AuditDatabase database() {
        return database;
    }

    public AccessShipper shipper() {
        return shipper;
    }

    public ClusterBills clusterBills() {
        return bills;
    }

    /** The sink, or null without {@code audit.postgres}. */
    public AuditSink sink() {
        return sink;
    }

    /** The {@code /metrics} lines. */
    public String gauges() {
        return bills.gauges()
                + "# HELP nser_access_shipped_sequence The last access-journal sequence the access topic holds.\n"
                + "# TYPE nser_access_shipped_sequence gauge\nnser_access_shipped_sequence " + shipper.shipped() + "\n"
                + (sink == null ? "" : "# HELP nser_audit_sink_rows Rows this replica's sink wrote to PostgreSQL.\n"
                + "# TYPE nser_audit_sink_rows counter\nnser_audit_sink_rows " + sink.written() + "\n");
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {shipper, sink, bills, database}) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing " + c.getClass().getSimpleName() + ": " + e, e);
        }
    }
}
