package pk.gov.bisp.nser.server.clusteraudit;

import io.vertx.core.buffer.Buffer;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.audit.AccessLogRoutes;
import pk.gov.bisp.nser.server.audit.AccessLogStore;

/**
 * {@code GET /admin/access-log} for the whole cluster: the same filters and JSON as from one journal, each record
 * also naming its replica ({@code "node"}), read from the audit database through its indexes. Records are in time
 * order (then replica, then sequence); the database loses nothing to damage ({@code damaged_segments} is 0), and
 * {@code lost_records} counts the records the replicas' journals lost before they could be shipped.
 */
public final class ClusterAccessLog implements AccessLogStore {

    private final AuditDatabase db;

    public ClusterAccessLog(AuditDatabase db) {
        this.db = db;
    }

    @Override
    public Buffer read(AccessLogRoutes.Filter f, int limit) throws Exception {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        if (f.from() > 0) {
            where.append(" AND ts >= ?");
            args.add(new Timestamp(f.from()));
        }
        if (f.to() != Long.MAX_VALUE) {
            where.append(" AND ts <= ?");
            args.add(new Timestamp(f.to()));
        }
        add(where, args, "user_id", f.user());
        add(where, args, "organisation", f.organisation());
        add(where, args, "operation", f.operation());
        add(where, args, "cnic", f.cnic());
        long[] matched = new long[1];
        db.query("SELECT count(*) FROM access" + where, args, rs -> matched[0] = rs.getLong(1));
        List<AuditDatabase.Row> rows = new ArrayList<>();
        List<Object> limited = new ArrayList<>(args);
        limited.add(limit);
        db.query("SELECT " + AuditDatabase.COLUMNS + " FROM access" + where
                + " ORDER BY ts DESC, node_id DESC, sequence DESC LIMIT ?", limited, rs -> rows.add(AuditDatabase.row(rs)));
        long lost = db.lostRecords();
        AccessRecord.Encoder encoder = new AccessRecord.Encoder();
        Buffer out = Buffer.buffer(256 * rows.size() + 64).appendString("{\"records\":[");
        for (int i = rows.size() - 1; i >= 0; i--) {
            AuditDatabase.Row r = rows.get(i);
            out.appendString(i == rows.size() - 1 ? "" : ",")
                    .appendString("{\"node\":\"").appendString(r.node()).appendString("\",\"sequence\":")
                    .appendString(Long.toString(r.sequence())).appendString(",\"kind\":\"")
                    .appendString(r.kind() == AccessRecord.STREAM_END ? "stream-end" : "request")
                    .appendString("\",\"record\":").appendBytes(encoder.encode(r.record())).appendString("}");
        }
        return out.appendString("],\"matched\":" + matched[0] + ",\"truncated\":" + (matched[0] > rows.size())
                + ",\"damaged_segments\":0,\"lost_records\":" + lost + "}");
    }

    private static void add(StringBuilder where, List<Object> args, String column, String value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }
}
