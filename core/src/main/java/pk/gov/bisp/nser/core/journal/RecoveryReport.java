package pk.gov.bisp.nser.core.journal;

import java.io.IOException;
import java.util.List;

/**
 * What {@link Journal#open} found and did.
 *
 * @param dir            the journal directory
 * @param segments       segment files found
 * @param records        good records kept
 * @param lastSequence   the highest good sequence (0 if none); appends continue after {@code nextSequence - 1}
 * @param nextSequence   the sequence the next record gets
 * @param truncatedBytes bytes cut from the end of the newest segment (a torn tail); 0 if none
 * @param tornTail       where the torn tail started and why it was torn; null if none
 * @param corrupt        damage in segments kept on disk untouched: every damaged region, where reading went on
 *                       after it and which sequences it lost; the records after it are kept
 * @param activeSegment  the segment file new records go to
 */
public record RecoveryReport(String dir, int segments, long records, long lastSequence, long nextSequence,
                             long truncatedBytes, JournalDamage tornTail, List<JournalDamage> corrupt,
                             String activeSegment) {

    public RecoveryReport {
        corrupt = List.copyOf(corrupt);
    }

    /** Nothing was truncated and nothing is damaged. */
    public boolean clean() {
        return truncatedBytes == 0 && tornTail == null && corrupt.isEmpty();
    }

    /** Records lost to damage. */
    public long lostRecords() {
        return corrupt.stream().mapToLong(JournalDamage::lostRecords).sum();
    }

    /** Records lost to damage whose sequence is at most {@code sequence}. */
    public long lostRecords(long sequence) {
        return corrupt.stream().mapToLong(d -> d.lostThrough(sequence)).sum();
    }

    /**
     * Fails when records after sequence {@code after} (those not folded into a checkpoint) were lost, for a journal
     * whose every record was acknowledged as durable (fsynced) before it was answered: the message names each
     * damaged file, offset and the sequences lost.
     *
     * @param what  what the journal holds, for the message ("update")
     * @param after the last sequence a checkpoint holds (0 for none): records lost up to it are not lost
     */
    public void requireNothingLost(String what, long after) throws IOException {
        List<JournalDamage> lost = corrupt.stream().filter(d -> d.lostRecords() > d.lostThrough(after)).toList();
        if (!lost.isEmpty()) {
            long n = lostRecords() - lostRecords(after);
            throw new IOException("the " + what + " journal " + dir + " lost " + n + " acknowledged record"
                    + (n == 1 ? "" : "s") + " to damage: " + String.join(", ", lost.stream().map(String::valueOf)
                    .toList()) + ". Restore the damaged segment from a backup (the records after the damage are"
                    + " intact); until then the server does not start");
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("journal ").append(dir).append(": ").append(segments)
                .append(segments == 1 ? " segment, " : " segments, ").append(records).append(" records, last sequence ")
                .append(lastSequence).append("; appending to ").append(activeSegment).append(" from sequence ")
                .append(nextSequence);
        if (tornTail != null) {
            s.append("; torn tail truncated: ").append(truncatedBytes).append(" bytes of ").append(tornTail);
        }
        for (JournalDamage d : corrupt) {
            s.append("; CORRUPT (kept on disk untouched): ").append(d);
        }
        return s.toString();
    }
}
