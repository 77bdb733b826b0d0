package pk.gov.bisp.nser.core.journal;

/** The ring is full: the journal thread is behind. The caller should answer 503 (overload). No stack trace. */
public final class JournalFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JournalFullException(int ringSize) {
        super("journal ring is full (" + ringSize + " records waiting)", null, false, false);
    }
}
