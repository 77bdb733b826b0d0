package pk.gov.bisp.nser.core.journal;

/**
 * Damage found in a segment: the bytes of {@code file} from {@code offset} up to {@code resumedAt} (or to the end
 * of the file) were not read, and the records with sequences {@code firstLost..lastLost} are lost with them.
 *
 * @param file      the segment's file name (inside the journal directory)
 * @param offset    where the first bad frame (or the header, at 0) starts
 * @param reason    what was wrong, with {@code name=value}
 * @param resumedAt where reading went on: the offset of the next valid frame in the same file, whose sequence is
 *                  {@code lastLost + 1}; -1 when nothing valid follows the damage in this file
 * @param firstLost the first sequence lost
 * @param lastLost  the last sequence lost; {@code firstLost - 1} when no record is known to be lost (a torn tail,
 *                  a damaged header before intact frames, bytes between frames)
 */
public record JournalDamage(String file, long offset, String reason, long resumedAt, long firstLost,
                            long lastLost) {

    /** Damage after which nothing was read and no record is known to be lost. */
    public JournalDamage(String file, long offset, String reason) {
        this(file, offset, reason, -1, 0, -1);
    }

    static JournalDamage of(JournalCorruptException e) {
        return new JournalDamage(java.nio.file.Path.of(e.file()).getFileName().toString(), e.offset(), e.reason());
    }

    /** This damage, reading going on at {@code resumedAt}, the records {@code firstLost..lastLost} lost. */
    JournalDamage lost(long resumed, long first, long last) {
        return new JournalDamage(file, offset, reason, resumed, first, Math.max(first - 1, last));
    }

    /** How many records were lost (0 when none is known to be). */
    public long lostRecords() {
        return Math.max(0, lastLost - firstLost + 1);
    }

    /** How many of the lost records have a sequence of at most {@code sequence}. */
    public long lostThrough(long sequence) {
        return Math.max(0, Math.min(lastLost, sequence) - firstLost + 1);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(file).append(" at offset ").append(offset).append(": ").append(reason);
        if (lostRecords() > 0) {
            s.append("; lost sequence").append(lostRecords() == 1 ? " " + firstLost
                    : "s " + firstLost + ".." + lastLost).append(" (").append(lostRecords())
                    .append(lostRecords() == 1 ? " record)" : " records)");
        }
        if (resumedAt >= 0) {
            s.append("; read on from offset ").append(resumedAt);
        }
        return s.toString();
    }
}
