package pk.gov.bisp.nser.core.journal;

/** Receives the records {@link JournalReader} reads, in sequence order. */
@FunctionalInterface
public interface RecordVisitor {

    /** One record; {@code data} is only valid during the call (copy what you keep). */
    void record(long sequence, int kind, byte[] data, int offset, int length);
}
