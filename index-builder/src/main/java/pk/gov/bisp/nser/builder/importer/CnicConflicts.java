package pk.gov.bisp.nser.builder.importer;

import java.io.IOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which households keep a CNIC that more than one of them holds, as reading the input in order would: going
 * through the households in input order, one that holds a CNIC already kept by an earlier household is rejected, and
 * then keeps none of its CNICs (so a later holder of those may keep them). Only the conflicting CNICs are held in
 * memory.
 */
final class CnicConflicts {

    /** Receives each rejected household, the CNIC that rejects it and the household that keeps that CNIC. */
    interface Rejected {
        void of(long seq, long cnic, long owner) throws IOException;
    }

    private final List<long[]> entries;

    /** @param entries {seq, cnic} for every household that holds a CNIC some other household holds too */
    CnicConflicts(List<long[]> entries) {
        this.entries = entries;
    }

    void resolve(Rejected rejected) throws IOException {
        entries.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        Map<Long, Long> owners = new HashMap<>();
        int i = 0;
        while (i < entries.size()) {
            long seq = entries.get(i)[0];
            int end = i;
            while (end < entries.size() && entries.get(end)[0] == seq) {
                end++;
            }
            boolean kept = true;
            for (int j = i; j < end && kept; j++) {
                Long owner = owners.get(entries.get(j)[1]);
                if (owner != null) {
                    rejected.of(seq, entries.get(j)[1], owner);
                    kept = false;
                }
            }
            for (int j = i; j < end && kept; j++) {
                owners.put(entries.get(j)[1], seq);
            }
            i = end;
        }
    }
}
