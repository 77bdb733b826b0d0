package pk.gov.bisp.nser.server.clusteraudit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.config.AuditOptions;
import pk.gov.bisp.nser.server.metering.Ledger;

/** Issue 28: access-log.sql in a real PostgreSQL: one table by month, idempotent on (node, sequence), indexed. */
class AccessSchemaTest {

    private static Postgres pg;
    private static AuditDatabase db;

    @BeforeAll
    static void start() throws Exception {
        pg = Postgres.start();
        db = new AuditDatabase(AuditOptions.DEFAULTS.withPostgres(pg.url()));
        db.applySchema();
        db.applySchema(); // a second sink, or a restart: nothing changes
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) {
            db.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    static AccessRecord record(String at, String org, String op, String cnic, long rows, long paisa) {
        return new AccessRecord("req-" + at, Instant.parse(at).toEpochMilli(), "10.0.0.7", "u1", "User One", org,
                "government_federal_provincial", "power", op, "GET", "/v1/households/by-cnic/x", "a=1", cnic, rows,
                3, 200, 420, false, rows, paisa, null, "DSA-1",
                List.of(new AccessRecord.Purpose("r1", "consent", "2026-12-01T00:00:00Z", "t", "c", null)));
    }

    @Test
    void recordsShouldLandInTheirPakistanMonthsPartitionOnceWhateverIsResent() throws Exception {
        List<AuditDatabase.Row> rows = new ArrayList<>();
        // 2026-11-30T19:30Z is already 1 December in Pakistan (UTC+5)
        rows.add(new AuditDatabase.Row("r1", 1, AccessRecord.REQUEST,
                record("2026-11-30T18:59:59.999Z", "org-a", "lookup", "35202-1234567-1", 1, 300)));
        rows.add(new AuditDatabase.Row("r1", 2, AccessRecord.REQUEST,
                record("2026-11-30T19:30:00Z", "org-a", "lookup", "35202-1234567-1", 1, 300)));
        rows.add(new AuditDatabase.Row("r2", 1, AccessRecord.REQUEST,
                record("2026-12-02T10:00:00Z", "org-b", "search", null, 10, 3_000)));
        rows.add(new AuditDatabase.Row("r2", 2, AccessRecord.STREAM_END,
                record("2026-12-02T10:00:01Z", "org-b", "search", null, 5, 1_500)));
        assertEquals(4, db.insert(rows));
        assertEquals(0, db.insert(rows), "a resend is recognised by (node, sequence)");
        assertEquals(0, db.insert(rows.subList(1, 3)));
        assertEquals(4, pg.queryLong("SELECT count(*) FROM access WHERE node_id IN ('r1', 'r2')"));
        assertEquals(1, pg.queryLong("SELECT count(*) FROM access_y2026m11"));
        assertEquals(3, pg.queryLong("SELECT count(*) FROM access_y2026m12"));
        assertEquals(1, pg.queryLong("SELECT count(*) FROM pg_inherits WHERE inhparent = 'access'::regclass"
                + " AND inhrelid = 'access_y2026m12'::regclass"));

        Map<String, Ledger.Usage> dec = db.usage(YearMonth.of(2026, 12), null);
        assertEquals(2, dec.size());
        assertEquals(List.of(1L, 1L, 300L), List.of(dec.get("org-a").total[0], dec.get("org-a").total[1],
                dec.get("org-a").total[2]));
        Ledger.Usage b = dec.get("org-b");
        assertEquals(List.of(1L, 15L, 4_500L), List.of(b.total[0], b.total[1], b.total[2]),
                "a stream's end adds rows and charge, not a request");
        assertEquals(15L, b.byDay[2][1]);
        assertEquals(4_500L, b.byOperation.get("search")[2]);
        assertEquals(Map.of("org-b", 15L), Map.of("org-b", db.usage(YearMonth.of(2026, 12), "org-b")
                .get("org-b").total[1]));
    }

    @Test
    void aRowShouldReadBackAsTheRecordItWas() throws Exception {
        AccessRecord r = record("2027-01-05T00:00:00.123Z", "org-c", "lookup", "35202-7654321-3", 1, 2_500);
        db.insert(List.of(new AuditDatabase.Row("r9", 77, AccessRecord.REQUEST, r)));
        List<AuditDatabase.Row> back = new ArrayList<>();
        db.query("SELECT " + AuditDatabase.COLUMNS + " FROM access WHERE node_id = ? AND sequence = ?",
                List.of("r9", 77L), rs -> back.add(AuditDatabase.row(rs)));
        assertEquals(List.of(new AuditDatabase.Row("r9", 77, AccessRecord.REQUEST, r)), back);
    }

    @Test
    void theAdminFiltersShouldHaveTheirIndexes() throws Exception {
        for (String index : List.of("access_cnic_ts", "access_organisation_ts", "access_user_ts", "access_ts")) {
            assertEquals(1, pg.queryLong("SELECT count(*) FROM pg_indexes WHERE tablename = 'access' AND indexname = '"
                    + index + "'"), index);
        }
        assertEquals(3, pg.queryLong("SELECT count(*) FROM information_schema.key_column_usage WHERE table_name = "
                + "'access' AND constraint_name = 'access_pkey'"), "primary key (node_id, sequence, ts)");
        // the columns the data-sharing plan's access logging (8.2.3) names
        for (String col : List.of("client_ip", "user_id", "user_name", "operation", "query", "rows", "ts")) {
            assertTrue(pg.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_name = 'access' "
                    + "AND column_name = '" + col + "'") == 1, col);
        }
    }
}
