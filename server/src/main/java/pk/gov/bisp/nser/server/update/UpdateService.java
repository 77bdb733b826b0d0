package pk.gov.bisp.nser.server.update;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.journal.Completion;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.core.journal.JournalFullException;
import pk.gov.bisp.nser.core.journal.JournalOptions;
import pk.gov.bisp.nser.core.json.FieldErrors;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.Member;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.DeltaReplay;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.cluster.KafkaLog;
import pk.gov.bisp.nser.server.config.ServerConfig;
import pk.gov.bisp.nser.server.config.UpdateOptions;
import pk.gov.bisp.nser.server.eligibility.Programme;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.registry.Registry;

/**
 * Decides and applies updates on one thread, in order. Deciding reads the household as it will be once every
 * earlier decided update is applied (updates waiting for their fsync are "pending" and seen here first), checks
 * If-Match, CNIC ownership and the fields, re-scores, and appends the whole new state to the update journal,
 * which fsyncs each batch before telling its records are written (group commit). Only then is the update applied
 * to the snapshot ({@link Snapshot#apply}) and answered. A retried request with the same Idempotency-Key gets the
 * first answer again.
 */
public final class UpdateService implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(UpdateService.class.getName());
    /** Updates that may wait for the journal thread; beyond it an update is refused with 503 (each slot keeps its
     * largest payload, ~4 KB, for good: 8,192 slots hold ~32 MB). */
    private static final int RING = 8_192;

    /** An update waiting for its fsync. */
    private static final class Pending {
        final long token;
        final UpdateEntry entry;
        final byte[] record;
        final List<Consumer<Outcome>> waiters = new ArrayList<>(1);
        final List<Long> claimed = new ArrayList<>();

        Pending(long token, UpdateEntry entry, byte[] record) {
            this.token = token;
            this.entry = entry;
            this.record = record;
        }
    }

    /** A pending claim on a CNIC or household id: the ordinal it will map to (-1 = released). */
    private record Claim(int ordinal, long token) {
    }

    private final UpdateLog log;
    private final Path dir;
    /** On a replica: the replicated log its commands go through (issue 27); null on a single server. */
    private final ReplicatedUpdates replicated;
    private final Scorer scorer;
    private final Checkpoints checkpoints;
    private volatile Thread updateThread;
    private volatile boolean writing;
    private final ExecutorService checkpointWriter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nser-checkpoint");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nser-updates");
        t.setDaemon(true);
        updateThread = t;
        return t;
    });
    private volatile Snapshot snapshot;
    private volatile boolean broken;
    private volatile boolean closing;
    // owned by the update thread (and by recover() before the snapshot is published)
    private final Map<Integer, Pending> pendingByOrdinal = new HashMap<>();
    private final Map<Long, Claim> pendingCnics = new HashMap<>();
    private final Map<Long, Claim> pendingIds = new HashMap<>();
    private final Map<String, Pending> pendingByKey = new HashMap<>();
    private final Idempotency idempotency = new Idempotency();
    private final HouseholdRecord record = new HouseholdRecord();
    private int pendingCreates;
    private long nextHouseholdId;
    private long token;
    private long sinceCheckpoint;
    private volatile long appliedSequence;
    private volatile long applied;
    /** On a replica, the instant the command being decided was received (the same on every replica); else null. */
    private Instant decidingAt;
    /** The online fold (issue 29); null until {@link #foldInto} is called. */
    private volatile Folds folds;
    /** While a fold runs, no checkpoint is written: one through a later position could delete journal it needs. */
    private volatile boolean folding;
    /** Told of every applied change before it is answered (the DCI notifications); set before {@link #recover}. */
    private volatile HouseholdListener listener = HouseholdListener.NONE;

    UpdateService(Journal journal, Scorer scorer, Checkpoints checkpoints) {
        this(UpdateLog.journal(journal), journal.options().dir(), null, scorer, checkpoints);
    }

    private UpdateService(UpdateLog log, Path dir, ReplicatedUpdates replicated, Scorer scorer,
                          Checkpoints checkpoints) {
        this.log = log;
        this.dir = dir;
        this.replicated = replicated;
        this.scorer = scorer;
        this.checkpoints = checkpoints;
    }

    /**
     * Opens (creating, recovering its torn tail) the update journal in {@code dir}, fsyncing every batch before
     * its updates are applied. {@link #recover} must run before updates are decided.
     *
     * @throws IOException when damage in the journal lost an update that no checkpoint holds: each was acknowledged
     *                     once fsynced, and the updates after it cannot be applied without it; the message names
     *                     file, offset and sequences
     */
    public static UpdateService open(ServerConfig config, Path dir) throws IOException {
        Files.createDirectories(dir);
        UpdateOptions o = config.updates();
        PmtModel model = o.pmtModel() == null ? null : PmtModel.load(o.pmtModel());
        Programme main = config.programmes().get(config.publicProgramme());
        if (config.cluster().enabled()) {
            return replica(config, dir, new Scorer(model, main));
        }
        Journal journal = Journal.open(JournalOptions.defaults(dir).withFsyncIntervalMicros(0)
                .withSegmentBytes(o.segmentBytes()).withRingSize(RING));
        try {
            // those in the checkpoint, or in the generation served, are not lost
            journal.recovery().requireNothingLost("update", DeltaReplay.covered(dir));
        } catch (IOException e) {
            try {
                journal.close();
            } catch (IOException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
        return new UpdateService(journal, new Scorer(model, main), new Checkpoints(dir, o.checkpointEvery()));
    }

    /**
     * A replica's updates (issue 27): commands go through the replicated log on Kafka, and every replica decides
     * them in its order, from its latest checkpoint's log position (else the snapshot's origin, position 0). No
     * local journal is written: the log holds every command; a checkpoint (every {@code updates.checkpoint_every}
     * updates, at shutdown, or {@code POST /admin/checkpoint}) records the log position it covers.
     */
    private static UpdateService replica(ServerConfig config, Path dir, Scorer scorer) throws IOException {
        Map<String, pk.gov.bisp.nser.server.caller.User> users = new HashMap<>();
        config.usersByKeyHash().values().forEach(u -> users.put(u.id(), u));
        KafkaLog kafka = KafkaLog.open(config.cluster());
        ReplicatedUpdates r = new ReplicatedUpdates(kafka, config.cluster().nodeId(), Map.copyOf(users));
        UpdateService s = new UpdateService(r, dir, r, scorer, new Checkpoints(dir,
                config.updates().checkpointEvery()));
        r.attach(s);
        return s;
    }

    /**
     * Makes the online folds (issue 29) of this service's updates into new snapshot generations served by
     * {@code registry}; {@code swapped} is told of each new generation just before it is served. Call before
     * {@link #recover}.
     */
    public Folds foldInto(Registry registry, int every, Consumer<Snapshot> swapped) {
        folds = new Folds(this, registry, dir, every, swapped);
        return folds;
    }

    /** The online folds, or null when this service makes none. */
    public Folds folds() {
        return folds;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    boolean broken() {
        return broken;
    }

    Idempotency idempotency() {
        return idempotency;
    }

    void folding(boolean on) {
        folding = on;
    }

    /** On the update thread: updates are applied to {@code next} from now on; a checkpoint of it is written. */
    void swapped(Snapshot next) {
        snapshot = next;
        folding = false;
        sinceCheckpoint = 0;
        checkpointNow(r -> { });
    }

    /**
     * Tells {@code l} of every change applied from now on, and at {@link #recover} of those replayed; call before
     * {@link #recover}.
     */
    public void listen(HouseholdListener l) {
        listener = l;
    }

    /** The update directory: configured, or {@code SNAPSHOT.updates} beside the snapshot. */
    public static Path dir(ServerConfig config, Path snapshot) {
        Path dir = config.updates().dir();
        return dir != null ? dir : snapshot.toAbsolutePath().resolveSibling(snapshot.getFileName() + ".updates");
    }

    /**
     * Brings {@code s} up to date: the last checkpoint, then every journaled update after it; then starts
     * deciding. Blocking; call before the registry reports ready.
     */
    public void recover(Snapshot s) throws IOException {
        List<HouseholdListener.Change> replayedChanges = new ArrayList<>();
        DeltaReplay r = DeltaReplay.run(s, dir, new DeltaReplay.Listener() {
            @Override
            public void note(byte[] note) throws IOException {
                Checkpoints.restore(note, idempotency);
            }

            @Override
            public void entry(long sequence, JsonNode entry, Household household) {
                boolean created = entry.path("created").asBoolean();
                String type = entry.path("update_type").asText();
                replayedChanges.add(new HouseholdListener.Change(sequence, entry.path("ordinal").asInt(),
                        household.householdId(), HouseholdListener.Kind.of(created, type), type,
                        Instant.parse(entry.path("at").asText(Instant.EPOCH.toString()))));
                JsonNode key = entry.get("idempotency_key");
                if (key != null) {
                    idempotency.remember(key.asText(), entry.path("fingerprint").asText(), new Outcome(
                            entry.path("status").asInt(), Outcome.JSON, entry.path("response").asText()
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8), household.version(), false));
                }
            }
        });
        PmtModel model = scorer.adopt(s.pmtModel());
        if (s.pmtModel() != null && s.pmtModel().version() != model.version()) {
            LOG.warning("updates are scored with PMT model " + model.name() + " v" + model.version()
                    + " (updates.pmt_model) but the snapshot was scored with v" + s.pmtModel().version());
        }
        int rescored = 0;
        for (Map.Entry<Integer, byte[]> e : s.delta().copyRecords().entrySet()) {
            byte[] fresh = scorer.rescoreIfStale(e.getValue());
            if (fresh != null) {
                s.apply(e.getKey(), fresh);
                rescored++;
            }
        }
        if (rescored > 0) {
            LOG.info("updates: " + rescored + " changed households re-scored with PMT model v" + model.version());
        }
        appliedSequence = r.lastSequence();
        applied = 0;
        nextHouseholdId = Math.max(s.householdIds().maxId(), r.maxCreatedId()) + 1;
        LOG.info("updates: " + r);
        listener.replayed(replayedChanges);
        snapshot = s;
        if (replicated != null) {
            if (r.fromJournal() > 0) {
                throw new IOException("the update directory " + dir + " holds a local update journal (a single "
                        + "server's); a replica's sequences are log positions: give the replica a directory of its own");
            }
            replicated.start(appliedSequence);
            LOG.info("updates: a replica, applying the update log from position " + appliedSequence
                    + (r.checkpoint() != null ? " (its checkpoint " + r.checkpoint().getFileName() + ")"
                    : " (the snapshot's origin)"));
        }
    }

    /** Decides {@code cmd} on the update thread; {@code done} is told the outcome once, on some other thread. */
    public void submit(UpdateCommand cmd, Consumer<Outcome> done) {
        if (closing) {
            done.accept(UpdateProblems.unavailable("the server is shutting down"));
            return;
        }
        if (replicated != null) {
            replicated.publish(cmd, done);
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    decide(cmd, done);
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "update failed unexpectedly: " + e, e);
                    done.accept(UpdateProblems.of(500, "internal-error", "Internal error",
                            "the update could not be decided; nothing was changed; the failure is logged"));
                }
            });
        } catch (RejectedExecutionException e) {
            done.accept(UpdateProblems.unavailable("the server is shutting down"));
        }
    }

    /**
     * On a replica: decides the command at log {@code position} on the update thread, as received at {@code at};
     * {@code after} runs once it is decided (and applied, when it applies).
     */
    void decideAt(long position, Instant at, UpdateCommand cmd, Consumer<Outcome> done, Runnable after) {
        try {
            thread.execute(() -> {
                replicated.deciding(position);
                decidingAt = at;
                try {
                    decide(cmd, done);
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "update at log position " + position + " failed unexpectedly: " + e, e);
                    done.accept(UpdateProblems.of(500, "internal-error", "Internal error",
                            "the update could not be decided; nothing was changed; the failure is logged"));
                } finally {
                    decidingAt = null;
                    appliedSequence = position;
                    after.run();
                }
            });
        } catch (RejectedExecutionException e) {
            after.run(); // closing: the log is read again from the origin at the next start
        }
    }

    /**
     * On a replica: applies a record of another kind (an agreement change) at log {@code position} on the update
     * thread, in the log's order; what {@code work} returns runs once the applied position includes it, then
     * {@code after}.
     */
    void applyAt(long position, java.util.function.Supplier<Runnable> work, Runnable after) {
        try {
            thread.execute(() -> {
                Runnable then = null;
                try {
                    then = work.get();
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "the record at update log position " + position + " failed: " + e, e);
                } finally {
                    appliedSequence = position;
                    after.run();
                }
                if (then != null) {
                    then.run();
                }
            });
        } catch (RejectedExecutionException e) {
            after.run();
        }
    }

    /**
     * On a replica, the replicated log as other state sees it (the agreements put their changes on it); null on a
     * single server.
     */
    public pk.gov.bisp.nser.server.cluster.SharedLog sharedLog() {
        return replicated;
    }

    /** On a replica: a log position that holds no command this replica can decide, passed over. */
    void skip(long position) {
        onThread(() -> appliedSequence = position);
    }

    private void decide(UpdateCommand cmd, Consumer<Outcome> done) {
        Snapshot s = snapshot;
        Outcome refused = unavailable(s);
        if (refused != null) {
            done.accept(refused);
            return;
        }
        String key = cmd.scopedKey();
        if (key != null && replayed(cmd, key, done)) {
            return;
        }
        Target t = target(s, cmd);
        if (t.refusal() != null) {
            done.accept(t.refusal());
            return;
        }
        FieldErrors e = new FieldErrors();
        Household h = HouseholdChange.of(cmd, t.current(), t.id(), e);
        Outcome problem = placeProblem(s, cmd, h, e);
        if (problem == null) {
            problem = cnicConflict(s, h, t.ordinal(), cmd);
        }
        if (problem != null) {
            done.accept(problem);
            return;
        }
        Scorer.Scored scored;
        try {
            scored = scorer.score(h, t.current() == null ? 1 : t.current().version() + 1, s.dictionary());
        } catch (IllegalArgumentException tooBig) { // a value the record layout cannot hold, named in the message
            done.accept(UpdateProblems.invalid(List.of(new pk.gov.bisp.nser.core.json.FieldError("household",
                    tooBig.getMessage()))));
            return;
        }
        write(cmd, t, scored, key, s, done);
    }

    /** Why no update can be decided now (the registry not open yet, the journal failed), or null. */
    private Outcome unavailable(Snapshot s) {
        if (s == null) {
            return UpdateProblems.unavailable("the registry is still being opened and its updates replayed");
        }
        if (broken) {
            return UpdateProblems.unavailable("the update journal failed; updates are refused until the "
                    + "server is restarted (reads go on)");
        }
        return null;
    }

    /**
     * The household a command changes or creates: its id, its ordinal (a new one past the snapshot's for a
     * creation), its current content (null for a creation), or the answer that refuses the command.
     */
    private record Target(long id, int ordinal, Household current, Outcome refusal) {
        static Target refused(Outcome o) {
            return new Target(0, -1, null, o);
        }
    }

    private Target target(Snapshot s, UpdateCommand cmd) {
        boolean create = cmd.kind() == UpdateCommand.Kind.CREATE;
        long id = create && cmd.householdId() == 0 ? nextHouseholdId : cmd.householdId();
        int ordinal = ordinalOfId(s, id);
        if (create) {
            if (ordinal >= 0) {
                return Target.refused(UpdateProblems.of(409, "household-exists", "Conflict",
                        "household " + id + " already exists; change it with PATCH or PUT"));
            }
            return new Target(id, s.householdCount() + pendingCreates, null, null);
        }
        if (ordinal < 0) {
            return Target.refused(UpdateProblems.of(404, "household-not-found", "Not found",
                    "no household in the registry has id " + id));
        }
        Household current = current(s, ordinal);
        if (!inScope(cmd, s, current.address().unionCouncil())) { // answered exactly as a missing household
            return Target.refused(UpdateProblems.of(404, "household-not-found", "Not found",
                    "no household in the registry has id " + id).because(Exchange.OUTSIDE_AREA));
        }
        if (!cmd.versionMatches(current.version())) {
            return Target.refused(UpdateProblems.stale(current.version()));
        }
        return new Target(id, ordinal, current, null);
    }

    /** The field errors of the changed household {@code h}, its union council unknown or outside the area, or null. */
    private Outcome placeProblem(Snapshot s, UpdateCommand cmd, Household h, FieldErrors e) {
        String reason = null;
        if (h != null && s.geography().find(GeoLevel.UNION_COUNCIL, h.address().unionCouncil()) == null) {
            e.add("union_council", "unknown code " + h.address().unionCouncil());
        } else if (h != null && !inScope(cmd, s, h.address().unionCouncil())) {
            // a household created or moved outside the caller's area: as if that union council did not exist
            e.add("union_council", "unknown code " + h.address().unionCouncil());
            reason = Exchange.OUTSIDE_AREA;
        }
        return e.any() ? UpdateProblems.invalid(e.list()).because(reason) : null;
    }

    /** Holds the decided change as pending and journals it; it is applied, and answered, once written. */
    private void write(UpdateCommand cmd, Target t, Scorer.Scored scored, String key, Snapshot s,
                       Consumer<Outcome> done) {
        boolean create = t.current() == null;
        Outcome outcome = scorer.outcome(cmd, t.current(), scored, create, s.dictionary());
        UpdateEntry entry = new UpdateEntry(t.ordinal(), create, scored.household(), cmd.type().key(), cmd.source(),
                cmd.user().id(), cmd.user().organisation().id(), decidingAt != null ? decidingAt : Instant.now(), key,
                cmd.fingerprint(), outcome.status(), outcome.body());
        Pending p = new Pending(++token, entry, scored.record());
        p.waiters.add(done);
        hold(p, t.current());
        byte[] payload = entry.encode();
        log.append(payload, new Completion() {
            @Override
            public void written(long sequence) {
                if (Thread.currentThread() == updateThread) {
                    apply(p, sequence); // a replica's: durable already, in the replicated log
                } else {
                    onThread(() -> apply(p, sequence));
                }
            }

            @Override
            public void failed(Throwable cause) {
                if (Thread.currentThread() == updateThread) {
                    drop(p, cause); // refused inside append (ring full, closed): before any later decision
                } else {
                    onThread(() -> drop(p, cause));
                }
            }
        });
    }

    private boolean replayed(UpdateCommand cmd, String key, Consumer<Outcome> done) {
        Outcome first = idempotency.answer(key, cmd.fingerprint());
        if (first != null) {
            done.accept(first);
            return true;
        }
        Pending p = pendingByKey.get(key);
        if (p == null) {
            return false;
        }
        if (!p.entry.fingerprint().equals(cmd.fingerprint())) {
            done.accept(Idempotency.reused());
        } else {
            p.waiters.add(o -> done.accept(o.status() < 300 ? o.replay() : o));
        }
        return true;
    }

    void onThread(Runnable r) {
        try {
            thread.execute(r);
        } catch (RejectedExecutionException e) {
            LOG.warning("update thread stopped before an update was answered: " + e);
        }
    }

    private int ordinalOfId(Snapshot s, long id) {
        Claim c = pendingIds.get(id);
        return c != null ? c.ordinal() : s.ordinalOfHouseholdId(id);
    }

    private int ownerOfCnic(Snapshot s, long cnic) {
        Claim c = pendingCnics.get(cnic);
        return c != null ? c.ordinal() : s.ordinalOfCnic(cnic);
    }

    /** The household as it will be once every decided update is applied. */
    private Household current(Snapshot s, int ordinal) {
        Pending p = pendingByOrdinal.get(ordinal);
        if (p != null) {
            return p.entry.household();
        }
        if (!s.read(ordinal, record)) {
            throw new IllegalStateException("no household at ordinal " + ordinal);
        }
        return HouseholdCodec.decode(record, s.dictionary());
    }

    /**
     * 409 when a member's CNIC belongs to another household. The other household is named only when it is in the
     * caller's area: outside it, the caller learns that the CNIC is taken (uniqueness cannot be kept otherwise), not
     * where.
     */
    private Outcome cnicConflict(Snapshot s, Household h, int ordinal, UpdateCommand cmd) {
        for (Member m : h.members()) {
            if (m.cnic() == 0) {
                continue;
            }
            int owner = ownerOfCnic(s, m.cnic());
            if (owner >= 0 && owner != ordinal) {
                Household other = current(s, owner);
                if (!inScope(cmd, s, other.address().unionCouncil())) {
                    return UpdateProblems.of(409, "cnic-conflict", "Conflict", "CNIC " + Cnic.format(m.cnic())
                            + " already belongs to another household").because(Exchange.OUTSIDE_AREA);
                }
                return UpdateProblems.of(409, "cnic-conflict", "Conflict", "CNIC " + Cnic.format(m.cnic())
                        + " already belongs to household " + other.householdId());
            }
        }
        return null;
    }

    /** Whether union council {@code uc} lies in the area of the caller's organisation. */
    private static boolean inScope(UpdateCommand cmd, Snapshot s, int uc) {
        return cmd.user().organisation().scope().containsUc(s.geography(), uc);
    }

    /** Makes {@code p} what later decisions see. */
    private void hold(Pending p, Household before) {
        UpdateEntry e = p.entry;
        pendingByOrdinal.put(e.ordinal(), p);
        if (before != null) {
            for (Member m : before.members()) {
                if (m.cnic() != 0) {
                    pendingCnics.put(m.cnic(), new Claim(-1, p.token));
                    p.claimed.add(m.cnic());
                }
            }
        }
        for (Member m : e.household().members()) {
            if (m.cnic() != 0) {
                pendingCnics.put(m.cnic(), new Claim(e.ordinal(), p.token));
                p.claimed.add(m.cnic());
            }
        }
        if (e.created()) {
            pendingIds.put(e.household().householdId(), new Claim(e.ordinal(), p.token));
            pendingCreates++;
            nextHouseholdId = Math.max(nextHouseholdId, e.household().householdId() + 1);
        }
        if (e.idempotencyKey() != null) {
            pendingByKey.put(e.idempotencyKey(), p);
        }
    }

    /** Forgets {@code p}'s pending claims (those a later pending update has not taken over). */
    private void release(Pending p) {
        UpdateEntry e = p.entry;
        pendingByOrdinal.remove(e.ordinal(), p);
        for (Long cnic : p.claimed) {
            Claim c = pendingCnics.get(cnic);
            if (c != null && c.token() == p.token) {
                pendingCnics.remove(cnic);
            }
        }
        if (e.created()) {
            pendingIds.remove(e.household().householdId());
            pendingCreates--;
        }
        if (e.idempotencyKey() != null) {
            pendingByKey.remove(e.idempotencyKey(), p);
        }
    }

    /** The update is in the journal and fsynced: apply it, then answer. */
    private void apply(Pending p, long sequence) {
        UpdateEntry e = p.entry;
        Outcome outcome = new Outcome(e.status(), Outcome.JSON, e.response(), e.household().version(), false);
        byte[] before = null; // for the listener: what the update changed (the partner feeds: PMT band, eligibility)
        try {
            if (!e.created() && listener != HouseholdListener.NONE && snapshot.read(e.ordinal(), record)) {
                before = record.toByteArray();
            }
            if (e.created() && e.ordinal() != snapshot.householdCount()) {
                throw new IllegalStateException("a new household was decided as ordinal " + e.ordinal() + " but the "
                        + "registry has " + snapshot.householdCount() + " (an earlier update was lost by the journal)");
            }
            snapshot.apply(e.ordinal(), p.record);
        } catch (RuntimeException ex) {
            LOG.log(Level.SEVERE, "journaled update " + sequence + " could not be applied: " + ex, ex);
            broken = true;
            outcome = UpdateProblems.of(500, "internal-error", "Internal error", "the update was journaled but "
                    + "could not be applied; updates are refused until the server is restarted");
        }
        release(p);
        if (e.idempotencyKey() != null) {
            idempotency.remember(e.idempotencyKey(), e.fingerprint(), outcome);
        }
        appliedSequence = sequence;
        applied++;
        Outcome answer = outcome;
        Runnable reply = () -> {
            for (Consumer<Outcome> w : p.waiters) {
                w.accept(answer);
            }
        };
        if (outcome.status() < 300) { // answered once the listener has made what it does about it durable
            try {
                listener.changed(new HouseholdListener.Change(sequence, e.ordinal(), e.household().householdId(),
                        HouseholdListener.Kind.of(e.created(), e.updateType()), e.updateType(), e.at(), before,
                        p.record), reply);
            } catch (RuntimeException ex) {
                LOG.log(Level.SEVERE, "the listener of update " + sequence + " failed: " + ex, ex);
                reply.run();
            }
        } else {
            reply.run();
        }
        if (checkpoints.every() > 0 && ++sinceCheckpoint >= checkpoints.every() && !writing && !folding) {
            sinceCheckpoint = 0;
            checkpointNow(r -> { });
        }
        Folds f = folds;
        if (f != null && !broken) {
            f.grew(snapshot.updatedCount());
        }
    }

    private void drop(Pending p, Throwable cause) {
        release(p);
        if (!(cause instanceof JournalFullException)) {
            broken = true;
            LOG.log(Level.SEVERE, "the update journal failed; updates are refused from now on: " + cause, cause);
        }
        Outcome o = UpdateProblems.unavailable(cause instanceof JournalFullException
                ? "too many updates are waiting for the journal; retry shortly" : "the update journal failed: "
                + cause.getMessage() + "; the update was not applied");
        for (Consumer<Outcome> w : p.waiters) {
            w.accept(o);
        }
    }

    /** Writes a checkpoint of every applied update and answers {@code done} with it (or the failure). */
    public void checkpoint(Consumer<Object> done) {
        onThread(() -> checkpointNow(done)); // on a replica: through the log position applied
    }

    /**
     * On the update thread: copies the applied state (so updates go on at once), then writes it on the checkpoint
     * thread.
     */
    private void checkpointNow(Consumer<Object> done) {
        if (folding) {
            done.accept(new FoldRunning());
            return;
        }
        Checkpoints.Taken taken;
        try {
            taken = checkpoints.take(snapshot, appliedSequence, idempotency);
        } catch (RuntimeException e) {
            done.accept(e);
            return;
        }
        writing = true;
        try {
            checkpointWriter.execute(() -> {
                Object result;
                try {
                    result = checkpoints.write(taken);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.SEVERE, "checkpoint failed (the journal still holds every update): " + e, e);
                    result = e;
                }
                writing = false;
                done.accept(result);
            });
        } catch (RejectedExecutionException e) {
            writing = false;
            done.accept(e);
        }
    }

    /** A checkpoint asked for while a fold runs: the fold's generation ends with one. */
    static final class FoldRunning extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        FoldRunning() {
            super("a fold into a new snapshot generation is running; it ends with a checkpoint of its own");
        }
    }

    /** Updates applied since start. */
    public long applied() {
        return applied;
    }

    /** The journal sequence of the last applied update (on a replica: the log position, {@link #position}). */
    public long appliedSequence() {
        return appliedSequence;
    }

    /**
     * On a replica, the update log position applied: every command up to it is decided and applied (the
     * {@code Registry-Position} header); -1 on a single server.
     */
    public long position() {
        return replicated == null ? -1 : appliedSequence;
    }

    /**
     * On a replica, how many update log records it has yet to apply (the log's end as last fetched minus
     * {@link #position}); -1 when not known yet or on a single server.
     */
    public long lag() {
        if (replicated == null) {
            return -1;
        }
        long end = replicated.end();
        return end < 0 ? -1 : Math.max(0, end - appliedSequence);
    }

    /** On a replica, the replication lag's histogram for {@code /metrics}; "" on a single server. */
    public String applyLagMetrics() {
        return replicated == null ? "" : replicated.lag().metrics();
    }

    /** Whether updates go through the replicated log (this server is a replica). */
    public boolean replicated() {
        return replicated != null;
    }

    /**
     * Refuses new updates, finishes the queued ones (journaled and applied, or refused), writes a checkpoint and
     * closes the journal.
     */
    @Override
    public void close() throws IOException {
        closing = true;
        Folds f = folds;
        if (f != null) {
            f.close();
        }
        try {
            thread.submit(() -> { }).get(20, TimeUnit.SECONDS); // every queued decision has been appended
        } catch (Exception e) {
            LOG.warning("updates queued at shutdown did not finish: " + e);
        }
        try {
            log.close(); // writes and fsyncs the tail; its completions queue the last applies
        } finally {
            if (snapshot != null && !broken) {
                onThread(() -> checkpointNow(r -> { }));
            }
            thread.shutdown();
            try {
                if (!thread.awaitTermination(20, TimeUnit.SECONDS)) {
                    LOG.warning("updates still queued at shutdown were not answered");
                }
                checkpointWriter.shutdown();
                if (!checkpointWriter.awaitTermination(60, TimeUnit.SECONDS)) {
                    LOG.warning("the shutdown checkpoint did not finish; the journal still holds every update");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
