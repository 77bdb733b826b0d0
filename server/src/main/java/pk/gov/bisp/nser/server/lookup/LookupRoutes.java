package pk.gov.bisp.nser.server.lookup;

import io.netty.util.AsciiString;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.NumberTexts;
import pk.gov.bisp.nser.server.http.PathParams;
import pk.gov.bisp.nser.server.http.PrefixRoutes;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.RouteGroup;
import pk.gov.bisp.nser.server.http.Today;
import pk.gov.bisp.nser.server.json.JsonBytes;
import pk.gov.bisp.nser.server.projection.HouseholdWriter;
import pk.gov.bisp.nser.server.registry.Registry;

/**
 * {@code GET /v1/households/by-cnic/{cnic}} and {@code GET /v1/households/{id}}. One instance per event loop: its
 * record and buffer are reused. Its group mounts the lookup by CNIC; {@link #byId()} is a group of its own, mounted
 * later.
 */
public final class LookupRoutes implements RouteGroup {

    public static final String BY_CNIC = "/v1/households/by-cnic/:cnic";
    /** By NSER household id: for Power and Standard callers that hold ids (from lists, or before an update). */
    public static final String BY_ID = "/v1/households/:id";

    /** The ETag header's name. */
    public static final AsciiString ETAG = AsciiString.cached("ETag");
    /** The ETags of record versions 0 to 255 (a household is rarely updated more often), each made once. */
    private static final NumberTexts ETAGS = new NumberTexts(256, v -> "\"" + v + "\"");

    /** Who may look up by CNIC, and by id (made once: a varargs call would make the array per request). */
    private static final Role[] BY_CNIC_ROLES = {Role.POWER, Role.STANDARD, Role.BASIC};
    private static final Role[] BY_ID_ROLES = {Role.POWER, Role.STANDARD};

    private final Registry registry;
    private final Authenticator auth;
    private final Today today;
    private final HouseholdRecord record = new HouseholdRecord();
    private final JsonBytes json = new JsonBytes(4_096);
    private HouseholdWriter writer;
    private Snapshot writerOf;
    private final HouseholdExtras extras;

    public LookupRoutes(Registry registry, Authenticator auth, Today today) {
        this(registry, auth, today, HouseholdExtras.NONE);
    }

    /** @param extras fields other features add to the household (what the caller may see of them) */
    public LookupRoutes(Registry registry, Authenticator auth, Today today, HouseholdExtras extras) {
        this.registry = registry;
        this.auth = auth;
        this.today = today;
        this.extras = extras;
    }

    /** Mounts {@link #BY_CNIC} on its prefix, not a regular expression ({@link PrefixRoutes#get}). */
    @Override
    public void mount(Router router) {
        PrefixRoutes.get(router, BY_CNIC).handler(this::byCnic);
    }

    /** The group of {@link #BY_ID}, to mount after the lists: {@code /v1/households/count} stays theirs. */
    public RouteGroup byId() {
        return router -> router.get(BY_ID).handler(this::byId);
    }

    private void byCnic(RoutingContext ctx) {
        User user = auth.require(ctx, Operation.LOOKUP, BY_CNIC_ROLES);
        if (user == null || !registry.ready(ctx)) {
            return;
        }
        long cnic = PathParams.cnic(ctx);
        if (cnic < 0) {
            return;
        }
        Exchange.of(ctx).cnic(cnic);
        Snapshot s = registry.snapshot();
        boolean found = registry.readByCnic(cnic, record);
        if (!found || !inScope(ctx, s, user)) {
            Problem.notFound(ctx, "cnic-not-found", "no household in the registry has CNIC " + Cnic.format(cnic));
            return;
        }
        send(ctx, s, user, record.memberIndexOf(cnic), false);
    }

    /**
     * A household by its NSER household id, projected as a lookup without a searched member: Power the complete
     * household; Standard the same fields as by CNIC but no CNIC at all. Basic callers see households only through
     * the fixed sample, under pseudonyms, so they are refused.
     */
    private void byId(RoutingContext ctx) {
        User user = auth.require(ctx, Operation.LOOKUP, BY_ID_ROLES);
        if (user == null || !registry.ready(ctx)) {
            return;
        }
        long id = PathParams.householdId(ctx);
        if (id < 0) {
            return;
        }
        Snapshot s = registry.snapshot();
        if (!registry.readById(id, record) || !inScope(ctx, s, user)) {
            Problem.notFound(ctx, "household-not-found", "no household in the registry has id " + id);
            return;
        }
        send(ctx, s, user, -1, true);
    }

    /**
     * Whether {@link #record} is in the caller's organisation's area. A household outside it is answered exactly as a
     * missing one (telling a scoped organisation that the CNIC exists elsewhere is itself a disclosure); the access
     * log alone records why ({@code reason: outside-area-scope}).
     */
    private boolean inScope(RoutingContext ctx, Snapshot s, User user) {
        if (user.organisation().scope().containsUc(s.geography(), record.unionCouncil())) {
            return true;
        }
        Exchange.of(ctx).reason(Exchange.OUTSIDE_AREA);
        return false;
    }

    /** The ETag of a record version, {@code "N"}: quoted, as If-Match takes it back (also an update's answer). */
    public static CharSequence etag(long version) {
        return ETAGS.of(version);
    }

    /** Answers with {@link #record} projected for the caller; {@code searched} is the member looked up, or -1. */
    private void send(RoutingContext ctx, Snapshot s, User user, int searched, boolean byId) {
        if (writer == null || writerOf != s) { // a fold swapped generations (issue 29): their own dictionaries
            writer = new HouseholdWriter(s.geography(), s.dictionary(), today);
            writerOf = s;
        }
        // by id nobody is searched: Standard then sees no CNIC, the field classes of a list row
        Exchange.of(ctx).rows(1, HouseholdWriter.fieldClasses(user.role(), byId));
        ctx.response().putHeader(ETAG, etag(record.recordVersion())); // for If-Match on updates
        json.reset();
        writer.write(json, record, searched, user.role());
        extras.write(json.reopenObject(), record.householdId(), user); // nothing at all when nothing may be seen
        json.endObject();
        Exchange.end(ctx, 200, "application/json", json.toPooledDirect());
    }
}
