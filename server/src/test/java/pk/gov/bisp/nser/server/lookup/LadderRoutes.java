package pk.gov.bisp.nser.server.lookup;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.PathParams;
import pk.gov.bisp.nser.server.http.PrefixRoutes;
import pk.gov.bisp.nser.server.http.RouteGroup;
import pk.gov.bisp.nser.server.projection.HouseholdWriter;
import pk.gov.bisp.nser.server.registry.Registry;

/**
 * EXPERIMENT ONLY, in the tests' sources, never part of the product ({@code loadtest/ladder.sh} serves it through
 * {@code LadderMain}): the steps between {@code /health/live} and {@code GET /v1/households/by-cnic/{cnic}}, each
 * adding one part of the lookup, so that their ratios to {@code /health/live} on one server show what each part
 * costs.
 */
public final class LadderRoutes implements RouteGroup {

    /** A Power answer's mean size at 1M households (2,786 bytes), as a constant JSON body. */
    static final Buffer BODY = Buffer.buffer("{\"pad\":\"" + "a".repeat(2_786 - 10) + "\"}");
    private static final Role[] ROLES = {Role.POWER, Role.STANDARD, Role.BASIC};

    private final Registry registry;
    private final Authenticator auth;
    private final HouseholdRecord record = new HouseholdRecord();

    public LadderRoutes(Registry registry, Authenticator auth) {
        this.registry = registry;
        this.auth = auth;
    }

    @Override
    public void mount(Router router) {
        // the no-op with the lookup's answer size: matched by its exact path, as /health/live is
        router.get("/ladder/pad").handler(ctx -> {
            Exchange.of(ctx).operation("health");
            Exchange.end(ctx, 200, "application/json", BODY);
        });
        PrefixRoutes.get(router, "/ladder/auth/:cnic").handler(ctx -> step(ctx, false));
        PrefixRoutes.get(router, "/ladder/read/:cnic").handler(ctx -> step(ctx, true));
    }

    /**
     * As the lookup up to its JSON: the API key, the CNIC parameter, the access record's fields, the ETag header;
     * with {@code read}, also the two reads and the area-scope check. Answers the constant body.
     */
    private void step(RoutingContext ctx, boolean read) {
        User user = auth.require(ctx, Operation.LOOKUP, ROLES);
        if (user == null || !registry.ready(ctx)) {
            return;
        }
        long cnic = PathParams.cnic(ctx);
        if (cnic < 0) {
            return;
        }
        Exchange.of(ctx).cnic(cnic);
        Snapshot s = registry.snapshot();
        long version = 1;
        if (read && registry.readByCnic(cnic, record)
                && user.organisation().scope().containsUc(s.geography(), record.unionCouncil())) {
            version = record.recordVersion();
        }
        Exchange.of(ctx).rows(1, HouseholdWriter.fieldClasses(user.role(), false));
        ctx.response().putHeader("ETag", "\"" + version + "\"");
        Exchange.end(ctx, 200, "application/json", BODY);
    }
}
