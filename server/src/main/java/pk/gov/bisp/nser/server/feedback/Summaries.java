package pk.gov.bisp.nser.server.feedback;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ObjLongConsumer;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.core.journal.ReadReport;

/**
 * Purchase summaries per NSER household and per posting organisation. Fed only from journaled batches (as each
 * is fsynced, and by replaying the journal at start), so they always equal the sum of the journal. Readers get
 * copies of exactly the organisations they may see; another organisation's tally never leaves this class for
 * them. Thread-safe.
 */
public final class Summaries {

    private final Map<Long, Map<String, Tally>> households = new ConcurrentHashMap<>();
    private long replayed;
    /** On a replica: the last update log position the journal holds a batch of (0: none). */
    private long logPosition;

    /** Rebuilds the summaries from every batch in the journal at {@code dir}; stops naming a record it cannot read. */
    public static Summaries replay(Path dir) throws IOException {
        return replay(dir, (b, seq) -> { });
    }

    /** As {@link #replay(Path)}, also handing each batch with its journal sequence to {@code each}. */
    static Summaries replay(Path dir, ObjLongConsumer<PurchaseBatch> each) throws IOException {
        Summaries s = new Summaries();
        IOException[] bad = new IOException[1];
        ReadReport report = JournalReader.read(dir, (seq, kind, data, off, len) -> {
            if (bad[0] != null) {
                return;
            }
            try {
                long at = seq;
                int skip = 0;
                if (kind == BatchCodec.LOGGED_KIND) { // applied from the replicated log, at its position
                    if (len < Long.BYTES) {
                        throw new IOException("a logged purchase batch shorter than its position");
                    }
                    at = java.nio.ByteBuffer.wrap(data, off, len).getLong();
                    s.logPosition = Math.max(s.logPosition, at);
                    skip = Long.BYTES;
                } else if (kind != BatchCodec.KIND) {
                    throw new IOException("kind " + kind + " is not a purchase batch (" + BatchCodec.KIND + ")");
                }
                PurchaseBatch b = BatchCodec.decode(data, off + skip, len - skip);
                s.add(b);
                each.accept(b, at);
            } catch (IOException e) {
                bad[0] = new IOException("purchase journal " + dir + ", record " + seq + ": " + e.getMessage(), e);
            }
        });
        if (bad[0] != null) {
            throw bad[0];
        }
        s.replayed = report.records();
        return s;
    }

    /** Batches read from the journal at start. */
    public long replayed() {
        return replayed;
    }

    /** Adds a journaled batch: each purchase to its household's tally of the posting organisation. */
    public void add(PurchaseBatch b) {
        for (Purchase p : b.purchases()) {
            Map<String, Tally> h = households.computeIfAbsent(p.householdId(), k -> new TreeMap<>());
            synchronized (h) {
                h.computeIfAbsent(b.organisation(), k -> new Tally()).add(p);
            }
        }
    }

    /** A copy of what {@code organisation} posted for the household, or null when it posted nothing. */
    public Tally of(long householdId, String organisation) {
        Map<String, Tally> h = households.get(householdId);
        if (h == null) {
            return null;
        }
        synchronized (h) {
            Tally t = h.get(organisation);
            return t == null ? null : t.copy();
        }
    }

    /** Copies of every organisation's tally of the household, by organisation id (empty when none): for audit. */
    public Map<String, Tally> all(long householdId) {
        Map<String, Tally> out = new TreeMap<>();
        Map<String, Tally> h = households.get(householdId);
        if (h != null) {
            synchronized (h) {
                h.forEach((org, t) -> out.put(org, t.copy()));
            }
        }
        return out;
    }

    /** On a replica: the last update log position the journal held a batch of when replayed (0: none). */
    long logPosition() {
        return logPosition;
    }

    /** Households with at least one purchase. */
    public int households() {
        return households.size();
    }
}
