package pk.gov.bisp.nser.server.accesslog;

/**
 * Takes each access record once it is journaled, in journal order, on the thread that wrote it, before its response
 * is released: the ledger, which bills it.
 */
@FunctionalInterface
public interface JournalListener {

    void apply(int kind, AccessRecord r, long sequence);
}
