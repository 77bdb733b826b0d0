package pk.gov.bisp.nser.core.journal;

import java.nio.file.Path;

/** A journal segment that is damaged, truncated or of an unknown format at {@link #offset()}. Names the file. */
public final class JournalCorruptException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String file;
    private final long offset;
    private final String reason;

    public JournalCorruptException(Path file, long offset, String reason) {
        super("journal segment " + file + " at offset " + offset + ": " + reason);
        this.file = file.toString();
        this.offset = offset;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public long offset() {
        return offset;
    }

    public String reason() {
        return reason;
    }
}
