package pk.gov.bisp.nser.server.search;

import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.index.BasicSample;
import pk.gov.bisp.nser.core.index.HouseholdIndexer;
import pk.gov.bisp.nser.core.query.Clause;
import pk.gov.bisp.nser.core.query.LiveSets;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryEngine;
import pk.gov.bisp.nser.core.query.QueryParser;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotFold;
import pk.gov.bisp.nser.server.caller.AreaScope;
import pk.gov.bisp.nser.server.http.Problem;

/** The query machinery over one snapshot, and the rules that narrow a caller's query to what they may see. */
public final class SearchContext {

    /** The clause every Basic query carries: the fixed 1% sample. */
    public static final Clause BASIC_SAMPLE = new Clause("sample", false, List.of(BasicSample.BITMAP), null,
            List.of());

    private final Snapshot snapshot;
    private final LiveSets live;
    private final QueryParser parser;
    private final QueryEngine engine;
    private final String manifestDigest;

    public SearchContext(Snapshot snapshot) {
        this(snapshot, LiveSets.NONE);
    }

    /** The query machinery over the snapshot and the live sets beside it (partner programmes' enrolments). */
    public SearchContext(Snapshot snapshot, LiveSets live) {
        this.snapshot = snapshot;
        this.live = live;
        this.parser = new QueryParser(snapshot.geography(), live);
        this.engine = new QueryEngine(snapshot, live);
        try { // a fold keeps the ordinals and the base manifest's digest: cursors stay good (issue 29)
            manifestDigest = SnapshotFold.manifestSha256(snapshot.dir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The query parameters by name, or null after a 400 when one of {@code single} (the endpoint's own
     * parameters, such as {@code limit}) is repeated. Filters may repeat: their values are ORed.
     */
    public static Map<String, List<String>> params(RoutingContext ctx, Set<String> single) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String name : ctx.queryParams().names()) {
            List<String> all = ctx.queryParams().getAll(name);
            if (single.contains(name) && all.size() > 1) {
                Problem.badRequest(ctx, "repeated-parameter", name + " is given " + all.size() + " times");
                return null;
            }
            params.put(name, new ArrayList<>(all));
        }
        return params;
    }

    /**
     * The first live bitmap (a partner programme's enrolled households, benefits paid) that {@code q} names and
     * {@code mayFilter} refuses, as the caller would name it ({@code programme=pbm}, {@code benefit_pkr_min}), or
     * null. A list, an exact count, a DCI page or a notification filtered by it would tell who a partner serves to a
     * caller who does not see that; statistics take it through their suppression instead.
     */
    public String liveSetNotAllowed(Query q, java.util.function.Predicate<String> mayFilter) {
        for (Clause c : q.clauses()) {
            for (String b : c.bitmaps()) {
                if (live.bitmap(b) != null && !mayFilter.test(b)) {
                    return b.startsWith("benefit_") ? b.substring(0, b.indexOf('=')) : b;
                }
            }
        }
        return null;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public QueryParser parser() {
        return parser;
    }

    public QueryEngine engine() {
        return engine;
    }

    /** SHA-256 of the manifest (which holds every file's checksum): secret to whoever lacks the snapshot. */
    String manifestDigest() {
        return manifestDigest;
    }

    /** Ties cursors to this snapshot. */
    int snapshotTag() {
        return (int) Long.parseLong(manifestDigest.substring(0, 8), 16);
    }

    /**
     * The first address clause naming a unit not wholly inside {@code scope}, or null. Negated clauses only
     * narrow the result, so they may name any unit.
     */
    public Clause outsideScope(Query q, AreaScope scope) {
        if (scope.national()) {
            return null;
        }
        Geography geo = snapshot.geography();
        for (Clause c : q.clauses()) {
            if (c.geoLevel() != null && !c.negated()) {
                for (int code : c.geoCodes()) {
                    if (!scope.containsUnit(geo, c.geoLevel(), code)) {
                        return c;
                    }
                }
            }
        }
        return null;
    }

    /** {@code q} limited to the scope's area and, for Basic, to the sample. */
    public Query restrict(Query q, AreaScope scope, boolean basic) {
        Query out = q;
        if (!scope.national()) {
            out = out.and(new Clause("scope", false, List.of(HouseholdIndexer.geoName(scope.level(), scope.code())),
                    null, List.of()));
        }
        return basic ? out.and(BASIC_SAMPLE) : out;
    }
}
