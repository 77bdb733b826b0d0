package pk.gov.bisp.nser.server.metering;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;
import pk.gov.bisp.nser.server.audit.AccessRecord;
import pk.gov.bisp.nser.server.http.Today;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.core.journal.ReadReport;

/**
 * Requests, billed rows and charges per organisation and calendar month (Pakistan time), by day and by
 * operation. Fed only from journaled access records (as each is written, and by replaying the journal at
 * start), so it always equals the sum of the access log. Thread-safe.
 */
public final class Ledger {

    /** One organisation's month. Counters are [requests, rows, paisa]. */
    public static final class Usage {
        public final long[] total = new long[3];
        public final long[][] byDay = new long[32][3];
        public final Map<String, long[]> byOperation = new TreeMap<>();

        Usage copy() {
            Usage u = new Usage();
            System.arraycopy(total, 0, u.total, 0, 3);
            for (int d = 0; d < byDay.length; d++) {
                System.arraycopy(byDay[d], 0, u.byDay[d], 0, 3);
            }
            byOperation.forEach((k, v) -> u.byOperation.put(k, v.clone()));
            return u;
        }
    }

    private final Map<String, Map<YearMonth, Usage>> byOrganisation = new TreeMap<>();
    /** The journal sequence of the last record applied (0: none, or not known). */
    private long through;
    /** The Pakistan day of the last record applied, as [start, end) in epoch milliseconds, and its date. */
    private long dayStart = 1;
    private long dayEnd;
    private LocalDate day;
    private YearMonth dayMonth;

    /** Replays every access record of the journal in {@code dir}. */
    public static Ledger replay(Path dir) throws IOException {
        return replay(dir, null);
    }

    /**
     * The ledger of the journal in {@code dir}: from {@code checkpoint} (a {@link LedgerCheckpoint} read at start,
     * or null) plus the records after it, or from every record when there is none. A checkpoint the journal does
     * not reach (its tail was lost after the checkpoint was written) is ignored: the journal is the truth.
     */
    public static Ledger replay(Path dir, LedgerCheckpoint checkpoint) throws IOException {
        if (checkpoint != null) {
            Ledger l = checkpoint.ledger();
            ReadReport r = read(dir, l, checkpoint.through() + 1);
            if (r.lastSequence() >= checkpoint.through()) {
                l.through = Math.max(checkpoint.through(), r.lastSequence());
                return l;
            }
        }
        Ledger l = new Ledger();
        l.through = read(dir, l, 1).lastSequence();
        return l;
    }

    private static ReadReport read(Path dir, Ledger l, long from) throws IOException {
        IOException[] bad = new IOException[1];
        ReadReport report = JournalReader.read(dir, from, (seq, kind, data, off, len) -> {
            if (bad[0] != null || seq < from) {
                return;
            }
            try {
                l.apply(kind, AccessRecord.decode(data, off, len));
            } catch (IOException e) {
                bad[0] = new IOException("journal record " + seq + " is not an access record: " + e.getMessage(), e);
            }
        });
        if (bad[0] != null) {
            throw bad[0];
        }
        return report;
    }

    /** Adds the journaled record {@code sequence} (records come in journal order). */
    public synchronized void apply(int kind, AccessRecord r, long sequence) {
        apply(kind, r);
        through = sequence;
    }

    /** The journal sequence of the last record in the ledger. */
    public synchronized long through() {
        return through;
    }

    /** A consistent copy of the whole ledger and the sequence it is complete through, for a checkpoint. */
    public synchronized LedgerCheckpoint checkpoint() {
        Map<String, Map<YearMonth, Usage>> copy = new TreeMap<>();
        byOrganisation.forEach((org, months) -> {
            Map<YearMonth, Usage> m = new TreeMap<>();
            months.forEach((month, u) -> m.put(month, u.copy()));
            copy.put(org, m);
        });
        return new LedgerCheckpoint(through, copy);
    }

    /** A ledger holding exactly {@code usage} (from a checkpoint). */
    static Ledger of(Map<String, Map<YearMonth, Usage>> usage, long through) {
        Ledger l = new Ledger();
        usage.forEach((org, months) -> {
            Map<YearMonth, Usage> m = new TreeMap<>();
            months.forEach((month, u) -> m.put(month, u.copy()));
            l.byOrganisation.put(org, m);
        });
        l.through = through;
        return l;
    }

    /** Adds one journaled record. */
    public synchronized void apply(int kind, AccessRecord r) {
        if (r.organisation() == null) {
            return;
        }
        long ms = r.epochMillis();
        if (ms < dayStart || ms >= dayEnd) { // records come in time order: the day changes once a day
            day = Instant.ofEpochMilli(ms).atZone(Today.PAKISTAN).toLocalDate();
            dayMonth = YearMonth.from(day);
            dayStart = day.atStartOfDay(Today.PAKISTAN).toInstant().toEpochMilli();
            dayEnd = day.plusDays(1).atStartOfDay(Today.PAKISTAN).toInstant().toEpochMilli();
        }
        Usage u = byOrganisation.computeIfAbsent(r.organisation(), o -> new TreeMap<>())
                .computeIfAbsent(dayMonth, m -> new Usage());
        long requests = kind == AccessRecord.REQUEST ? 1 : 0;
        add(u.total, requests, r.billedRows(), r.amountPaisa());
        add(u.byDay[day.getDayOfMonth()], requests, r.billedRows(), r.amountPaisa());
        add(u.byOperation.computeIfAbsent(r.operation(), k -> new long[3]), requests, r.billedRows(),
                r.amountPaisa());
    }

    private static void add(long[] c, long requests, long rows, long paisa) {
        c[0] += requests;
        c[1] += rows;
        c[2] += paisa;
    }

    /** A copy of an organisation's month (all zero when it has none). */
    public synchronized Usage usage(String organisation, YearMonth month) {
        Usage u = byOrganisation.getOrDefault(organisation, Map.of()).get(month);
        return u == null ? new Usage() : u.copy();
    }

    /** Every organisation's month, by id. */
    public synchronized Map<String, Usage> month(YearMonth month) {
        Map<String, Usage> out = new TreeMap<>();
        byOrganisation.forEach((org, months) -> {
            Usage u = months.get(month);
            if (u != null) {
                out.put(org, u.copy());
            }
        });
        return out;
    }

    /** [rows, paisa] billed to an organisation this month. */
    public synchronized long[] billed(String organisation, YearMonth month) {
        Usage u = byOrganisation.getOrDefault(organisation, Map.of()).get(month);
        return u == null ? new long[2] : new long[] {u.total[1], u.total[2]};
    }
}
