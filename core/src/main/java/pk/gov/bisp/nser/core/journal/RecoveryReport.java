package pk.gov.bisp.nser.core.journal;

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
 * @param corrupt        damaged segments, kept on disk untouched; their records from the damage on are skipped
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
            s.append("; CORRUPT (kept on disk, skipped from there on): ").append(d);
        }
        return s.toString();
    }
}
