package pk.gov.bisp.nser.server.agreement;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import pk.gov.bisp.nser.server.cluster.SharedLog;

/**
 * The agreement changes of a replica (issue 26 on issue 27's log): a change made through this replica's admin API is
 * not decided here but appended to the replicated log, as a record of kind {@value #KIND} (the agreement journal's
 * JSON, {@link CommandCodec}); every replica, this one too, applies the log's changes in its one order with
 * {@link AgreementState#apply}, so all have the same agreements and keys. The receiving replica answers once it has
 * applied its own change, with that outcome, and once its applied position ({@code Registry-Position}) includes it:
 * a client that sends that position as {@code Registry-Min-Position} to another replica is served under the change.
 */
final class ReplicatedAgreements implements SharedLog.Applier {

    static final String KIND = "agreement";
    private static final Logger LOG = Logger.getLogger(ReplicatedAgreements.class.getName());
    /** How long the receiving replica waits to apply its own change (in the log) before answering 503. */
    private static final long APPLY_TIMEOUT_SECONDS = 30;

    private final SharedLog log;
    private final AgreementStore store;
    /** This process's origin prefix: the node and an id telling it from an earlier run under the same node id. */
    private final String origin;
    private final AtomicLong requests = new AtomicLong();
    private final Map<Long, CompletableFuture<AgreementState>> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nser-agreement-timeouts");
        t.setDaemon(true);
        return t;
    });

    ReplicatedAgreements(SharedLog log, AgreementStore store) {
        this.log = log;
        this.store = store;
        this.origin = log.node() + "/" + UUID.randomUUID() + "/";
    }

    /**
     * Checks {@code command} against this replica's live state (a change that cannot fit is refused at once, nothing
     * appended), then appends it to the log; the future completes once this replica has applied it, with the state
     * after it, or fails with {@link AgreementState.Rejected} (the state it met in the log refused it) or
     * {@link AgreementStore.Unavailable}.
     */
    CompletableFuture<AgreementState> submit(AgreementCommand command) {
        try {
            store.live().apply(command, 0);
        } catch (AgreementState.Rejected r) {
            return CompletableFuture.failedFuture(r);
        }
        long id = requests.incrementAndGet();
        CompletableFuture<AgreementState> f = new CompletableFuture<>();
        waiting.put(id, f);
        log.append(KIND, origin + id, CommandCodec.encode(command), (position, failure) -> {
            if (failure != null) {
                fail(id, "the update log (Kafka) could not take the change (" + failure.getClass().getSimpleName()
                        + "); it was not made, unless the agreement's history shows it later");
                return;
            }
            try {
                timeouts.schedule(() -> fail(id, "the change is in the update log at position " + position + " but "
                        + "this replica has not applied it within " + APPLY_TIMEOUT_SECONDS + " s; the agreement's "
                        + "history will show it"), APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (RejectedExecutionException closing) {
                fail(id, "the server is shutting down");
            }
        });
        return f;
    }

    private void fail(long request, String detail) {
        CompletableFuture<AgreementState> f = waiting.remove(request);
        if (f != null) {
            f.completeExceptionally(new AgreementStore.Unavailable(detail));
        }
    }

    /** On the thread that applies the log: the change at {@code position}, journaled here, then live. */
    @Override
    public Runnable apply(long position, String sender, byte[] value) {
        CompletableFuture<AgreementState> mine = sender != null && sender.startsWith(origin)
                && sender.substring(origin.length()).matches("[0-9]{1,18}")
                ? waiting.remove(Long.parseLong(sender.substring(origin.length()))) : null;
        AgreementCommand c;
        try {
            c = CommandCodec.decode(value, 0, value.length);
        } catch (IOException | RuntimeException e) { // every replica passes it over alike
            LOG.severe("update log position " + position + " is not an agreement change this replica can apply; "
                    + "skipped: " + e.getMessage());
            return mine == null ? null : () -> mine.completeExceptionally(new AgreementStore.Unavailable(
                    "the change could not be read back from the update log; nothing was changed"));
        }
        try {
            store.applyLogged(c, position);
        } catch (AgreementState.Rejected r) { // the same refusal on every replica
            LOG.warning("agreements: update log position " + position + " (" + c.name() + ") refused: "
                    + r.getMessage());
            return mine == null ? null : () -> mine.completeExceptionally(r);
        }
        AgreementState s = store.live();
        return mine == null ? null : () -> mine.complete(s);
    }

    /** Changes still waiting for their application are answered 503. */
    void close() {
        timeouts.shutdownNow();
        for (Long id : waiting.keySet()) {
            fail(id, "the server is shutting down");
        }
    }
}
