package pk.gov.bisp.nser.server.cluster;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The requests a replica sent to the {@link SharedLog} and still has to answer, for a feature whose changes are
 * decided by the log's order (agreements, purchase feedback): each record is appended with an origin naming this
 * process and the request, and the feature's {@link SharedLog.Applier} takes its own request back with
 * {@link #claim} when it applies the record. A request whose record the log refused, or which this replica has not
 * applied within the timeout, is refused with a detail saying which, and so is every request still waiting at
 * {@link #close}.
 *
 * @param <W> what waits for the answer (a future, an event loop and its answer callback...)
 */
public final class LogRequests<W> implements AutoCloseable {

    /** How long the receiving replica waits to apply its own record (in the log) before refusing the request. */
    public static final long APPLY_TIMEOUT_SECONDS = 30;

    /** How the feature's refusals read: what a record is to the caller, and what the caller should do next. */
    public record Wording(String what, String ifNotTaken, String ifNotApplied) {
    }

    private final SharedLog log;
    private final Wording wording;
    private final BiConsumer<W, String> refuse;
    /** This process's origin prefix: the node and an id telling it from an earlier run under the same node id. */
    private final String origin;
    private final AtomicLong requests = new AtomicLong();
    private final Map<Long, W> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timeouts;

    /**
     * @param thread the name of the thread that times requests out
     * @param refuse refuses a waiting request with the detail given (from any thread)
     */
    public LogRequests(SharedLog log, String thread, Wording wording, BiConsumer<W, String> refuse) {
        this.log = log;
        this.wording = wording;
        this.refuse = refuse;
        this.origin = log.node() + "/" + UUID.randomUUID() + "/";
        this.timeouts = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, thread);
            t.setDaemon(true);
            return t;
        });
    }

    /** Appends {@code value} as a record of {@code kind}; {@code waiter} is claimed back when it is applied. */
    public void append(String kind, byte[] value, W waiter) {
        long id = requests.incrementAndGet();
        waiting.put(id, waiter);
        log.append(kind, origin + id, value, (position, failure) -> {
            if (failure != null) {
                fail(id, "the update log (Kafka) could not take the " + wording.what() + " ("
                        + failure.getClass().getSimpleName() + "); " + wording.ifNotTaken());
                return;
            }
            try {
                timeouts.schedule(() -> fail(id, "the " + wording.what() + " is in the update log at position "
                        + position + " but this replica has not applied it within " + APPLY_TIMEOUT_SECONDS + " s; "
                        + wording.ifNotApplied()), APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (RejectedExecutionException closing) {
                fail(id, "the server is shutting down");
            }
        });
    }

    /** On the thread that applies the log: this process's request that sent a record from {@code sender}, or null. */
    public W claim(String sender) {
        if (sender == null || !sender.startsWith(origin)) {
            return null;
        }
        String id = sender.substring(origin.length());
        return id.matches("[0-9]{1,18}") ? waiting.remove(Long.parseLong(id)) : null;
    }

    private void fail(long request, String detail) {
        W w = waiting.remove(request);
        if (w != null) {
            refuse.accept(w, detail);
        }
    }

    /** Requests still waiting for their application are refused. */
    @Override
    public void close() {
        timeouts.shutdownNow();
        for (Long id : waiting.keySet()) {
            fail(id, "the server is shutting down");
        }
    }
}
