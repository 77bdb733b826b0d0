package pk.gov.bisp.nser.core.journal;

import java.nio.file.Path;

/** The journal was closed before the record could be written. No stack trace. */
public final class JournalClosedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JournalClosedException(Path dir) {
        super("journal " + dir + " is closed", null, false, false);
    }
}
