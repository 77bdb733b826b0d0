package pk.gov.bisp.nser.server.clusteraudit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.config.AuditOptions;
import pk.gov.bisp.nser.server.http.Today;
import pk.gov.bisp.nser.server.metering.Ledger;

/**
 * The audit database: the {@code access} table of {@code access-log.sql} in PostgreSQL, over JDBC and a HikariCP
 * pool (no ORM). Every call blocks: callers are the sink's thread and worker threads, never an event loop. The
 * pool starts even when PostgreSQL does not answer (the replica serves on; calls fail until it is back).
 */
public final class AuditDatabase implements AutoCloseable {

    /** The schema, applied by {@link #applySchema}. */
    public static final String SCHEMA = "access-log.sql";
    static final String COLUMNS = "node_id, sequence, ts, kind, request_id, client_ip, user_id, user_name, "
            + "organisation, organisation_type, role, operation, method, path, query, cnic, rows, field_classes, "
            + "status, latency_us, stream, billed_rows, amount_paisa, reason, agreement, purposes";
    private static final String INSERT = "INSERT INTO access (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING";

    private final HikariDataSource pool;
    /** The months whose partition exists (as first instants), so each is created once per process. */
    private final Set<Long> months = ConcurrentHashMap.newKeySet();
    private final AccessRecord.Encoder encoder = new AccessRecord.Encoder();

    public AuditDatabase(AuditOptions options) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(options.postgres());
        c.setMaximumPoolSize(options.poolSize());
        c.setMinimumIdle(1);
        c.setPoolName("nser-audit");
        c.setConnectionTimeout(3_000);
        c.setValidationTimeout(2_000);
        c.setInitializationFailTimeout(-1); // start without the database: the sink retries
        c.addDataSourceProperty("reWriteBatchedInserts", "true");
        c.addDataSourceProperty("connectTimeout", "3");
        c.addDataSourceProperty("socketTimeout", "60");
        this.pool = new HikariDataSource(c);
    }

    /** Creates the table, its indexes and the partition function if missing ({@code access-log.sql}). */
    public void applySchema() throws SQLException, IOException {
        String sql;
        try (InputStream in = AuditDatabase.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IOException(SCHEMA + " is not on the class path");
            }
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(28028)"); // two sinks starting at once apply it one after the other
            try {
                s.execute(sql);
            } finally {
                s.execute("SELECT pg_advisory_unlock(28028)");
            }
        }
    }

    /** One shipped record: the replica, its journal sequence, its kind and the record. */
    public record Row(String node, long sequence, int kind, AccessRecord record) {
    }

    /**
     * A run of access records a replica's journal lost to damage: sequences {@code first..last} of {@code node},
     * {@code records} of them, found by its shipper at {@code foundMillis} (the day they are counted on).
     */
    public record Lost(String node, long first, long last, long records, long foundMillis) {
    }

    /** Writes {@code lost} in one transaction; a run already there is left as it is. */
    public void insertLost(List<Lost> lost) throws SQLException {
        if (lost.isEmpty()) {
            return;
        }
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement("INSERT INTO access_lost "
                + "(node_id, first_sequence, last_sequence, records, found) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Lost l : lost) {
                p.setString(1, l.node());
                p.setLong(2, l.first());
                p.setLong(3, l.last());
                p.setLong(4, l.records());
                p.setTimestamp(5, new Timestamp(l.foundMillis()));
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** Records lost to damage in every replica's journal, counted on the Pakistan day they were found, by day of
     * {@code month} (index 1..31; 0 unused). */
    public long[] lostByDay(YearMonth month) throws SQLException {
        long[] days = new long[32];
        query("SELECT extract(day FROM found AT TIME ZONE 'Asia/Karachi')::int, sum(records) FROM access_lost "
                + "WHERE found >= ? AND found < ? GROUP BY 1", List.of(
                        new Timestamp(month.atDay(1).atStartOfDay(Today.PAKISTAN).toInstant().toEpochMilli()),
                        new Timestamp(month.plusMonths(1).atDay(1).atStartOfDay(Today.PAKISTAN).toInstant()
                                .toEpochMilli())), rs -> days[rs.getInt(1)] += rs.getLong(2));
        return days;
    }

    /** Records lost to damage in every replica's journal, all told. */
    public long lostRecords() throws SQLException {
        long[] n = new long[1];
        query("SELECT coalesce(sum(records), 0) FROM access_lost", List.of(), rs -> n[0] = rs.getLong(1));
        return n[0];
    }

    /** Writes {@code rows} in one transaction; a row already there is left as it is. Returns the rows written. */
    public int insert(List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        try (Connection c = pool.getConnection()) {
            for (Row r : rows) {
                long month = monthStart(r.record().epochMillis());
                if (!months.contains(month)) {
                    try (PreparedStatement p = c.prepareStatement("SELECT nser_access_month(?)")) {
                        p.setTimestamp(1, new Timestamp(r.record().epochMillis()));
                        p.execute();
                    }
                    months.add(month);
                }
            }
            c.setAutoCommit(false);
            int written = 0;
            try (PreparedStatement p = c.prepareStatement(INSERT)) {
                for (Row r : rows) {
                    bind(p, r);
                    p.addBatch();
                }
                for (int n : p.executeBatch()) {
                    written += n == Statement.SUCCESS_NO_INFO ? 1 : n;
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return written;
        }
    }

    private static long monthStart(long millis) {
        return YearMonth.from(java.time.Instant.ofEpochMilli(millis).atZone(Today.PAKISTAN)).atDay(1)
                .atStartOfDay(Today.PAKISTAN).toInstant().toEpochMilli();
    }

    private void bind(PreparedStatement p, Row row) throws SQLException {
        AccessRecord r = row.record();
        int i = 1;
        p.setString(i++, row.node());
        p.setLong(i++, row.sequence());
        p.setTimestamp(i++, new Timestamp(r.epochMillis()));
        p.setShort(i++, (short) row.kind());
        p.setString(i++, r.requestId());
        p.setString(i++, r.clientIp());
        p.setString(i++, r.userId());
        p.setString(i++, r.userName());
        p.setString(i++, r.organisation());
        p.setString(i++, r.organisationType());
        p.setString(i++, r.role());
        p.setString(i++, r.operation());
        p.setString(i++, r.method());
        p.setString(i++, r.path());
        p.setString(i++, r.query());
        p.setString(i++, r.cnic());
        p.setLong(i++, r.rows());
        p.setInt(i++, r.fieldClasses());
        p.setInt(i++, r.status());
        p.setLong(i++, r.latencyMicros());
        p.setBoolean(i++, r.stream());
        p.setLong(i++, r.billedRows());
        p.setLong(i++, r.amountPaisa());
        p.setString(i++, r.reason());
        p.setString(i++, r.agreement());
        if (r.purposes().isEmpty()) {
            p.setNull(i, Types.VARCHAR);
        } else {
            p.setString(i, purposes(r));
        }
    }

    /** The record's {@code purposes} array as JSON, cut from the record's own encoding. */
    private String purposes(AccessRecord r) {
        synchronized (encoder) {
            String json = new String(encoder.encode(r), StandardCharsets.UTF_8);
            int at = json.indexOf("\"purposes\":");
            return json.substring(at + "\"purposes\":".length(), json.length() - 1);
        }
    }

    /** Reads a row of {@code SELECT COLUMNS} back into a record. */
    static Row row(ResultSet rs) throws SQLException {
        List<AccessRecord.Purpose> purposes = new ArrayList<>();
        String p = rs.getString("purposes");
        if (p != null) {
            try {
                String wrapped = "{\"purposes\":" + p + "}";
                byte[] b = wrapped.getBytes(StandardCharsets.UTF_8);
                purposes = AccessRecord.decode(b, 0, b.length).purposes();
            } catch (IOException e) {
                throw new SQLException("purposes of " + rs.getString("node_id") + "/" + rs.getLong("sequence")
                        + " are not JSON: " + e.getMessage(), e);
            }
        }
        AccessRecord r = new AccessRecord(rs.getString("request_id"), rs.getTimestamp("ts").getTime(),
                rs.getString("client_ip"), rs.getString("user_id"), rs.getString("user_name"),
                rs.getString("organisation"), rs.getString("organisation_type"), rs.getString("role"),
                rs.getString("operation"), rs.getString("method"), rs.getString("path"), rs.getString("query"),
                rs.getString("cnic"), rs.getLong("rows"), rs.getInt("field_classes"), rs.getInt("status"),
                rs.getLong("latency_us"), rs.getBoolean("stream"), rs.getLong("billed_rows"),
                rs.getLong("amount_paisa"), rs.getString("reason"), rs.getString("agreement"), purposes);
        return new Row(rs.getString("node_id"), rs.getLong("sequence"), rs.getShort("kind"), r);
    }

    /**
     * Every organisation's usage in {@code month} (Pakistan time), or only {@code organisation}'s (null: all), as the
     * ledger counts it: requests are records of kind 1, rows and charges those of every record.
     */
    public Map<String, Ledger.Usage> usage(YearMonth month, String organisation) throws SQLException {
        String sql = "SELECT organisation, extract(day FROM ts AT TIME ZONE 'Asia/Karachi')::int AS day, operation, "
                + "count(*) FILTER (WHERE kind = 1) AS requests, sum(billed_rows) AS rows, sum(amount_paisa) AS paisa "
                + "FROM access WHERE ts >= ? AND ts < ? AND organisation IS NOT NULL"
                + (organisation == null ? "" : " AND organisation = ?") + " GROUP BY 1, 2, 3";
        Map<String, Ledger.Usage> out = new TreeMap<>();
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            p.setTimestamp(1, new Timestamp(month.atDay(1).atStartOfDay(Today.PAKISTAN).toInstant().toEpochMilli()));
            p.setTimestamp(2, new Timestamp(month.plusMonths(1).atDay(1).atStartOfDay(Today.PAKISTAN).toInstant()
                    .toEpochMilli()));
            if (organisation != null) {
                p.setString(3, organisation);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Ledger.Usage u = out.computeIfAbsent(rs.getString(1), o -> new Ledger.Usage());
                    long[] add = {rs.getLong(4), rs.getLong(5), rs.getLong(6)};
                    long[] day = u.byDay[rs.getInt(2)];
                    long[] op = u.byOperation.computeIfAbsent(rs.getString(3), k -> new long[3]);
                    for (int i = 0; i < 3; i++) {
                        u.total[i] += add[i];
                        day[i] += add[i];
                        op[i] += add[i];
                    }
                }
            }
        }
        return out;
    }

    /** Runs {@code sql} with {@code args} and hands each row to {@code each}. */
    void query(String sql, List<Object> args, SqlRow each) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                p.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    each.row(rs);
                }
            }
        }
    }

    /** Told each row of a query. */
    @FunctionalInterface
    interface SqlRow {
        void row(ResultSet rs) throws SQLException;
    }

    @Override
    public void close() {
        pool.close();
    }
}
