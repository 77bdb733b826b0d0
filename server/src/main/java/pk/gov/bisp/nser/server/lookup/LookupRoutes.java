package pk.gov.bisp.nser.server.lookup;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.config.Operation;
import pk.gov.bisp.nser.server.config.Role;
import pk.gov.bisp.nser.server.config.User;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.JsonBytes;
import pk.gov.bisp.nser.server.projection.HouseholdWriter;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.Services;

/** {@code GET /v1/households/by-cnic/{cnic}}. One instance per event loop: its record and buffer are reused. */
public final class LookupRoutes {

    public static final String BY_CNIC = "/v1/households/by-cnic/:cnic";

    private final Services services;
    private final HouseholdRecord record = new HouseholdRecord();
    private final JsonBytes json = new JsonBytes(4_096);
    private HouseholdWriter writer;

    public LookupRoutes(Services services) {
        this.services = services;
    }

    public void mount(Router router) {
        router.get(BY_CNIC).handler(this::byCnic);
    }

    private void byCnic(RoutingContext ctx) {
        User user = services.auth().require(ctx, Operation.LOOKUP, Role.POWER, Role.STANDARD, Role.BASIC);
        if (user == null || !services.ready(ctx)) {
            return;
        }
        long cnic = Services.cnicParam(ctx);
        if (cnic < 0) {
            return;
        }
        Exchange.of(ctx).cnic(cnic);
        Snapshot s = services.registry().snapshot();
        if (!services.readByCnic(cnic, record)) {
            Problem.notFound(ctx, "cnic-not-found", "no household in the registry has CNIC " + Cnic.format(cnic));
            return;
        }
        if (!user.organisation().scope().containsUc(s.geography(), record.unionCouncil())) {
            Problem.forbidden(ctx, "outside-area-scope", "the household is outside organisation '"
                    + user.organisation().id() + "' area scope (" + user.organisation().scope() + ")");
            return;
        }
        if (writer == null) {
            writer = new HouseholdWriter(s.geography(), s.dictionary(), services.today());
        }
        int searched = record.memberIndexOf(cnic);
        Exchange.of(ctx).rows(1, HouseholdWriter.fieldClasses(user.role(), false));
        ctx.response().putHeader("ETag", "\"" + record.recordVersion() + "\""); // for If-Match on updates
        json.reset();
        writer.write(json, record, searched, user.role());
        Exchange.end(ctx, 200, "application/json", json.toBuffer());
    }
}
