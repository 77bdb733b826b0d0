package pk.gov.bisp.nser.server.dci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DCI transactions answered recently, for {@code txn/status}: each one's transaction id, correlation id and
 * the status of each of its items (never the records: reading them again is a new, billed search). Kept per
 * organisation (no organisation sees another's), in memory, the latest {@link #CAPACITY} transactions: a status
 * asked after a restart, or after that many later transactions, is answered as unknown. Shared by the event loops.
 */
public final class Transactions {

    static final int CAPACITY = 100_000;

    /** One item's outcome: its reference, when it was answered, its status and reason. */
    record Item(String referenceId, String timestamp, String status, String code, String message) {
    }

    /** A transaction: what it was ({@code search}, {@code subscribe}), its ids and its items' outcomes. */
    record Entry(String organisation, String txnType, String transactionId, String correlationId, List<Item> items) {
    }

    /** An organisation's transaction ({@code t}), correlation ({@code c}) or reference ({@code r}) id. */
    private record Key(String org, char kind, String id) {
    }

    private final Map<Key, Entry> byKey = new LinkedHashMap<>(1_024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
            return size() > CAPACITY * 3; // each entry is indexed by transaction, correlation and (first) reference
        }
    };

    private static Key key(String org, char kind, String id) {
        return new Key(org, kind, id);
    }

    synchronized void put(Entry e) {
        byKey.put(key(e.organisation(), 't', e.transactionId()), e);
        byKey.put(key(e.organisation(), 'c', e.correlationId()), e);
        for (Item i : e.items()) {
            if (!i.referenceId().isEmpty()) {
                byKey.put(key(e.organisation(), 'r', i.referenceId()), e);
            }
        }
    }

    /** Replaces the items of the transaction of {@code correlationId} (an asynchronous one, once answered). */
    synchronized void update(String org, String correlationId, List<Item> items) {
        Entry old = byKey.get(key(org, 'c', correlationId));
        if (old != null) {
            put(new Entry(org, old.txnType(), old.transactionId(), correlationId, items));
        }
    }

    synchronized Entry byTransaction(String org, String id) {
        return byKey.get(key(org, 't', id));
    }

    synchronized Entry byCorrelation(String org, String id) {
        return byKey.get(key(org, 'c', id));
    }

    /** The items of {@code refs}, each from the latest transaction that had it (unknown references are left out). */
    synchronized List<Item> byReferences(String org, List<String> refs) {
        List<Item> out = new ArrayList<>();
        for (String r : refs) {
            Entry e = byKey.get(key(org, 'r', r));
            if (e != null) {
                for (Item i : e.items()) {
                    if (i.referenceId().equals(r)) {
                        out.add(i);
                        break;
                    }
                }
            }
        }
        return out;
    }
}
