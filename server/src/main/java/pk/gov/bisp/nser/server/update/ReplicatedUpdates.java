package pk.gov.bisp.nser.server.update;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.journal.Completion;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.cluster.ApplyLag;
import pk.gov.bisp.nser.server.cluster.KafkaLog;
import pk.gov.bisp.nser.server.cluster.SharedLog;

/**
 * The update commands of a replica (issue 27): a command received here is not decided here but appended to the
 * replicated log ({@link KafkaLog}); every replica, this one too, reads the log in order and decides each command
 * with the same {@link UpdateService} code, so all reach the same state. The replica that received a command
 * answers once it has decided and applied it itself, with that outcome.
 *
 * <p>As the service's {@link UpdateLog}, a decided entry is durable at once: its command is already in the log, at
 * the position being decided.
 */
final class ReplicatedUpdates implements UpdateLog, KafkaLog.Reader, SharedLog {

    private static final Logger LOG = Logger.getLogger(ReplicatedUpdates.class.getName());
    /** Commands read from the log and not yet decided: the reader waits beyond it (memory, on a long catch-up). */
    private static final int QUEUED = 4_096;
    /** How long the receiving replica waits to apply its own command (in the log) before answering 503. */
    static final long APPLY_TIMEOUT_SECONDS = 30;

    private final KafkaLog log;
    private final String node;
    /** Tells this process's requests from those of an earlier run under the same node id. */
    private final String instance = UUID.randomUUID().toString();
    private final Map<String, User> usersById;
    private final AtomicLong requests = new AtomicLong();
    private final Map<Long, Consumer<Outcome>> waiting = new ConcurrentHashMap<>();
    private final Semaphore queued = new Semaphore(QUEUED);
    /** From each update's receipt to its application here (the replication lag). */
    private final ApplyLag lag = new ApplyLag();
    /** What applies the records of other kinds (the agreements'), by kind. */
    private final Map<String, SharedLog.Applier> appliers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nser-update-timeouts");
        t.setDaemon(true);
        return t;
    });
    private UpdateService service;
    /** The position of the command being decided (the update thread's). */
    private volatile long deciding;
    private volatile boolean closed;

    ReplicatedUpdates(KafkaLog log, String node, Map<String, User> usersById) {
        this.log = log;
        this.node = node;
        this.usersById = usersById;
    }

    void attach(UpdateService s) {
        this.service = s;
    }

    /** Starts reading the log from {@code position} (0: the snapshot's origin). */
    void start(long position) {
        log.read(position, this);
    }

    /** Appends {@code cmd} to the log; {@code done} is told its outcome once this replica has applied it. */
    void publish(UpdateCommand cmd, Consumer<Outcome> done) {
        long id = requests.incrementAndGet();
        waiting.put(id, done);
        byte[] record;
        try {
            record = CommandCodec.encode(node, instance, id, Instant.now(), cmd);
        } catch (RuntimeException e) {
            waiting.remove(id);
            throw e;
        }
        log.append(record, (position, failure) -> {
            if (failure != null) {
                answer(id, UpdateProblems.unavailable("the update log (Kafka) could not take the update ("
                        + failure.getClass().getSimpleName() + "); it was not applied, unless a retry with the same "
                        + "Idempotency-Key says otherwise"));
                return;
            }
            try {
                timeouts.schedule(() -> answer(id, UpdateProblems.unavailable("the update is in the log at position "
                        + position + " but this replica has not applied it within " + APPLY_TIMEOUT_SECONDS + " s; "
                        + "retry with the same Idempotency-Key for its outcome")), APPLY_TIMEOUT_SECONDS,
                        TimeUnit.SECONDS);
            } catch (RejectedExecutionException closing) {
                answer(id, UpdateProblems.unavailable("the server is shutting down"));
            }
        });
    }

    private void answer(long request, Outcome o) {
        Consumer<Outcome> w = waiting.remove(request);
        if (w != null) {
            w.accept(o);
        }
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public void append(String kind, String origin, byte[] value, KafkaLog.Appended done) {
        log.append(kind, origin, value, done);
    }

    @Override
    public void applier(String kind, SharedLog.Applier a) {
        if (KafkaLog.UPDATE.equals(kind) || appliers.putIfAbsent(kind, a) != null) {
            throw new IllegalStateException("records of kind " + kind + " already have their applier");
        }
    }

    /** On the log's reader thread: each record in order, decided (or applied) on the update thread. */
    @Override
    public void record(long position, String kind, String origin, byte[] value, long timestampMillis) {
        if (!KafkaLog.UPDATE.equals(kind)) {
            SharedLog.Applier a = appliers.get(kind);
            if (a == null) { // every replica of this version passes it over alike
                LOG.severe("update log position " + position + " holds a record of kind '" + kind + "' that this "
                        + "replica cannot apply; skipped");
            }
            if (acquire()) {
                service.applyAt(position, a == null ? () -> null : () -> a.apply(position, origin, value),
                        queued::release);
            }
            return;
        }
        CommandCodec.Envelope e;
        try {
            e = CommandCodec.decode(value, usersById);
        } catch (RuntimeException ex) { // every replica skips it alike
            LOG.log(Level.SEVERE, "update log position " + position + " is not a command this replica can decide; "
                    + "skipped: " + ex.getMessage());
            service.skip(position);
            return;
        }
        boolean mine = node.equals(e.node()) && instance.equals(e.instance());
        long request = e.request();
        if (acquire()) {
            service.decideAt(position, e.at(), e.command(), mine ? o -> answer(request, o) : o -> { }, () -> {
                lag.applied(e.at());
                queued.release();
            });
        }
    }

    /** A place in the queue of records to decide; false when closing. */
    private boolean acquire() {
        try {
            while (!queued.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (closed) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The replication lag's histogram. */
    ApplyLag lag() {
        return lag;
    }

    /** The log's end position as last fetched (-1: not yet known). */
    long end() {
        return log.end();
    }

    /** Called by the update thread before it decides the command at {@code position}. */
    void deciding(long position) {
        deciding = position;
    }

    @Override
    public void append(byte[] entry, Completion done) {
        done.written(deciding);
    }

    /** Stops reading and sending; requests still waiting are answered 503. */
    @Override
    public void close() {
        closed = true;
        log.close();
        timeouts.shutdownNow();
        for (Long id : waiting.keySet()) {
            answer(id, UpdateProblems.unavailable("the server is shutting down"));
        }
    }
}
