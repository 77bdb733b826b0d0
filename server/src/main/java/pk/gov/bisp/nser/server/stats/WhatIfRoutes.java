package pk.gov.bisp.nser.server.stats;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.config.SearchOptions;
import pk.gov.bisp.nser.server.config.ServerConfig;
import pk.gov.bisp.nser.server.eligibility.Programme;
import pk.gov.bisp.nser.server.eligibility.ProgrammeRule;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.JsonResponse;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.RouteGroup;
import pk.gov.bisp.nser.server.projection.FieldClasses;
import pk.gov.bisp.nser.server.registry.Registry;
import pk.gov.bisp.nser.server.search.SearchContext;

/**
 * {@code GET /v1/stats/what-if?model=ID&cutoff=N&group_by=...&<filters>}: for policy analysis, how many households
 * per area would be under the cut-off with a candidate model ({@code pmt_models} in the configuration, or
 * {@code current}, the snapshot's own) and cut-off (default: the main programme's), and how many would enter or
 * leave, without changing anything. Power or admin with the stats operation; perturbed and suppressed as
 * {@code /v1/stats}.
 */
public final class WhatIfRoutes implements RouteGroup {

    public static final String WHAT_IF = "/v1/stats/what-if";
    private static final Logger LOG = Logger.getLogger(WhatIfRoutes.class.getName());
    private static final Set<String> PARAMS = Set.of("group_by", "model", "cutoff");
    private static final int THREADS = Runtime.getRuntime().availableProcessors();
    /** What a refused what-if is told to wait: about one national computation. */
    static final int RETRY_AFTER_SECONDS = 10;

    private final Registry registry;
    private final Authenticator auth;
    private final Map<String, PmtModel> models;
    private final SearchOptions options;
    private final Semaphore gate;
    private final JsonResponse json = new JsonResponse();
    private final int currentCutoff;
    private SearchContext search;

    /**
     * @param mainProgramme the programme whose cut-off is the current one (the public status page's)
     * @param models        the candidate PMT models, by id
     * @param gate          one what-if computation at a time, for the whole server: each already runs on every core
     */
    public WhatIfRoutes(Registry registry, Authenticator auth, Programme mainProgramme, Map<String, PmtModel> models,
                        SearchOptions options, Semaphore gate) {
        this.registry = registry;
        this.auth = auth;
                this.models = models;
        this.options = options;
        this.gate = gate;
        this.currentCutoff = mainCutoff(mainProgramme);
    }

    @Override
    public void mount(Router router) {
        router.get(WHAT_IF).handler(this::whatIf);
    }

    /** The main programme's cut-off in hundredths: the programme the public status page answers for. */
    static int mainCutoff(Programme p) {
        if (p.rule() instanceof ProgrammeRule.PmtCutoff c) {
            return c.cutoffHundredths();
        }
        return ((ProgrammeRule.Vulnerability) p.rule()).belowHundredths();
    }

    private record Candidate(String id, PmtModel model, int cutoff) {
    }

    private void whatIf(RoutingContext ctx) {
        Exchange.of(ctx).rows(0, FieldClasses.PUBLIC);
        User u = auth.require(ctx, Operation.STATS, Role.POWER, Role.ADMIN);
        if (u == null || !registry.ready(ctx)) {
            return;
        }
        Snapshot snapshot = registry.snapshot();
        if (search == null || search.snapshot() != snapshot) { // a fold swapped generations (issue 29)
            search = new SearchContext(snapshot, registry.liveSets());
        }
        StatsQuery q = StatsQuery.parse(ctx, search, false, u.organisation().scope(), PARAMS);
        Candidate c = q == null ? null : candidate(ctx, snapshot);
        if (c == null) {
            return;
        }
        int k = options.minCell();
        String secret = options.cellKeySecret();
                if (!gate.tryAcquire()) {
            // each computation already uses every core: a second one would only halve both and starve the event
            // loops' lookups meanwhile
            ctx.response().putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            Problem.send(ctx, 503, "what-if-busy", "What-if busy", "another what-if computation is running on "
                    + "this server (one at a time, each uses every core); retry in " + RETRY_AFTER_SECONDS + " s");
            return;
        }
        whileHolding(gate, () -> {
            WhatIfCounter counter = new WhatIfCounter(snapshot, search.engine(), THREADS,
                    RecordKeys.of(snapshot, secret));
            StatsTable t = counter.count(q.query(), q.level(), q.groups(), c.model, currentCutoff, c.cutoff);
            t.perturb();
            return new Object[] {t, t.suppress(k)};
        }, task -> ctx.vertx().executeBlocking(task, false)).onComplete(ar -> {
            if (ar.failed() && ar.cause() instanceof RejectedExecutionException) {
                ctx.response().putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
                Problem.send(ctx, 503, "what-if-unavailable", "What-if unavailable", "the server is shutting down "
                        + "and takes no new what-if computation; retry on a running server");
                return;
            }
            if (ar.failed()) {
                LOG.log(Level.WARNING, "what-if statistics failed", ar.cause());
                Problem.send(ctx, 500, "internal-error", "Internal error", "the what-if statistics could not be "
                        + "computed; the failure is logged");
                return;
            }
            StatsTable t = (StatsTable) ar.result()[0];
            int hidden = (Integer) ar.result()[1];
            json.send(ctx, 200, g -> write(g, q, c, snapshot, t, k, hidden));
        });
    }

    /**
     * Runs {@code task} through {@code run} (a worker pool) while holding a permit of {@code gate}, taken by the
     * caller. The permit is given back once: when the task ends, so the next computation may start before this
     * one's response is written; or, when the pool refused the task and it never ran (a worker pool closed at
     * shutdown), when the returned future fails.
     */
    static <T> Future<T> whileHolding(Semaphore gate, Callable<T> task, Function<Callable<T>, Future<T>> run) {
        AtomicBoolean held = new AtomicBoolean(true);
        Runnable release = () -> {
            if (held.getAndSet(false)) {
                gate.release();
            }
        };
        Future<T> f = null;
        try {
            f = run.apply(() -> {
                try {
                    return task.call();
                } finally {
                    release.run();
                }
            });
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        } finally {
            if (f == null) { // an Error thrown, or no future returned: nothing will complete
                release.run();
            }
        }
        return f == null ? Future.failedFuture("the worker pool returned no future")
                : f.onComplete(ar -> release.run());
    }

    /** The candidate model and cut-off, or null after a 400. */
    private Candidate candidate(RoutingContext ctx, Snapshot snapshot) {
        String id = ctx.queryParams().get("model");
        id = id == null ? ServerConfig.CURRENT_MODEL : id;
        PmtModel model = ServerConfig.CURRENT_MODEL.equals(id) ? snapshot.pmtModel()
                : models.get(id);
        if (model == null) {
            String valid = "valid: " + ServerConfig.CURRENT_MODEL
                    + models.keySet().stream().map(m -> ", " + m).reduce("", String::concat);
            Problem.badRequest(ctx, "unknown-model", ServerConfig.CURRENT_MODEL.equals(id)
                    ? "the snapshot's scores come from " + snapshot.manifest().pmtModelName() + " v"
                        + snapshot.manifest().pmtModelVersion() + ", a model this server does not have; " + valid
                    : "model='" + Problem.printable(id) + "' is not a configured PMT model (pmt_models); " + valid);
            return null;
        }
        String raw = ctx.queryParams().get("cutoff");
        int cutoff = currentCutoff;
        if (raw != null) {
            if (!raw.matches("[0-9]{1,3}(\\.[0-9]{1,2})?")
                    || new BigDecimal(raw).compareTo(BigDecimal.valueOf(100)) > 0) {
                Problem.badRequest(ctx, "invalid-cutoff", "cutoff='" + Problem.printable(raw) + "'; give a PMT score "
                        + "from 0 to 100 with at most two decimals");
                return null;
            }
            cutoff = new BigDecimal(raw).movePointRight(2).intValueExact();
        }
        return new Candidate(id, model, cutoff);
    }

    private void write(JsonGenerator g, StatsQuery q, Candidate c, Snapshot s, StatsTable t, int k, int hidden)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("model", c.id);
        g.writeStringField("model_name", c.model.name());
        g.writeNumberField("model_version", c.model.version());
        g.writeNumberField("cutoff", score(c.cutoff));
        g.writeObjectFieldStart("current");
        g.writeStringField("model_name", s.manifest().pmtModelName());
        g.writeNumberField("model_version", s.manifest().pmtModelVersion());
        g.writeNumberField("cutoff", score(currentCutoff));
        g.writeEndObject();
        g.writeStringField("scored_from", s.pmtIndicators() != null ? "indicator column" : "records");
        g.writeStringField("group_by", q.level().key());
        g.writeNumberField("min_cell", k);
        g.writeNumberField("suppressed_cells", hidden);
        t.writeGroups(g, (gen, table, i) -> { });
        g.writeEndObject();
    }

    /** A score as a number with no trailing zeros: 32, 32.5, 32.25. */
    private static BigDecimal score(int hundredths) {
        BigDecimal d = BigDecimal.valueOf(hundredths, 2).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }
}
