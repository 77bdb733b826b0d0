package pk.gov.bisp.nser.server.search;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.index.PmtIndex;
import pk.gov.bisp.nser.core.query.Clause;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryException;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.config.SearchOptions;
import pk.gov.bisp.nser.server.health.RouteMetrics;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.JsonResponse;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.RouteGroup;
import pk.gov.bisp.nser.server.http.Today;
import pk.gov.bisp.nser.server.projection.CsvRows;
import pk.gov.bisp.nser.server.projection.FieldClasses;
import pk.gov.bisp.nser.server.projection.HouseholdWriter;
import pk.gov.bisp.nser.server.projection.SampleCells;
import pk.gov.bisp.nser.server.registry.Registry;

/**
 * {@code GET /v1/households} (a page or stream of households) and {@code GET /v1/households/count}. The filter
 * is evaluated on a worker thread (a national query may take tens of milliseconds); rows are then streamed on
 * the event loop. One instance per event loop.
 */
public final class SearchRoutes implements RouteGroup {

    public static final String LIST = "/v1/households";
    public static final String COUNT = "/v1/households/count";
    private static final Logger LOG = Logger.getLogger(SearchRoutes.class.getName());
    private static final Set<String> LIST_PARAMS = Set.of("limit", "cursor", "total", "format");

    private final Registry registry;
    private final Authenticator auth;
    private final Today today;
    private final SearchOptions options;
    private final RouteMetrics metrics;
    private final JsonResponse json = new JsonResponse();
    private SearchContext search;
    private HouseholdWriter writer;
    private CsvRows csv;
    private Pseudonyms pseudonyms;
    private Cursor cursors;
    /** How finely Basic's rows show area and score; counted over the sample on the first Basic list. */
    private volatile SampleCells sampleCells;
    /** Who may filter lists and counts by a partner programme (the live sets): who sees which programmes serve. */
    private final java.util.function.BiPredicate<User, String> filtersByLiveSets;

    public SearchRoutes(Registry registry, Authenticator auth, Today today, SearchOptions options,
                        RouteMetrics metrics) {
        this(registry, auth, today, options, metrics, (u, name) -> true);
    }

    /**
     * @param filtersByLiveSets who may filter by which live bitmap ({@code programme=pbm}, {@code benefit_pkr_min}): a
     *                          list or an exact count would tell who is enrolled or paid to a caller not allowed to
     *                          see it
     */
    public SearchRoutes(Registry registry, Authenticator auth, Today today, SearchOptions options,
                        RouteMetrics metrics, java.util.function.BiPredicate<User, String> filtersByLiveSets) {
        this.filtersByLiveSets = filtersByLiveSets;
        this.registry = registry;
        this.auth = auth;
        this.today = today;
        this.options = options;
        this.metrics = metrics;
    }

    @Override
    public void mount(Router router) {
        router.get(COUNT).handler(this::count);
        router.get(LIST).handler(this::list);
    }

    private SearchContext search() {
        if (search == null) {
            pseudonyms = new Pseudonyms(Pseudonyms.key(options.pseudonymKey()));
            cursors = new Cursor(Cursor.key(options.cursorKey()));
        }
        if (search == null || search.snapshot() != registry.snapshot()) { // a fold swapped generations (issue 29)
            Snapshot s = registry.snapshot();
            search = new SearchContext(s, registry.liveSets());
            writer = new HouseholdWriter(s.geography(), s.dictionary(), today);
            csv = new CsvRows(s.geography(), s.dictionary(), today);
        }
        return search;
    }

    private User user(RoutingContext ctx) {
        User u = auth.require(ctx, Operation.SEARCH, Role.POWER, Role.STANDARD, Role.BASIC);
        return u == null || !registry.ready(ctx) ? null : u;
    }

    private void count(RoutingContext ctx) {
        User user = user(ctx);
        if (user == null) {
            return;
        }
        Query q = query(ctx, user, Set.of());
        if (q == null) {
            return;
        }
        SearchContext sc = search();
        Exchange.of(ctx).rows(0, FieldClasses.PUBLIC);
        evaluate(ctx, () -> sc.engine().count(q), n -> json.send(ctx, 200, g -> {
            g.writeStartObject();
            g.writeNumberField("count", n);
            g.writeEndObject();
        }));
    }

    private void list(RoutingContext ctx) {
        User user = user(ctx);
        if (user == null) {
            return;
        }
        Query q = query(ctx, user, LIST_PARAMS);
        if (q == null) {
            return;
        }
        MultiMap params = ctx.queryParams();
        RowFormat format = RowFormat.choose(params.get("format"), ctx.request().getHeader("Accept"));
        if (format == null) {
            Problem.badRequest(ctx, "invalid-format", "format='" + Problem.printable(params.get("format"))
                    + "'; valid: json, ndjson, csv");
            return;
        }
        SearchOptions opts = options;
        long roleLimit = opts.rowLimit(user.role());
        long limit = format == RowFormat.JSON ? Math.min(opts.defaultPageRows(), roleLimit) : roleLimit;
        String rawLimit = params.get("limit");
        if (rawLimit != null) {
            limit = parseLimit(ctx, rawLimit, roleLimit, user.role());
            if (limit < 0) {
                return;
            }
        }
        String total = params.get("total");
        if (total != null && !total.equals("true") && !total.equals("false")) {
            Problem.badRequest(ctx, "invalid-total", "total='" + Problem.printable(total) + "'; valid: true, false");
            return;
        }
        SearchContext sc = search();
        int after;
        try {
            after = params.get("cursor") == null ? -1
                    : cursors.decode(params.get("cursor"), q.fingerprint(), sc.snapshotTag(), user.role().ordinal());
        } catch (IllegalArgumentException e) {
            Problem.badRequest(ctx, "invalid-cursor", e.getMessage());
            return;
        }
        long pageLimit = limit;
        boolean basic = user.role() == Role.BASIC;
        int k = options.minCell();
        evaluate(ctx, () -> {
            if (basic && sampleCells == null) { // once per event loop: racing workers count the same thing
                sampleCells = SampleCells.of(sc.snapshot(), sc.engine().evaluate(sc.restrict(Query.ALL,
                        pk.gov.bisp.nser.server.caller.AreaScope.NATIONAL, true)), k);
            }
            return sc.engine().evaluate(q);
        }, hits -> send(ctx, user, format, q, hits, after, pageLimit, "true".equals(total)));
    }

    private static long parseLimit(RoutingContext ctx, String raw, long roleLimit, Role role) {
        long v;
        try {
            v = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 1) {
            Problem.badRequest(ctx, "invalid-limit", "limit='" + Problem.printable(raw) + "' must be a whole number "
                    + "from 1");
            return -1;
        }
        if (v > roleLimit) {
            Problem.badRequest(ctx, "limit-above-row-limit", "limit=" + v + " is above the row limit of role "
                    + role.name().toLowerCase(java.util.Locale.ROOT) + " (" + roleLimit + " rows per request)");
            return -1;
        }
        return v;
    }

    private void send(RoutingContext ctx, User user, RowFormat format, Query q, RoaringBitmap hits, int after,
                      long limit, boolean withTotal) {
        Role role = user.role();
        HttpServerResponse res = ctx.response();
        if (res.closed()) {
            return;
        }
        long card = hits.getLongCardinality();
        long skipped = after < 0 ? 0 : hits.rankLong(after);
        long remaining = card - skipped;
        long rows = Math.min(limit, remaining);
        String next = remaining > limit
                ? cursors.encode(hits.select((int) (skipped + limit - 1)), q.fingerprint(), search.snapshotTag(),
                        role.ordinal())
                : null;
        PeekableIntIterator it = hits.getIntIterator();
        if (after >= 0) {
            it.advanceIfNeeded(after + 1);
        }
        res.setStatusCode(200).putHeader("Content-Type", format.contentType).putHeader("Cache-Control", "no-store");
        if (next != null) {
            res.putHeader("Next-Cursor", next);
        }
        if (withTotal) {
            res.putHeader("Total-Count", Long.toString(card));
        }
        RowEncoder enc = RowEncoder.of(format, role, pseudonyms, role == Role.BASIC ? sampleCells : null, writer, csv);
        RowStream stream = new RowStream(ctx, search.snapshot(), it, rows, enc,
                options.streamBatchRows(), next, withTotal ? card : -1, metrics::streamEnded,
                () -> auth.stillAllowed(user));
        Exchange.startStream(ctx, rows, HouseholdWriter.fieldClasses(role, true), () -> {
            metrics.streamStarted();
            stream.start();
        });
    }

    /**
     * The caller's filter narrowed to what the caller may see (the organisation's area, the Basic sample), or
     * null after a 400 (bad filter) or 403 (a filter outside the area).
     */
    private Query query(RoutingContext ctx, User user, Set<String> others) {
        Map<String, List<String>> params = SearchContext.params(ctx, others);
        if (params == null) {
            return null;
        }
        SearchContext sc = search();
        Query q;
        try {
            q = sc.parser().parse(params, others);
        } catch (QueryException e) {
            Problem.badRequest(ctx, "invalid-filter", e.getMessage());
            return null;
        }
        if (user.role() == Role.BASIC && tooFineForBasic(ctx, q)) {
            return null;
        }
        String live = sc.liveSetNotAllowed(q, b -> filtersByLiveSets.test(user, b));
        if (live != null) {
            Problem.forbidden(ctx, "programme-filter-not-allowed", "role " + user.role().name().toLowerCase(
                    java.util.Locale.ROOT) + " of organisation '" + user.organisation().id() + "' may not filter lists "
                    + "or counts by " + Problem.printable(live) + ": it does not see which partner programmes serve a "
                    + "household or what they paid; statistics over them are open to it");
            return null;
        }
        Clause outside = sc.outsideScope(q, user.organisation().scope());
        if (outside != null) {
            Problem.forbidden(ctx, "outside-area-scope", "filter " + outside.canonical() + " reaches outside "
                    + "organisation '" + user.organisation().id() + "' area scope (" + user.organisation().scope()
                    + ")");
            return null;
        }
        return sc.restrict(q, user.organisation().scope(), user.role() == Role.BASIC);
    }

    /**
     * Basic sees the sample no finer than {@link SampleCells} shows it, so its filters may not be finer either: no
     * tehsil or union council, and score bounds on band edges. Otherwise a filter such as {@code uc=X&pmt_min=24.73
     * &pmt_max=24.74} would pick out the row of a household whose exact score and union council Basic's by-CNIC
     * lookup shows. True after answering 400.
     */
    private static boolean tooFineForBasic(RoutingContext ctx, Query q) {
        for (Clause c : q.clauses()) {
            if (c.geoLevel() == GeoLevel.TEHSIL || c.geoLevel() == GeoLevel.UNION_COUNCIL) {
                Problem.badRequest(ctx, "filter-too-fine", "role basic may filter the sample by province, division "
                        + "and district only, not by " + (c.negated() ? "not_" : "") + c.key());
                return true;
            }
        }
        int band = SampleCells.BAND_HUNDREDTHS;
        if (q.pmtMin() % band != 0 || q.pmtMax() != PmtIndex.MAX_VALUE && (q.pmtMax() + 1) % band != 0) {
            Problem.badRequest(ctx, "filter-too-fine", "role basic sees PMT scores in " + band / 100 + "-point "
                    + "bands, and may filter on their edges only: pmt_min a multiple of " + band / 100 + ", pmt_below "
                    + "a multiple of " + band / 100 + " (or pmt_max one hundredth below it, e.g. 24.99)");
            return true;
        }
        return false;
    }

    /** Runs {@code work} on a worker thread, then {@code then} back on this event loop; failures are a 500. */
    private <T> void evaluate(RoutingContext ctx, java.util.concurrent.Callable<T> work, Consumer<T> then) {
        ctx.vertx().executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                then.accept(ar.result());
            } else {
                LOG.log(Level.WARNING, "query evaluation failed", ar.cause());
                Problem.send(ctx, 500, "internal-error", "Internal error",
                        "the query could not be evaluated; the failure is logged");
            }
        });
    }
}
