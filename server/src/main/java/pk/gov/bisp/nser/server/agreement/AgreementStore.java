package pk.gov.bisp.nser.server.agreement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.core.journal.JournalClosedException;
import pk.gov.bisp.nser.core.journal.JournalOptions;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.core.journal.RecoveryReport;
import pk.gov.bisp.nser.server.auth.KeyDirectory;
import pk.gov.bisp.nser.server.auth.KeyStanding;
import pk.gov.bisp.nser.server.caller.Agreement;
import pk.gov.bisp.nser.server.caller.AgreementCheck;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.cluster.SharedLog;
import pk.gov.bisp.nser.server.config.ExchangeOptions;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * The live agreements and keys: the configuration's seeds with every journaled command applied in order. A command
 * is decided on one thread: checked against the live state ({@link AgreementState#apply}), appended to the agreement
 * journal, which fsyncs it before it is reported written, and only then made live and answered; so an acknowledged
 * change survives kill -9, and the next request sees it. At open the journal is recovered (a torn tail cut; lost
 * commands refuse the start, each was acknowledged) and replayed over the seeds. Requests read the live state
 * without locks ({@link #lookup}), at the time of the injected clock: expiry needs no one to act.
 */
public final class AgreementStore implements KeyDirectory, AgreementCheck, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AgreementStore.class.getName());
    /** What "expiring soon" means for the listing and the metric. */
    static final Duration SOON = Duration.ofDays(30);

    private final Journal journal;
    private final InstantSource clock;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nser-agreements");
        t.setDaemon(true);
        return t;
    });
    private volatile AgreementState live;
    private final int replaySkipped;
    /** On a replica: the last log position this journal holds a change of (0: none); else 0. */
    private volatile long logPosition;
    /** On a replica: changes go through the replicated log (issue 27); null on a single server. */
    private ReplicatedAgreements replicated;
    /** The configuration's partner programmes, for agreements that do not say theirs; and every programme id. */
    private ExchangeOptions exchange = ExchangeOptions.DEFAULTS;
    private Set<String> programmeIds = Set.of();

    private AgreementStore(Journal journal, InstantSource clock, AgreementState state, int replaySkipped,
                           long logPosition) {
        this.journal = journal;
        this.clock = clock;
        this.live = state;
        this.replaySkipped = replaySkipped;
        this.logPosition = logPosition;
    }

    /** The agreement journal's directory: configured, or {@code SNAPSHOT.agreements} beside the snapshot. */
    public static Path dir(ServerConfig config, Path snapshot) {
        Path d = config.agreements().dir();
        return d != null ? d : snapshot.toAbsolutePath().resolveSibling(snapshot.getFileName() + ".agreements");
    }

    /**
     * Opens (creating, recovering) the agreement journal in {@code dir} and replays it over the configuration's
     * seeds. A journaled command that no longer fits (the configuration lost an organisation it names) is skipped
     * and logged, the same way on every start.
     *
     * @throws IOException when damage lost a command, or a record cannot be read, naming it
     */
    public static AgreementStore open(ServerConfig config, Path dir, InstantSource clock) throws IOException {
        return open(config, dir, clock, null);
    }

    /**
     * As {@link #open(ServerConfig, Path, InstantSource)}; on a replica ({@code log} not null) every change goes
     * through the replicated log, and every replica applies the log's changes in its order, journaling each here
     * with its position before its position counts as applied.
     */
    public static AgreementStore open(ServerConfig config, Path dir, InstantSource clock, SharedLog log)
            throws IOException {
        AgreementStore s = replay(config, dir, clock);
        if (log != null) {
            s.replicated = new ReplicatedAgreements(log, s);
            log.applier(ReplicatedAgreements.KIND, s.replicated);
        }
        return s;
    }

    private static AgreementStore replay(ServerConfig config, Path dir, InstantSource clock) throws IOException {
        Files.createDirectories(dir);
        Journal j = Journal.open(JournalOptions.defaults(dir).withFsyncIntervalMicros(0).withSegmentBytes(8L << 20)
                .withRingSize(1_024));
        try {
            j.recovery().requireNothingLost("agreement", 0);
            AgreementState[] s = {seed(config)};
            int[] skipped = {0};
            long[] logged = {0};
            IOException[] bad = {null};
            JournalReader.read(dir, (seq, kind, data, off, len) -> {
                if (bad[0] != null) {
                    return;
                }
                try {
                    long at = seq;
                    int skip = 0;
                    if (kind == CommandCodec.LOGGED_KIND) { // applied from the replicated log at its position
                        at = CommandCodec.loggedPosition(data, off, len);
                        logged[0] = Math.max(logged[0], at);
                        skip = Long.BYTES;
                    } else if (kind != CommandCodec.KIND) {
                        throw new IOException("kind " + kind + " is not an agreement command");
                    }
                    AgreementCommand c = CommandCodec.decode(data, off + skip, len - skip);
                    try {
                        s[0] = s[0].apply(c, at);
                    } catch (AgreementState.Rejected r) {
                        skipped[0]++;
                        LOG.warning("agreement journal " + dir + ", record " + seq + " (" + c.name() + ") skipped: "
                                + r.getMessage());
                    }
                } catch (IOException | RuntimeException e) {
                    bad[0] = new IOException("agreement journal " + dir + ", record " + seq + ": " + e.getMessage(), e);
                }
            });
            if (bad[0] != null) {
                throw bad[0];
            }
            LOG.info("agreements: " + s[0].agreements.size() + " agreements, " + s[0].keys.size() + " keys, after "
                    + s[0].history.size() + " journaled changes (" + skipped[0] + " skipped"
                    + (logged[0] > 0 ? "; from the update log through position " + logged[0] : "") + "); "
                    + j.recovery());
            return new AgreementStore(j, clock, s[0], skipped[0], logged[0]).partners(config);
        } catch (IOException | RuntimeException e) {
            j.close();
            throw e;
        }
    }

    /** The configuration's agreements alone, with no journal: every change is refused (routing-only tests). */
    public static AgreementStore unjournaled(ServerConfig config, InstantSource clock) {
        return new AgreementStore(null, clock, seed(config), 0, 0).partners(config);
    }

    private static AgreementState seed(ServerConfig config) {
        return AgreementState.seed(config.organisations(), config.agreements().seeds(), config.usersByKeyHash());
    }

    private AgreementStore partners(ServerConfig config) {
        exchange = config.exchange();
        programmeIds = Set.copyOf(config.programmes().keySet());
        return this;
    }

    /**
     * The partner programmes {@code u} may post enrolments and benefits for (issue 31): those its agreement names, or,
     * when the agreement does not say (journaled before it could) or the user acts under none, the configuration's
     * {@code agreement.programmes} of its organisation.
     */
    public Set<String> programmes(User u) {
        Agreement a = u.agreement() == null ? null : live.agreements.get(u.agreement());
        return a != null && a.programmes() != null ? a.programmes() : exchange.programmesOf(u.organisation().id());
    }

    /** Every configured programme id: what an agreement's {@code programmes} may name. */
    Set<String> programmeIds() {
        return programmeIds;
    }

    /** What opening the journal found (null without one). */
    public RecoveryReport recovery() {
        return journal == null ? null : journal.recovery();
    }

    /** Journaled commands the replay skipped, as they no longer fit the configuration. */
    public int replaySkipped() {
        return replaySkipped;
    }

    /** Journaled changes applied since the configuration's seeds (replayed ones included). */
    public int changes() {
        return live.history.size();
    }

    AgreementState live() {
        return live;
    }

    long now() {
        return clock.millis();
    }

    @Override
    public KeyStanding lookup(String sha256) {
        return live.lookup(sha256, clock.millis());
    }

    @Override
    public boolean agreementActive(String agreementId) {
        return live.active(agreementId, clock.millis());
    }

    @Override
    public boolean active(String organisation) {
        return live.organisationActive(organisation, clock.millis());
    }

    /**
     * Decides {@code command}: checked against the live state, journaled and fsynced, then live. The future
     * completes (on the agreements thread) with the new state, or fails with {@link AgreementState.Rejected} (the
     * command does not fit; nothing is journaled) or the journal's failure (nothing is changed).
     */
    CompletableFuture<AgreementState> submit(AgreementCommand command) {
        if (replicated != null) {
            return replicated.submit(command);
        }
        try {
            return CompletableFuture.supplyAsync(() -> decide(command), thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new JournalClosedException(Path.of("(agreements closed)")));
        }
    }

    private AgreementState decide(AgreementCommand command) {
        AgreementState now = live;
        now.apply(command, 0); // throws Rejected: nothing journaled
        if (journal == null) {
            throw new NoJournal();
        }
        long seq = write(CommandCodec.KIND, CommandCodec.encode(command));
        AgreementState next = now.apply(command, seq);
        live = next;
        logChange(command, next, "journal sequence " + seq);
        return next;
    }

    /**
     * On a replica, on the thread that applies the log: {@code command}, at {@code position} of the replicated log,
     * applied to the live state and journaled here with its position (fsynced) before it is live.
     *
     * @return false when this journal already holds it (applied before a restart)
     * @throws AgreementState.Rejected when it does not fit the state (the same on every replica)
     */
    boolean applyLogged(AgreementCommand command, long position) {
        if (position <= logPosition) {
            return false;
        }
        AgreementState next = live.apply(command, position);
        try {
            write(CommandCodec.LOGGED_KIND, CommandCodec.encodeLogged(position, command));
        } catch (RuntimeException e) { // live all the same: the log holds it, and every replica applies it
            LOG.log(Level.SEVERE, "the agreement change at update log position " + position + " could not be "
                    + "journaled here; it is live, but a restart from a later checkpoint would not have it: " + e, e);
        }
        live = next;
        logPosition = position;
        logChange(command, next, "update log position " + position);
        return true;
    }

    /** Appends one record to the agreement journal and waits until it is fsynced; its sequence. */
    private long write(int kind, byte[] bytes) {
        try {
            return journal.appendAndWait(kind, bytes, 30_000);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void logChange(AgreementCommand command, AgreementState next, String where) {
        AgreementCommand.Meta m = command.meta();
        LOG.info("agreements: " + command.name() + " " + next.history.get(next.history.size() - 1).subject()
                + " by " + m.by() + " (" + m.byOrganisation() + "), request " + m.requestId() + ", reason: "
                + m.reason() + " (" + where + ")");
    }

    /** The active agreements whose end falls within {@code within} of now, soonest first. */
    List<Agreement> expiring(AgreementState s, long millis, Duration within) {
        List<Agreement> out = new ArrayList<>();
        for (Agreement a : s.agreements.values()) {
            if (a.standing(millis) == Agreement.Standing.ACTIVE && a.validUntil() != null
                    && a.validUntil().toEpochMilli() - millis <= within.toMillis()) {
                out.add(a);
            }
        }
        out.sort((x, y) -> x.validUntil().compareTo(y.validUntil()));
        return out;
    }

    /** The agreement gauges for {@code /metrics}: agreements by standing, and those expiring within 30 days. */
    public String gauges() {
        AgreementState s = live;
        long now = clock.millis();
        StringBuilder b = new StringBuilder(512);
        b.append("# HELP nser_agreements Data-sharing agreements by their standing now.\n")
                .append("# TYPE nser_agreements gauge\n");
        for (Map.Entry<Agreement.Standing, Integer> e : s.standings(now).entrySet()) {
            b.append("nser_agreements{standing=\"").append(e.getKey().key()).append("\"} ").append(e.getValue())
                    .append('\n');
        }
        b.append("# HELP nser_agreements_expiring_within_30_days Active agreements whose valid_until falls within "
                + "30 days.\n# TYPE nser_agreements_expiring_within_30_days gauge\n")
                .append("nser_agreements_expiring_within_30_days ").append(expiring(s, now, SOON).size()).append('\n');
        return b.toString();
    }

    /** Finishes the command being decided, then fsyncs and closes the journal; later commands are refused. */
    @Override
    public void close() throws IOException {
        if (replicated != null) {
            replicated.close();
        }
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (journal != null) {
            journal.close();
        }
    }

    /** The instant of the injected clock, to the millisecond (for commands' times). */
    Instant instant() {
        return Instant.ofEpochMilli(clock.millis());
    }

    /** The change could not be made now (the replicated log did not take it); the detail says why. */
    static final class Unavailable extends IllegalStateException {
        Unavailable(String detail) {
            super(detail);
        }
    }

    /** This store keeps no journal (routing-only tests), so it takes no change. */
    static final class NoJournal extends IllegalStateException {
        NoJournal() {
            super("no agreement journal");
        }
    }

    static void logFailure(Throwable t) {
        LOG.log(Level.SEVERE, "an agreement change could not be journaled: " + t, t);
    }
}
