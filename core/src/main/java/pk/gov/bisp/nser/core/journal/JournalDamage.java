package pk.gov.bisp.nser.core.journal;

/**
 * Damage found in a segment: the bytes of {@code file} from {@code offset} on were not read.
 *
 * @param file   the segment's file name (inside the journal directory)
 * @param offset where the first bad frame (or the header, at 0) starts
 * @param reason what was wrong, with {@code name=value}
 */
public record JournalDamage(String file, long offset, String reason) {

    static JournalDamage of(JournalCorruptException e) {
        return new JournalDamage(java.nio.file.Path.of(e.file()).getFileName().toString(), e.offset(), e.reason());
    }

    @Override
    public String toString() {
        return file + " at offset " + offset + ": " + reason;
    }
}
