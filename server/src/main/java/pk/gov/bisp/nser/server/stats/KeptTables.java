package pk.gov.bisp.nser.server.stats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * The kept statistics tables ({@link TableCache}) of each generation served, one set for the whole server, shared by
 * every event loop's {@link StatsRoutes}: a cache per generation, held beside it (weakly: it goes when the generation
 * does), so a request still reading an older generation after a fold gets that one's cache and never disturbs the
 * new one's. A fold tells it of the new generation before serving it ({@link #swapping}): the new generation's cache
 * is made then, and the tables the served one keeps are counted over it on a worker, so that the first requests
 * after the fold find them kept instead of counting a national table each (0.2-0.5 s). Thread-safe.
 */
public final class KeptTables {

    private static final Logger LOG = Logger.getLogger(KeptTables.class.getName());

    private final String secret;
    /** Each generation's cache; a cache holds no reference to its generation. Guarded by this. */
    private final Map<Snapshot, TableCache> caches = new WeakHashMap<>();
    /** Where the kept tables' shapes outlive a restart ({@link KeptShapes}), or null. */
    private volatile Path file;
    private final Object saving = new Object();

    /** @param secret the cell-key secret ({@code search.cell_key_secret}), or null */
    public KeptTables(String secret) {
        this.secret = secret;
    }

    /** The cache of {@code snapshot}, made on first use. */
    synchronized TableCache of(Snapshot snapshot) {
        return caches.computeIfAbsent(snapshot, s -> new TableCache(s, secret, TableCache.TABLES, this::save));
    }

    /**
     * Keeps the shapes of the tables kept in {@code file} (rewritten after each new table), for
     * {@link #warmFromFile} after a restart.
     */
    public void keepIn(Path file) {
        this.file = file;
    }

    private void save(TableCache cache) {
        Path f = file;
        if (f == null) {
            return;
        }
        synchronized (saving) {
            try {
                KeptShapes.write(f, cache.shapes());
            } catch (IOException | RuntimeException e) { // a hint lost: the tables are counted on first request
                LOG.log(Level.WARNING, "the kept statistics tables' shapes could not be written to " + f, e);
            }
        }
    }

    /**
     * Counts over {@code snapshot} the tables whose shapes the file holds (those kept before a restart), so that
     * their first requests find them kept; blocking, once the snapshot is served. Returns how many shapes it read.
     */
    public int warmFromFile(Snapshot snapshot) {
        Path f = file;
        if (f == null) {
            return 0;
        }
        try {
            List<TableCache.Shape> shapes = KeptShapes.read(f, snapshot.geography());
            if (!shapes.isEmpty()) {
                of(snapshot).warm(shapes, snapshot);
                LOG.info(shapes.size() + " statistics tables kept before the restart counted again");
            }
            return shapes.size();
        } catch (IOException | RuntimeException e) { // the requests count what they need themselves
            LOG.log(Level.WARNING, "the statistics tables kept before the restart were not counted again", e);
            return 0;
        }
    }

    /** The tables counted whole over {@code snapshot}'s files so far (tests). */
    public int counted(Snapshot snapshot) {
        return of(snapshot).counted();
    }

    /**
     * A fold is about to serve {@code generation} instead of {@code served}: the new generation's cache is made, and
     * {@code worker} runs the counting of the tables {@code served}'s cache keeps over it (blocking work: a worker
     * thread's).
     */
    public void swapping(Snapshot served, Snapshot generation, Consumer<Runnable> worker) {
        TableCache previous;
        TableCache prepared;
        synchronized (this) {
            previous = served == null ? null : caches.get(served);
            prepared = of(generation);
        }
        if (previous != null) {
            worker.accept(() -> {
                try {
                    prepared.warm(previous, generation);
                } catch (RuntimeException e) { // the requests count what they need themselves
                    LOG.log(Level.WARNING, "the kept statistics tables could not be counted over the new generation "
                            + generation.dir(), e);
                }
            });
        }
    }
}
