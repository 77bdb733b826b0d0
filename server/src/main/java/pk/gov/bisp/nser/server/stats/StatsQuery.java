package pk.gov.bisp.nser.server.stats;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.query.Clause;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryException;
import pk.gov.bisp.nser.core.query.QueryParser;
import pk.gov.bisp.nser.server.caller.AreaScope;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.search.SearchContext;

/**
 * What every statistics endpoint takes: {@code group_by}, the list filters, and the caller's area scope; the
 * groups come from the geography alone (never from the data, so the list itself reveals no counts). Filters are
 * coarser than for lists (see {@link #coarse}): PMT bounds in whole points, and no {@code not_} on an address.
 *
 * @param query   the filter, restricted to the caller's area
 * @param level   the grouping level
 * @param groups  the units at {@code level} that the address filters and the scope allow
 */
record StatsQuery(Query query, GeoLevel level, List<GeoUnit> groups) {

    /** The finest level the public (no key) may group or filter by. */
    static final GeoLevel PUBLIC_FINEST = GeoLevel.DISTRICT;
    /** The PMT filters (and household measures) that statistics take in whole points only. */
    private static final Set<String> PMT_BOUNDS = Set.of("pmt_min", "pmt_max", "pmt_below");

    /**
     * Parses the request, or answers 400/403 and returns null. {@code own} are the endpoint's own parameters
     * ({@code group_by} among them), each given at most once and not filters.
     */
    static StatsQuery parse(RoutingContext ctx, SearchContext search, boolean anonymous, AreaScope scope,
                            Set<String> own) {
        Map<String, List<String>> params = SearchContext.params(ctx, own);
        if (params == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            String refused = own.contains(p.getKey()) ? null : coarse(p.getKey(), p.getValue());
            if (refused != null) {
                Problem.badRequest(ctx, "filter-too-fine-for-statistics", refused);
                return null;
            }
        }
        String by = ctx.queryParams().get("group_by");
        GeoLevel level = by == null ? GeoLevel.PROVINCE : null;
        for (GeoLevel l : GeoLevel.values()) {
            level = l.key().equals(by) ? l : level;
        }
        if (level == null) {
            Problem.badRequest(ctx, "invalid-group-by", "group_by='" + Problem.printable(by)
                    + "'; valid: province, division, district, tehsil, uc");
            return null;
        }
        if (anonymous && level.ordinal() > PUBLIC_FINEST.ordinal()) {
            Problem.forbidden(ctx, "group-too-fine", "without an API key statistics go down to district only; "
                    + "group_by=" + level.key() + " needs an organisation's key");
            return null;
        }
        Query q;
        try {
            q = search.parser().parse(params, own);
        } catch (QueryException e) {
            Problem.badRequest(ctx, "invalid-filter", e.getMessage());
            return null;
        }
        for (Clause c : q.clauses()) {
            if (anonymous && c.geoLevel() != null && c.geoLevel().ordinal() > PUBLIC_FINEST.ordinal()) {
                Problem.forbidden(ctx, "filter-too-fine", "without an API key address filters go down to district "
                        + "only; " + c.key() + " needs an organisation's key");
                return null;
            }
        }
        Clause outside = search.outsideScope(q, scope);
        if (outside != null) {
            Problem.forbidden(ctx, "outside-area-scope", "filter " + outside.canonical() + " reaches outside the "
                    + "organisation's area scope (" + scope + ")");
            return null;
        }
        return new StatsQuery(search.restrict(q, scope, false), level,
                groups(search.snapshot().geography(), q, scope, level));
    }

    /**
     * Why filter {@code name} with {@code values} is too fine for statistics, or null. Every cell is perturbed
     * ({@link CellKeyPerturbation}), so a difference of two cells is noise; these rules keep the cells apart in
     * the first place: a PMT bound in hundredths could slice out one household, and {@code not_} on an address
     * asks for a parent area minus a unit that its own table suppressed.
     */
    static String coarse(String name, List<String> values) {
        String key = name.startsWith(QueryParser.NOT) ? name.substring(QueryParser.NOT.length()) : name;
        if (!key.equals(name) && (geoKey(key) || key.equals("union_council"))) {
            return Problem.printable(name) + " is refused: statistics take no not_ on an address (province, "
                    + "division, district, tehsil, uc); name the units wanted instead";
        }
        if (PMT_BOUNDS.contains(key)) {
            for (String v : values) {
                for (String one : v.split(",", -1)) {
                    if (!one.trim().matches("[0-9]{1,3}")) {
                        return Problem.printable(name) + "='" + Problem.printable(one) + "' is refused: statistics "
                                + "take PMT bounds in whole points (0 to 100, e.g. " + key + "=24); lists and "
                                + "counts take two decimals";
                    }
                }
            }
        }
        return null;
    }

    private static boolean geoKey(String key) {
        for (GeoLevel l : GeoLevel.values()) {
            if (l.key().equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** The units at {@code level} that the query's address filters and the scope allow. */
    private static List<GeoUnit> groups(Geography geo, Query q, AreaScope scope, GeoLevel level) {
        List<GeoUnit> out = new ArrayList<>();
        for (GeoUnit u : geo.units(level)) {
            boolean in = scope.national() || overlaps(geo, u, scope.level(), List.of(scope.code()));
            for (Clause c : q.clauses()) {
                if (in && c.geoLevel() != null && !c.negated()) {
                    in = overlaps(geo, u, c.geoLevel(), c.geoCodes());
                }
            }
            if (in) {
                out.add(u);
            }
        }
        return out;
    }

    /** True when unit {@code u} lies inside, or contains, one of the units {@code codes} at {@code level}. */
    private static boolean overlaps(Geography geo, GeoUnit u, GeoLevel level, List<Integer> codes) {
        if (level.ordinal() <= u.level().ordinal()) {
            return codes.contains(geo.ancestorOf(u.level(), u.code(), level));
        }
        for (int c : codes) {
            if (geo.ancestorOf(level, c, u.level()) == u.code()) {
                return true;
            }
        }
        return false;
    }
}
