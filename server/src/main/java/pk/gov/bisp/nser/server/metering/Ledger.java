package pk.gov.bisp.nser.server.metering;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;
import pk.gov.bisp.nser.core.journal.JournalDamage;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.core.journal.ReadReport;
import pk.gov.bisp.nser.core.journal.RecordVisitor;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.accesslog.JournalListener;
import pk.gov.bisp.nser.server.auth.Bills;
import pk.gov.bisp.nser.server.http.Today;

/**
 * Requests, billed rows and charges per organisation and calendar month (Pakistan time), by day and by
 * operation. Fed only from journaled access records (as each is written, and by replaying the journal at
 * start), so it always equals the sum of the access log. Thread-safe.
 *
 * <p>Records the journal lost to damage (read past at start, see JOURNAL-FORMAT.md) cannot be read: neither their
 * organisation nor their time is known. They are counted per Pakistan day, journal-wide: on the day of the last
 * readable record before them (records are written in time order, so they were written at or after it), or of
 * the first after them when there is none before (damage at the start of the replay), or today when there is no
 * readable record at all. Usage shows the count of its month ({@code lost_records}): the figures may lack them.
 */
public final class Ledger implements JournalListener, Bills {

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
    /** Records lost to damage in the journal, by the Pakistan day they are counted on. */
    private final Map<LocalDate, Long> lost = new TreeMap<>();
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
        Replay replay = new Replay(l, from);
        ReadReport report = JournalReader.read(dir, from, replay);
        if (replay.bad != null) {
            throw replay.bad;
        }
        if (replay.pending > 0) {
            l.lost(System.currentTimeMillis(), replay.pending);
        }
        return report;
    }

    /** The records from {@code from} on into {@code l}, and those lost to damage onto the day of one beside them. */
    private static final class Replay implements RecordVisitor {

        private final Ledger l;
        private final long from;
        private IOException bad;
        private long lastMillis = -1;
        private long pending;

        Replay(Ledger l, long from) {
            this.l = l;
            this.from = from;
        }

        @Override
        public void record(long seq, int kind, byte[] data, int off, int len) {
            if (bad != null || seq < from) {
                return;
            }
            try {
                AccessRecord r = AccessRecord.decode(data, off, len);
                lastMillis = r.epochMillis();
                if (pending > 0) {
                    l.lost(lastMillis, pending);
                    pending = 0;
                }
                l.apply(kind, r);
            } catch (IOException e) {
                bad = new IOException("journal record " + seq + " is not an access record: " + e.getMessage(), e);
            }
        }

        @Override
        public void lost(JournalDamage d) {
            long n = d.lastLost() - Math.max(d.firstLost(), from) + 1; // those before from are in the checkpoint
            if (n <= 0) {
                return;
            }
            if (lastMillis >= 0) {
                l.lost(lastMillis, n);
            } else {
                pending += n;
            }
        }
    }

    /** Counts {@code n} records lost to damage on the Pakistan day of {@code epochMillis}. */
    synchronized void lost(long epochMillis, long n) {
        lost.merge(Instant.ofEpochMilli(epochMillis).atZone(Today.PAKISTAN).toLocalDate(), n, Long::sum);
    }

    /** Records lost to damage counted in {@code month}, by day of the month (index 1..31; 0 unused). */
    public synchronized long[] lostByDay(YearMonth month) {
        long[] out = new long[32];
        lost.forEach((day, n) -> {
            if (YearMonth.from(day).equals(month)) {
                out[day.getDayOfMonth()] += n;
            }
        });
        return out;
    }

    /** Records lost to damage counted in {@code month}. */
    public long lostRecords(YearMonth month) {
        return java.util.Arrays.stream(lostByDay(month)).sum();
    }

    /** Records lost to damage, in every month. */
    public synchronized long lostRecords() {
        return lost.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Adds the journaled record {@code sequence} (records come in journal order). */
    @Override
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
        return new LedgerCheckpoint(through, copy, new TreeMap<>(lost));
    }

    /** A ledger holding exactly {@code usage} and {@code lost} (from a checkpoint). */
    static Ledger of(Map<String, Map<YearMonth, Usage>> usage, long through, Map<LocalDate, Long> lost) {
        Ledger l = new Ledger();
        l.lost.putAll(lost);
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
    @Override
    public synchronized long[] billed(String organisation, YearMonth month) {
        Usage u = byOrganisation.getOrDefault(organisation, Map.of()).get(month);
        return u == null ? new long[2] : new long[] {u.total[1], u.total[2]};
    }
}
