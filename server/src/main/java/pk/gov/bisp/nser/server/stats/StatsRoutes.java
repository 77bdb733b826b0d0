package pk.gov.bisp.nser.server.stats;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryException;
import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.caller.AreaScope;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.config.SearchOptions;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.JsonResponse;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.RouteGroup;
import pk.gov.bisp.nser.server.projection.FieldClasses;
import pk.gov.bisp.nser.server.publicstatus.Admission;
import pk.gov.bisp.nser.server.registry.Registry;
import pk.gov.bisp.nser.server.search.SearchContext;

/**
 * {@code GET /v1/stats?group_by=province|district|tehsil|uc&measure=...&<filters>}. Without a key the caller is
 * the public: fair-usage limited, grouping and address filters down to district only. With a key: Power,
 * Standard, Basic or Admin with the stats operation, down to union council, within the organisation's area.
 * Every count is perturbed by the cell-key method ({@link CellKeyPerturbation}) and then suppressed
 * ({@link StatsTable}) with k from config; shares are quotients of the perturbed counts.
 */
public final class StatsRoutes implements RouteGroup {

    public static final String STATS = "/v1/stats";
    private static final Logger LOG = Logger.getLogger(StatsRoutes.class.getName());
    private static final Set<String> PARAMS = Set.of("group_by", "measure");

    private final Registry registry;
    private final Authenticator auth;
    private final Admission admission;
    private final SearchOptions options;
    private final JsonResponse json = new JsonResponse();
    private final KeptTables kept;
    private SearchContext search;

    /**
     * @param admission the fair-usage limit of keyless callers, shared with the public status
     * @param kept      the kept tables, shared by every event loop's routes
     */
    public StatsRoutes(Registry registry, Authenticator auth, Admission admission, SearchOptions options,
                       KeptTables kept) {
        this.registry = registry;
        this.auth = auth;
        this.admission = admission;
        this.options = options;
        this.kept = kept;
    }

    @Override
    public void mount(Router router) {
        router.get(STATS).handler(this::stats);
    }

    private void stats(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        HttpServerResponse res = ctx.response();
        boolean anonymous = req.getHeader("Authorization") == null;
        Exchange.of(ctx).operation("stats").rows(0, FieldClasses.PUBLIC);
        AreaScope scope = AreaScope.NATIONAL;
        if (anonymous) {
            if (!admission.admit(ctx).allowed()) {
                Problem.send(ctx, 429, "fair-usage-limit", "Too many requests", "the public fair-usage limit is "
                        + "reached; try again in " + res.headers().get("Retry-After") + " s");
                return;
            }
        } else {
            User u = auth.require(ctx, Operation.STATS, Role.POWER, Role.STANDARD, Role.BASIC, Role.ADMIN);
            if (u == null) {
                return;
            }
            scope = u.organisation().scope();
        }
        if (!registry.ready(ctx)) {
            return;
        }
        if (search == null || search.snapshot() != registry.snapshot()) { // a fold swapped generations (issue 29)
            search = new SearchContext(registry.snapshot(), registry.liveSets());
        }
        Request r = request(ctx, anonymous, scope);
        if (r == null) {
            return;
        }
        int k = options.minCell();
        SearchContext sc = search;
        ctx.vertx().executeBlocking(() -> {
            StatsTable t = kept.of(sc.snapshot()).count(sc.snapshot(), sc.engine(), r.query, r.measure, r.level,
                    r.groups);
            t.perturb();
            return new Object[] {t, t.suppress(k)};
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                LOG.log(Level.WARNING, "statistics failed", ar.cause());
                Problem.send(ctx, 500, "internal-error", "Internal error", "the statistics could not be computed; "
                        + "the failure is logged");
                return;
            }
            StatsTable t = (StatsTable) ar.result()[0];
            int hidden = (Integer) ar.result()[1];
            json.send(ctx, 200, g -> write(g, r, t, k, hidden));
        });
    }

    private record Request(Query query, Measure measure, GeoLevel level, List<GeoUnit> groups) {
    }

    /** The parsed request, or null after a 400/403. */
    private Request request(RoutingContext ctx, boolean anonymous, AreaScope scope) {
        StatsQuery q = StatsQuery.parse(ctx, search, anonymous, scope, PARAMS);
        if (q == null) {
            return null;
        }
        Measure m;
        try {
            String measure = ctx.queryParams().get("measure");
            m = measure == null ? null : Measure.parse(measure, search.parser());
        } catch (QueryException e) {
            Problem.badRequest(ctx, "invalid-filter", e.getMessage());
            return null;
        }
        return new Request(q.query(), m, q.level(), q.groups());
    }

    private static void write(JsonGenerator g, Request r, StatsTable t, int k, int hidden) throws IOException {
        g.writeStartObject();
        g.writeStringField("group_by", r.level.key());
        if (r.measure != null) {
            g.writeStringField("measure", r.measure.text());
            g.writeStringField("measure_unit", r.measure.unit());
        }
        g.writeNumberField("min_cell", k);
        g.writeNumberField("suppressed_cells", hidden);
        t.writeGroups(g, StatsRoutes::shares);
        g.writeEndObject();
    }

    /** The shares of a row, after its cells. */
    private static void shares(JsonGenerator g, StatsTable t, int i) throws IOException {
        int total = t.totalRow();
        share(g, "share_of_households", t.published(i, StatsTable.HOUSEHOLDS) && t.published(total,
                StatsTable.HOUSEHOLDS), t.cells[i][StatsTable.HOUSEHOLDS], t.cells[total][StatsTable.HOUSEHOLDS]);
        if (t.measured) {
            share(g, "share", t.published(i, StatsTable.COUNT) && t.published(i, StatsTable.BASE),
                    t.cells[i][StatsTable.COUNT], t.cells[i][StatsTable.BASE]);
        }
    }

    private static void share(JsonGenerator g, String name, boolean published, long part, long whole)
            throws IOException {
        g.writeFieldName(name);
        if (published && whole > 0) {
            g.writeNumber(String.format(Locale.ROOT, "%.6f", (double) part / whole));
        } else {
            g.writeNull();
        }
    }
}
