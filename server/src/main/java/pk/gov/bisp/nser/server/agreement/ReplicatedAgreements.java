package pk.gov.bisp.nser.server.agreement;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import pk.gov.bisp.nser.server.cluster.LogRequests;
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

    private final AgreementStore store;
    /** Changes sent through this replica, waiting for their application (answered 503 when they do not come). */
    private final LogRequests<CompletableFuture<AgreementState>> requests;

    ReplicatedAgreements(SharedLog log, AgreementStore store) {
        this.store = store;
        this.requests = new LogRequests<>(log, "nser-agreement-timeouts", new LogRequests.Wording("change",
                "it was not made, unless the agreement's history shows it later", "the agreement's history will show it"),
                (f, detail) -> f.completeExceptionally(new AgreementStore.Unavailable(detail)));
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
        CompletableFuture<AgreementState> f = new CompletableFuture<>();
        requests.append(KIND, CommandCodec.encode(command), f);
        return f;
    }

    /** On the thread that applies the log: the change at {@code position}, journaled here, then live. */
    @Override
    public Runnable apply(long position, String sender, byte[] value) {
        CompletableFuture<AgreementState> mine = requests.claim(sender);
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
        requests.close();
    }
}
