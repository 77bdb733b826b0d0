package pk.gov.bisp.nser.core.journal;

/**
 * Told once per appended record, on the journal thread: hop to your own context (e.g. Vert.x
 * {@code context.runOnContext}) before touching anything that is not thread-safe, and do not block.
 */
@FunctionalInterface
public interface Completion {

    /** The record is in the journal file as {@code sequence} (in the OS; fsynced too if the interval is 0). */
    void written(long sequence);

    /**
     * The record was not journaled: {@link JournalFullException} (overload), {@link JournalClosedException},
     * or the {@link java.io.IOException} of a failed write. Override it whenever a response waits on the record.
     */
    default void failed(Throwable cause) {
    }
}
