package pk.gov.bisp.nser.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import pk.gov.bisp.nser.server.accesslog.AccessLog;
import pk.gov.bisp.nser.server.agreement.AgreementRoutes;
import pk.gov.bisp.nser.server.agreement.AgreementStore;
import pk.gov.bisp.nser.server.audit.AccessLogRoutes;
import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.cluster.Positions;
import pk.gov.bisp.nser.server.clusteraudit.ClusterAccessLog;
import pk.gov.bisp.nser.server.clusteraudit.ClusterAudit;
import pk.gov.bisp.nser.server.clusteraudit.ClusterUsage;
import pk.gov.bisp.nser.server.config.ServerConfig;
import pk.gov.bisp.nser.server.dci.Callbacks;
import pk.gov.bisp.nser.server.dci.DciRoutes;
import pk.gov.bisp.nser.server.dci.Notifications;
import pk.gov.bisp.nser.server.dci.Signatures;
import pk.gov.bisp.nser.server.dci.Subscriptions;
import pk.gov.bisp.nser.server.dci.Transactions;
import pk.gov.bisp.nser.server.eligibility.EligibilityRoutes;
import pk.gov.bisp.nser.server.eligibility.ProgrammeRule;
import pk.gov.bisp.nser.server.exchange.ExchangeRoutes;
import pk.gov.bisp.nser.server.exchange.ExchangeStore;
import pk.gov.bisp.nser.server.exchange.ProgrammeView;
import pk.gov.bisp.nser.server.feedback.FeedbackRoutes;
import pk.gov.bisp.nser.server.feedback.PurchaseStore;
import pk.gov.bisp.nser.server.health.HealthRoutes;
import pk.gov.bisp.nser.server.health.RouteMetrics;
import pk.gov.bisp.nser.server.http.ClientAddress;
import pk.gov.bisp.nser.server.http.RouteGroup;
import pk.gov.bisp.nser.server.http.Today;
import pk.gov.bisp.nser.server.lookup.LookupRoutes;
import pk.gov.bisp.nser.server.metering.Ledger;
import pk.gov.bisp.nser.server.metering.UsageRoutes;
import pk.gov.bisp.nser.server.pages.AssetRoutes;
import pk.gov.bisp.nser.server.pages.Assets;
import pk.gov.bisp.nser.server.pages.DocsRoutes;
import pk.gov.bisp.nser.server.pages.StatisticsPageRoutes;
import pk.gov.bisp.nser.server.publicstatus.Admission;
import pk.gov.bisp.nser.server.publicstatus.FairUsage;
import pk.gov.bisp.nser.server.publicstatus.PublicStatusRoutes;
import pk.gov.bisp.nser.server.registry.Registry;
import pk.gov.bisp.nser.server.search.SearchRoutes;
import pk.gov.bisp.nser.server.stats.KeptTables;
import pk.gov.bisp.nser.server.stats.StatsRoutes;
import pk.gov.bisp.nser.server.stats.WhatIfRoutes;
import pk.gov.bisp.nser.server.update.UpdateRoutes;
import pk.gov.bisp.nser.server.update.UpdateService;

/**
 * The composition root of the API. It holds what every event loop shares, made once: the configuration, the
 * registry, authentication, the fair-usage limit, the date, the access log and ledger, the live updates, the
 * purchases posted back by points of sale and the what-if gate (one what-if computation at a time, since each
 * already runs on every core). {@link #groups()} makes, for one event loop, every feature's route group, handing
 * each feature by constructor only what it needs; nothing else sees this class.
 */
final class Wiring {

    private final ServerConfig config;
    private final Registry registry;
    private final Authenticator auth;
    private final Admission admission;
    private final ClientAddress clientAddress;
    private final Today today = new Today();
    private final AccessLog accessLog;
    private final Ledger ledger;
    private final UpdateService updates;
    private final PurchaseStore purchases;
    private final Semaphore whatIfGate = new Semaphore(1);
    private final RouteMetrics metrics;
    private final List<Experiment> experiments;
    /** On a replica, the update log position on every answer; null on a single server. */
    private final Positions positions;
    private final Assets assets = Assets.bundled(); // read once, at start
    /** The DCI transactions answered lately, for txn/status (shared by the event loops). */
    private final Transactions dciTransactions = new Transactions();
    /** Sends the callbacks of asynchronous DCI requests, off the event loops. */
    private final Callbacks dciCallbacks;
    /** The Ed25519 public keys of the organisations whose DCI requests must be signed. */
    private final java.util.Map<String, java.security.PublicKey> dciKeys;
    private final AgreementStore agreements;
    /** The DCI subscriptions and their notification outbox (shared by the event loops). */
    private final Subscriptions dciSubscriptions;
    /** Partner programmes' enrolments and benefits (issue 31); also the registry's live filter sets. */
    private final ExchangeStore exchange;
    /** Who sees which programmes serve a household, and who may filter by them (lists, DCI, notifications). */
    private final ProgrammeView programmes;
    /** On a replica, the cluster's access log (issue 28); null otherwise. */
    private final ClusterAudit clusterAudit;
    /** The statistics tables kept for the generation served, shared by every event loop's statistics routes. */
    private final KeptTables keptTables;

    /**
     * @param updates    the live updates, or null when this server takes none
     * @param agreements the live data-sharing agreements and keys, which authenticate every request
     * @param subscriptions the DCI subscriptions, notified through this wiring's callbacks
     * @param exchange   partner programmes' enrolments and benefits, and the live sets they filter by
     * @param clusterAudit on a replica, the cluster's access log and bills (issue 28); null otherwise
     */
    Wiring(ServerConfig config, Registry registry, AccessLog accessLog, Ledger ledger, UpdateService updates,
           PurchaseStore purchases, RouteMetrics metrics, List<Experiment> experiments, AgreementStore agreements,
           Subscriptions subscriptions, ExchangeStore exchange, ClusterAudit clusterAudit) {
        this.config = config;
        this.keptTables = new KeptTables(config.search().cellKeySecret());
        this.exchange = exchange;
        registry.liveSets(exchange); // programme=pbm and the like filter lists, counts and statistics
        this.programmes = new ProgrammeView(exchange, config.exchange(), agreements::programmes);
        this.registry = registry;
        this.agreements = agreements;
        this.clusterAudit = clusterAudit;
        this.auth = new Authenticator(agreements, clusterAudit != null ? clusterAudit.bills() : ledger);
        metrics.addGauges(agreements::gauges);
        if (clusterAudit != null) {
            metrics.addGauges(clusterAudit::gauges);
        }
        this.clientAddress = new ClientAddress(config.trustedProxies());
        this.admission = new Admission(new FairUsage(config.publicPerMinute(), config.publicBurst()), clientAddress);
        this.accessLog = accessLog;
        this.ledger = ledger;
        this.updates = updates;
        this.purchases = purchases;
        this.metrics = metrics;
        this.experiments = List.copyOf(experiments);
        this.dciCallbacks = new Callbacks(accessLog, config.metering(), config.dci().callbackAttempts(),
                config.dci().callbackBackoffMillis(), config.dci().signingKey() == null ? null
                        : Signatures.signer(config.dci().signingKey(), DciRoutes.REGISTRY_ID + "|registry"),
                agreements);
        this.dciSubscriptions = subscriptions;
        subscriptions.deliverWith(dciCallbacks, new Notifications(registry, today, programmes::mayFilter));
        java.util.Map<String, java.security.PublicKey> keys = new java.util.HashMap<>();
        config.dci().partners().forEach((org, p) -> {
            if (p.publicKey() != null) {
                keys.put(org, Signatures.publicKey(p.publicKey()));
            }
        });
        this.dciKeys = java.util.Map.copyOf(keys);
        this.positions = updates != null && updates.replicated()
                ? new Positions(updates::position, config.cluster().minPositionWaitMillis()) : null;
    }

    /** The replica's positions ({@code Registry-Position}, {@code Registry-Min-Position}), or null. */
    Positions positions() {
        return positions;
    }

    /** Routing alone (for tests): no live updates, no purchase feedback, no experiment. */
    static Wiring of(ServerConfig config, Registry registry, AccessLog accessLog, Ledger ledger) {
        return new Wiring(config, registry, accessLog, ledger, null, PurchaseStore.unavailable(), new RouteMetrics(),
                List.of(), AgreementStore.unjournaled(config, java.time.Clock.systemUTC()),
                Subscriptions.unjournaled(), ExchangeStore.unavailable(config.exchange().allProgrammes()), null);
    }

    /** Routing alone, without an access log (for tests). */
    static Wiring of(ServerConfig config, Registry registry) {
        return of(config, registry, AccessLog.NONE, new Ledger());
    }

    /**
     * Every route group, in the order the router is to try them. Made per event loop: the features own reusable
     * records, buffers and flyweights, so nothing mutable is shared between event loops.
     */
    List<RouteGroup> groups() {
        List<RouteGroup> groups = new ArrayList<>();
        // the hottest routes first: the router tries routes in order, matching parameterised paths by regex (a
        // matcher each, whatever the request's method)
        groups.add(new HealthRoutes(registry, accessLog, updates, metrics, config.cluster().maxReadyLag()));
        LookupRoutes lookups = new LookupRoutes(registry, auth, today, programmes);
        groups.add(lookups); // by prefix, not regex: PrefixRoutes
        for (Experiment e : experiments) {
            groups.add(e.routes(registry, auth));
        }
        groups.add(new PublicStatusRoutes(registry, admission, today,
                config.programmes().get(config.publicProgramme()))); // by prefix too
        // the DCI Social Registry API (issue 32): POSTs under /registry, no clash with the native routes; early, as
        // its sync search is a lookup too (six exact paths: a GET passes them on the method)
        groups.add(new DciRoutes(registry, auth, today, config.search(), config.dci(), config.maxBatch(),
                config.maxBodyBytes(), dciTransactions, dciCallbacks, dciKeys, dciSubscriptions,
                programmes::mayFilter));
        // the single check by prefix, then the batch: a POST, after the GET lookups (see its mountBatch)
        groups.add(new EligibilityRoutes(registry, auth, today, config.programmes(), config.maxBatch(),
                config.maxBodyBytes()));
        groups.add(new SearchRoutes(registry, auth, today, config.search(), metrics, programmes::mayFilter));
        groups.add(lookups.byId()); // after the list routes, so that /v1/households/count stays theirs
        groups.add(new UpdateRoutes(registry, auth, today, updates, config.maxBodyBytes()));
        groups.add(new StatsRoutes(registry, auth, admission, config.search(), keptTables));
        groups.add(new WhatIfRoutes(registry, auth, config.programmes().get(config.publicProgramme()),
                config.pmtModels(), config.search(), whatIfGate));
        boolean database = clusterAudit != null && clusterAudit.database() != null; // the whole cluster's, issue 28
        groups.add(new UsageRoutes(auth, ledger, config.organisations().values(),
                database ? new ClusterUsage(clusterAudit.database()) : null));
        groups.add(new AccessLogRoutes(auth, accessLog,
                database ? new ClusterAccessLog(clusterAudit.database()) : null));
        groups.add(new FeedbackRoutes(registry, auth, purchases, config.programmes().keySet(), config.maxBatch(),
                config.maxBodyBytes()));
        groups.add(new StatisticsPageRoutes(publicCutoffPoints(), config.search().minCell()));
        groups.add(new DocsRoutes());
        groups.add(new AssetRoutes(assets));
        groups.add(new AgreementRoutes(auth, agreements, config.maxBodyBytes()));
        groups.add(new ExchangeRoutes(registry, auth, today, exchange, config.exchange(), config.programmes(),
                agreements::programmes, config.maxBatch(), config.maxBodyBytes())); // agreements' programmes
        return groups;
    }

    /**
     * The public programme's PMT cut-off in whole points (statistics take whole points), for the statistics
     * page's default measure; 32, the annual report's cut-off, when that programme is not a cut-off rule.
     */
    private int publicCutoffPoints() {
        return config.programmes().get(config.publicProgramme()).rule() instanceof ProgrammeRule.PmtCutoff c
                ? c.cutoffHundredths() / 100 : 32;
    }

    ServerConfig config() {
        return config;
    }

    /** Whether an organisation may be served now: for features that act after the request (callbacks). */
    pk.gov.bisp.nser.server.caller.AgreementCheck agreementCheck() {
        return agreements;
    }

    Registry registry() {
        return registry;
    }

    ClientAddress clientAddress() {
        return clientAddress;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    RouteMetrics metrics() {
        return metrics;
    }

    /** The permit a what-if computation holds while it runs. */
    Semaphore whatIfGate() {
        return whatIfGate;
    }

    /** The statistics tables kept for the generation served: told of a fold's new generation before it is served. */
    KeptTables keptTables() {
        return keptTables;
    }

    /** Forgets the fair-usage buckets of idle clients (every minute, off the event loops). */
    void sweepFairUsage(long nowNanos) {
        admission.sweep(nowNanos);
    }
}
