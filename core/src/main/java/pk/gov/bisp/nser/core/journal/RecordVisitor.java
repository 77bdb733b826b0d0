package pk.gov.bisp.nser.core.journal;

/** Receives the records {@link JournalReader} reads, in sequence order, and the records damage lost. */
@FunctionalInterface
public interface RecordVisitor {

    /** One record; {@code data} is only valid during the call (copy what you keep). */
    void record(long sequence, int kind, byte[] data, int offset, int length);

    /**
     * Records lost to {@code damage} ({@link JournalDamage#lostRecords()} above 0, some at or after the sequence
     * reading started from), in sequence order: after the record before them and before the record after them.
     * Their content, and so their kind and time, cannot be read. Default: nothing.
     */
    default void lost(JournalDamage damage) {
    }
}
