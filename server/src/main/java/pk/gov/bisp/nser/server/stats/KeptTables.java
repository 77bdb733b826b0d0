package pk.gov.bisp.nser.server.stats;

import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * The kept statistics tables ({@link TableCache}) of the generation served, one for the whole server, shared by
 * every event loop's {@link StatsRoutes}. A fold tells it of the new generation before serving it
 * ({@link #swapping}): the new generation's cache is made then, and the tables the old one kept are counted over
 * it on a worker, so that the first requests after the fold find them kept instead of counting a national table
 * each (0.2-0.5 s). Thread-safe.
 */
public final class KeptTables {

    private static final Logger LOG = Logger.getLogger(KeptTables.class.getName());

    private final String secret;
    /** The cache of the generation requests last asked for. */
    private TableCache current;
    /** The cache of a generation a fold is about to serve, or null; guarded by this. */
    private TableCache next;

    /** @param secret the cell-key secret ({@code search.cell_key_secret}), or null */
    public KeptTables(String secret) {
        this.secret = secret;
    }

    /** The cache of {@code snapshot}: the current one, the one prepared for it, or a new one. */
    synchronized TableCache of(Snapshot snapshot) {
        if (current != null && current.snapshot() == snapshot) {
            return current;
        }
        if (next != null && next.snapshot() == snapshot) {
            current = next;
            next = null;
            return current;
        }
        current = new TableCache(snapshot, secret);
        return current;
    }

    /**
     * A fold is about to serve {@code generation}: its cache is made, and {@code worker} runs the counting of the
     * tables the served generation's cache keeps over it (blocking work: a worker thread's).
     */
    public void swapping(Snapshot generation, Consumer<Runnable> worker) {
        TableCache previous;
        TableCache prepared = new TableCache(generation, secret);
        synchronized (this) {
            previous = current;
            next = prepared;
        }
        if (previous != null) {
            worker.accept(() -> {
                try {
                    prepared.warm(previous);
                } catch (RuntimeException e) { // the requests count what they need themselves
                    LOG.log(Level.WARNING, "the kept statistics tables could not be counted over the new generation "
                            + generation.dir(), e);
                }
            });
        }
    }
}
