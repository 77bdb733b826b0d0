package pk.gov.bisp.nser.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ledger as it was through one access-journal sequence, kept beside the journal
 * ({@value #FILE} in its directory) so that a restart replays only the records after it instead of the whole
 * audit log. Written whole to a temporary file, forced, then renamed over the old one. JSON, version 1:
 *
 * <pre>
 * {"v":1,"through":123456,"organisations":{"utility-stores":{"2026-11":{"total":[requests,rows,paisa],
 *  "by_day":[[0,0,0],[r,rows,paisa],...32 entries, index = day of month],"by_operation":{"eligibility":[r,rows,paisa]}}}},
 *  "lost_records":{"2026-11-05":3}}
 * </pre>
 *
 * {@code lost_records} (optional; absent in older checkpoints: none) are the access records the journal had lost to
 * damage when the ledger counted through {@code through}, by the day they are counted on (see {@link Ledger}). A
 * checkpoint is only used while the journal has lost exactly as many records up to {@code through}: damage found
 * since it was written would otherwise go unreported, and the ledger is then rebuilt from every record.
 *
 * The journal stays the truth: a checkpoint that cannot be read, or that counts records the journal no longer
 * has (a tail lost after it was written), is ignored and the ledger is rebuilt from every record.
 *
 * @param through the journal sequence of the last record counted
 * @param usage   per organisation and month
 * @param lost    records lost to damage, by day
 */
public record LedgerCheckpoint(long through, Map<String, Map<YearMonth, Ledger.Usage>> usage,
                               Map<LocalDate, Long> lost) {

    /** A checkpoint with no record lost. */
    public LedgerCheckpoint(long through, Map<String, Map<YearMonth, Ledger.Usage>> usage) {
        this(through, usage, Map.of());
    }

    /** Records lost to damage that this checkpoint counted. */
    public long lostRecords() {
        return lost.values().stream().mapToLong(Long::longValue).sum();
    }

    public static final String FILE = "ledger-checkpoint.json";
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A ledger holding this checkpoint's figures. */
    Ledger ledger() {
        return Ledger.of(usage, through, lost);
    }

    /** Writes the checkpoint into {@code dir} atomically (temporary file, force, rename, directory force). */
    public void write(Path dir) throws IOException {
        ObjectNode root = JSON.createObjectNode().put("v", VERSION).put("through", through);
        ObjectNode orgs = root.putObject("organisations");
        usage.forEach((org, months) -> {
            ObjectNode o = orgs.putObject(org);
            months.forEach((month, u) -> {
                ObjectNode m = o.putObject(month.toString());
                counters(m.putArray("total"), u.total);
                ArrayNode days = m.putArray("by_day");
                for (long[] d : u.byDay) {
                    counters(days.addArray(), d);
                }
                ObjectNode ops = m.putObject("by_operation");
                u.byOperation.forEach((op, c) -> counters(ops.putArray(op), c));
            });
        });
        ObjectNode lostDays = root.putObject("lost_records");
        lost.forEach((day, n) -> lostDays.put(day.toString(), n));
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(root));
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static void counters(ArrayNode a, long[] c) {
        for (long v : c) {
            a.add(v);
        }
    }

    /** The checkpoint in {@code dir}, or null when there is none. */
    public static LedgerCheckpoint read(Path dir) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(FILE));
        } catch (NoSuchFileException e) {
            return null;
        }
        JsonNode root = JSON.readTree(bytes);
        if (root == null || root.path("v").asInt(-1) != VERSION || !root.path("through").canConvertToLong()
                || !root.path("organisations").isObject()) {
            throw new IOException(dir.resolve(FILE) + ": not a version " + VERSION + " ledger checkpoint");
        }
        Map<String, Map<YearMonth, Ledger.Usage>> usage = new TreeMap<>();
        for (Map.Entry<String, JsonNode> org : root.get("organisations").properties()) {
            Map<YearMonth, Ledger.Usage> months = new TreeMap<>();
            for (Map.Entry<String, JsonNode> m : org.getValue().properties()) {
                Ledger.Usage u = new Ledger.Usage();
                fill(u.total, m.getValue().path("total"));
                JsonNode days = m.getValue().path("by_day");
                if (days.size() != u.byDay.length) {
                    throw new IOException(dir.resolve(FILE) + ": " + org.getKey() + " " + m.getKey() + " has "
                            + days.size() + " days, not " + u.byDay.length);
                }
                for (int d = 0; d < u.byDay.length; d++) {
                    fill(u.byDay[d], days.get(d));
                }
                for (Map.Entry<String, JsonNode> op : m.getValue().path("by_operation").properties()) {
                    long[] c = new long[3];
                    fill(c, op.getValue());
                    u.byOperation.put(op.getKey(), c);
                }
                try {
                    months.put(YearMonth.parse(m.getKey()), u);
                } catch (java.time.format.DateTimeParseException e) {
                    throw new IOException(dir.resolve(FILE) + ": month '" + m.getKey() + "' is not YYYY-MM", e);
                }
            }
            usage.put(org.getKey(), months);
        }
        Map<LocalDate, Long> lost = new TreeMap<>();
        for (Map.Entry<String, JsonNode> d : root.path("lost_records").properties()) {
            try {
                if (!d.getValue().canConvertToLong()) {
                    throw new IOException(dir.resolve(FILE) + ": lost records are a whole number, not " + d.getValue());
                }
                lost.put(LocalDate.parse(d.getKey()), d.getValue().asLong());
            } catch (java.time.format.DateTimeParseException e) {
                throw new IOException(dir.resolve(FILE) + ": day '" + d.getKey() + "' is not YYYY-MM-DD", e);
            }
        }
        return new LedgerCheckpoint(root.get("through").asLong(), usage, lost);
    }

    private static void fill(long[] c, JsonNode a) throws IOException {
        if (!a.isArray() || a.size() != c.length) {
            throw new IOException("a ledger counter is [requests, rows, paisa], not " + a);
        }
        for (int i = 0; i < c.length; i++) {
            if (!a.get(i).canConvertToLong()) {
                throw new IOException("a ledger counter is a whole number, not " + a.get(i));
            }
            c[i] = a.get(i).asLong();
        }
    }
}
