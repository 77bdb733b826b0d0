package pk.gov.bisp.nser.server;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.core.journal.JournalOptions;
import pk.gov.bisp.nser.core.journal.RecoveryReport;
import pk.gov.bisp.nser.core.snapshot.ChronicleMaps;
import pk.gov.bisp.nser.core.snapshot.Generations;
import pk.gov.bisp.nser.server.accesslog.AccessLog;
import pk.gov.bisp.nser.server.accesslog.JournalAccessLog;
import pk.gov.bisp.nser.server.agreement.AgreementStore;
import pk.gov.bisp.nser.server.clusteraudit.ClusterAudit;
import pk.gov.bisp.nser.server.config.ServerConfig;
import pk.gov.bisp.nser.server.dci.Subscriptions;
import pk.gov.bisp.nser.server.exchange.ExchangeStore;
import pk.gov.bisp.nser.server.feedback.PurchaseStore;
import pk.gov.bisp.nser.server.health.RouteMetrics;
import pk.gov.bisp.nser.server.http.LogRedaction;
import pk.gov.bisp.nser.server.http.Today;
import pk.gov.bisp.nser.server.metering.Ledger;
import pk.gov.bisp.nser.server.metering.LedgerCheckpoint;
import pk.gov.bisp.nser.server.registry.Registry;
import pk.gov.bisp.nser.server.stats.KeptTables;
import pk.gov.bisp.nser.server.update.HouseholdListener;
import pk.gov.bisp.nser.server.update.UpdateService;

/**
 * A running server: Vert.x with one {@link ApiVerticle} per event loop, listening at once (so /health/live
 * answers), while the snapshot is verified and warmed on a worker thread; /health/ready turns 200 when done.
 * {@link #close()} drains in-flight requests, then closes the snapshot.
 */
public final class NserServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NserServer.class.getName());
    /** The kept statistics tables' shapes, in the update directory ({@link KeptTables#keepIn}). */
    public static final String KEPT_TABLES = "stats-tables.json";
    private final Vertx vertx;
    private final Registry registry;
    private final ServerConfig config;
    private final long sweepTimer;
    private final Journal journal;
    private final Ledger ledger;
    private final UpdateService updates;
    private final PurchaseStore purchases;
    private final AgreementStore agreements;
    private final Subscriptions subscriptions;
    private final ExchangeStore exchange;
    private final Semaphore whatIfGate;
    /** How often the ledger's checkpoint is written beside the access log (and once more at shutdown). */
    static final long LEDGER_CHECKPOINT_MILLIS = 60_000;
    private final long ledgerTimer;
    private final Object ledgerCheckpointLock = new Object();
    private long ledgerCheckpointed = -1;
    /** On a replica, the access shipper, the cluster's bills and the audit sink (issue 28); else null. */
    private ClusterAudit clusterAudit;
    private KeptTables keptTables;

    private NserServer(Vertx vertx, Registry registry, ServerConfig config, long sweepTimer, Journal journal,
                       Ledger ledger, UpdateService updates, PurchaseStore purchases, AgreementStore agreements,
                       Semaphore whatIfGate, Subscriptions subscriptions, ExchangeStore exchange) {
        this.subscriptions = subscriptions;
        this.agreements = agreements;
        this.exchange = exchange;
        this.vertx = vertx;
        this.whatIfGate = whatIfGate;
        this.registry = registry;
        this.config = config;
        this.sweepTimer = sweepTimer;
        this.journal = journal;
        this.ledger = ledger;
        this.updates = updates;
        this.purchases = purchases;
        this.ledgerTimer = journal == null ? -1 : vertx.setPeriodic(LEDGER_CHECKPOINT_MILLIS,
                id -> vertx.executeBlocking(() -> {
                    checkpointLedger();
                    return null;
                }, false));
    }

    /** The access log's directory: configured, or {@code SNAPSHOT.journal} beside the snapshot. */
    public static Path journalDir(ServerConfig config, Path snapshot) {
        Path dir = config.metering().journalDir();
        return dir != null ? dir : snapshot.toAbsolutePath().resolveSibling(snapshot.getFileName() + ".journal");
    }

    /** The purchase journal's directory: configured, or {@code SNAPSHOT.feedback} beside the snapshot. */
    public static Path feedbackDir(ServerConfig config, Path snapshot) {
        Path dir = config.feedback().dir();
        return dir != null ? dir : snapshot.toAbsolutePath().resolveSibling(snapshot.getFileName() + ".feedback");
    }

    /** The exchange journal's directory: configured, or {@code SNAPSHOT.exchange} beside the snapshot. */
    public static Path exchangeDir(ServerConfig config, Path snapshot) {
        Path dir = config.exchange().dir();
        return dir != null ? dir : snapshot.toAbsolutePath().resolveSibling(snapshot.getFileName() + ".exchange");
    }

    /** Starts listening (blocking until bound) and begins opening the snapshot in the background. */
    public static NserServer start(ServerConfig config, Path snapshot) throws Exception {
        return start(config, snapshot, false);
    }

    /**
     * As {@link #start(ServerConfig, Path)}; with {@code lockMemory} the snapshot's files are also locked in memory
     * once open ({@code --lock-memory}), so the kernel never pages them out.
     */
    public static NserServer start(ServerConfig config, Path snapshot, boolean lockMemory) throws Exception {
        return start(config, snapshot, lockMemory, List.of());
    }

    /** As {@link #start(ServerConfig, Path, boolean)}, with the routes of {@code experiments} beside the API's. */
    public static NserServer start(ServerConfig config, Path snapshot, boolean lockMemory,
                                   List<Experiment> experiments) throws Exception {
        return start(config, snapshot, lockMemory, experiments, java.time.Clock.systemUTC());
    }

    /**
     * As {@link #start(ServerConfig, Path, boolean, List)}, with the clock that agreements and keys are valid by
     * (tests set it: an agreement expires at a set instant without waiting for it).
     */
    static NserServer start(ServerConfig config, Path snapshot, boolean lockMemory, List<Experiment> experiments,
                            java.time.InstantSource clock) throws Exception {
        ChronicleMaps.disableAnalytics();
        LogRedaction.install(); // before the first line this server logs: no CNIC, phone or key in the log
        config.checkDemoKeys();
        ServerConfig bound = config.port() == 0 ? config.withPort(freePort(config.host())) : config;
        try (StartupResources opened = new StartupResources()) {
            Journal journal = null;
            Ledger ledger = new Ledger();
            AccessLog log = AccessLog.NONE;
            if (bound.metering().enabled()) {
                Path dir = journalDir(bound, snapshot);
                journal = opened.add(Journal.open(JournalOptions.defaults(dir)
                        .withSegmentBytes(bound.metering().segmentBytes())
                        .withFsyncIntervalMicros(bound.metering().fsyncIntervalMicros())
                        .withGatherMicros(bound.metering().gatherMicros())));
                RecoveryReport r = journal.recovery();
                LOG.log(r.clean() ? Level.INFO : Level.WARNING, "access-log journal: " + r);
                ledger = openLedger(dir, r);
            } else {
                LOG.warning("the access log is OFF (journal.enabled: false): requests are neither logged nor billed");
            }
            ClusterAudit clusterAudit = ClusterAudit.open(bound, journal, ledger);
            if (clusterAudit != null) {
                opened.add(clusterAudit);
            }
            if (journal != null) {
                log = new JournalAccessLog(journal, clusterAudit != null ? clusterAudit.listener() : ledger,
                        bound.metering().eventLoopWrites());
            }
            UpdateService updates = opened.add(UpdateService.open(bound, UpdateService.dir(bound, snapshot)));
            PurchaseStore purchases = opened.add(PurchaseStore.open(feedbackDir(bound, snapshot),
                    bound.feedback().segmentBytes(), updates.sharedLog())); // on a replica, on the update log
            LOG.info("purchase feedback: " + purchases.recovery() + "; " + purchases.summaries().households()
                    + " households summarised");
            ExchangeStore exchange = opened.add(ExchangeStore.open(exchangeDir(bound, snapshot),
                    bound.exchange().segmentBytes(), bound.exchange().allProgrammes(),
                    updates.sharedLog())); // on a replica, partners' batches travel on the update log too

            LOG.info("partner exchange: " + exchange.recovery());
            AgreementStore agreements = opened.add(AgreementStore.open(bound, AgreementStore.dir(bound, snapshot),
                    clock, updates.sharedLog())); // on a replica, agreement changes travel on the update log
            Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(bound.eventLoops()));
            opened.addClose(vertx::close);
            Registry registry = new Registry(lockMemory);
            Subscriptions subscriptions = opened.add(Subscriptions.open(
                    Subscriptions.dir(UpdateService.dir(bound, snapshot)), bound.organisations(),
                    bound.dci().journalCompactSlack(), updates.sharedLog() != null));
            Wiring wiring = new Wiring(bound, registry, log, ledger, updates, purchases, new RouteMetrics(),
                    experiments, agreements, subscriptions, exchange, clusterAudit);
            // the statistics tables' shapes outlive a restart: counted again once the snapshot is served
            wiring.keptTables().keepIn(UpdateService.dir(bound, snapshot).resolve(KEPT_TABLES));
            updates.listen(HouseholdListener.all(subscriptions, // the DCI notifications, and the partner feeds'
                    exchange.rescores(bound.programmes(), new Today()))); // entries: told before it is answered
            updates.foldInto(registry, bound.updates().foldEvery(), next -> { // issue 29: online folds
                exchange.attach(next);
                wiring.keptTables().swapping(registry.snapshot(), next, count -> vertx.executeBlocking(() -> {
                    count.run(); // the old generation's statistics tables, counted over the new one
                    return null;
                }, false));
            });
            Path served = Generations.serve(snapshot, UpdateService.dir(bound, snapshot)); // the newest generation
            Generations.clean(UpdateService.dir(bound, snapshot), served, null); // leftovers of a fold that stopped
            listen(vertx, wiring, bound);
            NserServer server = new NserServer(vertx, registry, bound, every60s(vertx, wiring), journal, ledger,
                    updates, purchases, agreements, wiring.whatIfGate(), subscriptions, exchange);
            server.clusterAudit = clusterAudit;
            server.keptTables = wiring.keptTables();
            opened.keep();
            openInTheBackground(registry, served, s -> {
                updates.recover(s);
                exchange.attach(s); // after the updates: an enrolled household may be a new one
            }, () -> wiring.keptTables().warmFromFile(registry.snapshot()));
            return server;
        }
    }

    /** Deploys one verticle per event loop and waits until they listen. */
    private static void listen(Vertx vertx, Wiring wiring, ServerConfig bound) throws IOException {
        try {
            vertx.deployVerticle(() -> new ApiVerticle(wiring),
                    new DeploymentOptions().setInstances(bound.eventLoops()))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("could not listen on " + bound.host() + ":" + bound.port() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    /** The fair-usage sweep, once a minute off the event loops; its timer id. */
    private static long every60s(Vertx vertx, Wiring wiring) {
        return vertx.setPeriodic(60_000, id -> vertx.executeBlocking(() -> {
            wiring.sweepFairUsage(System.nanoTime());
            return null;
        }, false).onFailure(e -> LOG.log(Level.WARNING, "fair-usage sweep failed", e)));
    }

    /** Opens, verifies and warms the snapshot on a thread of its own; the server answers 503 until it is ready. */
    private static void openInTheBackground(Registry registry, Path snapshot, Registry.BeforeReady beforeReady,
                                            Runnable afterReady) {
        Thread opener = new Thread(() -> {
            try {
                registry.open(snapshot, beforeReady);
                LOG.info("snapshot " + snapshot + " verified and warm: ready");
                afterReady.run();
            } catch (Exception e) {
                LOG.log(Level.SEVERE, "snapshot " + snapshot + " refused: " + e.getMessage());
            }
        }, "nser-snapshot-open");
        opener.setDaemon(true);
        opener.start();
    }

    /**
     * The ledger: from its checkpoint plus the records after it, or rebuilt from the whole journal (also when the
     * journal has lost records the checkpoint did not know of: the ledger must equal the sum of the access log).
     */
    private static Ledger openLedger(Path dir, RecoveryReport journal) throws IOException {
        long t0 = System.nanoTime();
        LedgerCheckpoint cp = null;
        try {
            cp = LedgerCheckpoint.read(dir);
        } catch (IOException | RuntimeException e) {
            LOG.warning("ledger checkpoint ignored, rebuilding the ledger from the whole journal: " + e.getMessage());
        }
        if (cp != null && cp.lostRecords() != journal.lostRecords(cp.through())) {
            LOG.warning("ledger checkpoint ignored, rebuilding the ledger from the whole journal: the journal has lost "
                    + journal.lostRecords(cp.through()) + " records to damage up to sequence " + cp.through()
                    + ", the checkpoint counted " + cp.lostRecords());
            cp = null;
        }
        Ledger ledger = Ledger.replay(dir, cp);
        boolean used = cp != null && ledger.through() >= cp.through() && cp.through() > 0;
        if (cp != null && !used) {
            // the journal ends before it: once new records take those sequences it would look valid, so it goes
            Files.deleteIfExists(dir.resolve(LedgerCheckpoint.FILE));
        }
        LOG.info(String.format("ledger through access-log sequence %d in %d ms (%s)", ledger.through(),
                (System.nanoTime() - t0) / 1_000_000, cp == null ? "no checkpoint: every record replayed"
                        : used ? "checkpoint through " + cp.through() + ", then the records after it"
                        : "checkpoint ignored: the journal ends before it; every record replayed"));
        return ledger;
    }

    /** Writes the ledger's checkpoint beside the access log if it moved since the last one. */
    private void checkpointLedger() {
        if (journal == null) {
            return;
        }
        synchronized (ledgerCheckpointLock) { // not the ledger's lock: the journal thread must not wait for a write
            LedgerCheckpoint cp = ledger.checkpoint();
            if (cp.through() == ledgerCheckpointed) {
                return;
            }
            // only what is fsynced: a checkpoint must never count records a power cut could still take away
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (journal.syncedSequence() < cp.through() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
            if (journal.syncedSequence() < cp.through()) {
                LOG.warning("ledger checkpoint through " + cp.through() + " not written: the journal is fsynced only "
                        + "through " + journal.syncedSequence());
                return;
            }
            try {
                cp.write(journal.options().dir());
                ledgerCheckpointed = cp.through();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "ledger checkpoint not written (the next start replays more): " + e, e);
            }
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return config.port();
    }

    public ServerConfig config() {
        return config;
    }

    public Registry registry() {
        return registry;
    }

    /** The permit a what-if computation holds while it runs (one at a time; a second is answered 503). */
    public Semaphore whatIfGate() {
        return whatIfGate;
    }

    /** What opening the access-log journal found (null when the access log is off). */
    public RecoveryReport journalRecovery() {
        return journal == null ? null : journal.recovery();
    }

    /** Live registry updates. */
    public UpdateService updates() {
        return updates;
    }

    /** What has been billed, derived from the access log. */
    public Ledger ledger() {
        return ledger;
    }

    /** The statistics tables kept per snapshot generation (issue 29). */
    public KeptTables keptTables() {
        return keptTables;
    }

    /** On a replica, its part in the cluster's access log (issue 28); null otherwise. */
    public ClusterAudit clusterAudit() {
        return clusterAudit;
    }

    /** The purchases posted back by points of sale, and their summaries. */
    public PurchaseStore purchases() {
        return purchases;
    }

    /** Partner programmes' enrolments and benefits. */
    public ExchangeStore exchange() {
        return exchange;
    }

    /** The live data-sharing agreements and keys. */
    public AgreementStore agreements() {
        return agreements;
    }

    /** Waits until the snapshot is ready; throws if it was refused or the wait ran out. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!registry.ready()) {
            if (registry.failure() != null) {
                throw new IllegalStateException("snapshot refused: " + registry.failure().getMessage(),
                        registry.failure());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("snapshot not ready after " + timeout);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        vertx.cancelTimer(sweepTimer);
        if (ledgerTimer >= 0) {
            vertx.cancelTimer(ledgerTimer);
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Vert.x did not close cleanly: " + e.getMessage());
        }
        try {
            updates.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "the update journal did not close cleanly: " + e.getMessage(), e);
        }
        try {
            subscriptions.close(); // after the updates, whose last changes it journals
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "the DCI journal did not close cleanly: " + e.getMessage(), e);
        }
        registry.close();
        try {
            purchases.close();
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "the purchase journal did not close cleanly: " + e.getMessage(), e);
        }
        try {
            exchange.close();
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "the exchange journal did not close cleanly: " + e.getMessage(), e);
        }
        try {
            agreements.close();
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "the agreement journal did not close cleanly: " + e.getMessage(), e);
        }
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                LOG.log(Level.SEVERE, "the access-log journal did not close cleanly: " + e.getMessage(), e);
            }
            checkpointLedger(); // every written record is in the ledger now
        }
        if (clusterAudit != null) {
            clusterAudit.close(); // after the journal: every record it wrote is fsynced, and shipped now
        }
    }
}
