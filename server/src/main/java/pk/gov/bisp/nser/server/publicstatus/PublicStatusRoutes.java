package pk.gov.bisp.nser.server.publicstatus;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.index.MemberSummary;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.server.eligibility.Programme;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.PathParams;
import pk.gov.bisp.nser.server.http.PrefixRoutes;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.RouteGroup;
import pk.gov.bisp.nser.server.http.Today;
import pk.gov.bisp.nser.server.json.JsonBytes;
import pk.gov.bisp.nser.server.projection.FieldClasses;
import pk.gov.bisp.nser.server.registry.Registry;

/** {@code GET /public/v1/status/{cnic}} and the page at {@code GET /}. No key; a fair-usage limit per IP. */
public final class PublicStatusRoutes implements RouteGroup {

    public static final String STATUS = "/public/v1/status/:cnic";
    public static final String PAGE = "/";

    /** What the public may learn: the main programme's answer and nothing else. */
    public enum Status { ELIGIBLE, NOT_ELIGIBLE, NOT_FOUND }

    private static final JsonBytes.Name STATUS_FIELD = JsonBytes.name("status");
    private static final JsonBytes.Text[] STATUSES = JsonBytes.texts(
            java.util.Arrays.stream(Status.values()).map(Status::name).toArray(String[]::new));

    private final Registry registry;
    private final Admission admission;
    private final Today today;
    private final Programme programme;
    private final HouseholdRecord record = new HouseholdRecord();
    private final MemberSummary summary = new MemberSummary();
    private final JsonBytes json = new JsonBytes(64);

    /** @param programme the programme the public status answers for (the configuration's public programme) */
    public PublicStatusRoutes(Registry registry, Admission admission, Today today, Programme programme) {
        this.registry = registry;
        this.admission = admission;
        this.today = today;
        this.programme = programme;
    }

    @Override
    public void mount(Router router) {
        PrefixRoutes.get(router, STATUS).handler(this::status);
        router.get(PAGE).handler(this::page);
    }

    /** Takes a token for the caller; on refusal answers 429 (JSON or page) and returns false. */
    private boolean allowed(RoutingContext ctx, boolean page, String lang, String cnic) {
        FairUsage.Decision d = admission.admit(ctx);
        if (d.allowed()) {
            return true;
        }
        if (page) {
            StatusPage.send(ctx, 429, lang, cnic, StatusPage.Outcome.LIMIT, d.retryAfterSeconds());
        } else {
            Problem.send(ctx, 429, "fair-usage-limit", "Too many requests", "the fair-usage limit is "
                    + d.limit() + " lookups a minute per address; try again in " + d.retryAfterSeconds() + " s");
        }
        return false;
    }

    private void status(RoutingContext ctx) {
        Exchange.of(ctx).operation("public-status");
        if (!allowed(ctx, false, "en", "") || !registry.ready(ctx)) {
            return;
        }
        long cnic = PathParams.cnic(ctx);
        if (cnic < 0) {
            return;
        }
        Exchange.of(ctx).cnic(cnic).rows(0, FieldClasses.PUBLIC);
        Status s = lookup(cnic);
        json.reset();
        json.startObject().field(STATUS_FIELD).value(STATUSES[s.ordinal()]).endObject();
        Exchange.end(ctx, 200, "application/json", json.toPooledDirect());
    }

    private void page(RoutingContext ctx) {
        Exchange.of(ctx).operation("public-page");
        String lang;
        String raw;
        try {
            lang = "ur".equals(ctx.request().getParam("lang")) ? "ur" : "en";
            raw = ctx.request().getParam("cnic");
        } catch (IllegalArgumentException malformedQuery) {
            StatusPage.send(ctx, 400, "en", "", StatusPage.Outcome.INVALID, 0);
            return;
        }
        if (raw == null) {
            StatusPage.send(ctx, 200, lang, "", StatusPage.Outcome.NONE, 0);
            return;
        }
        raw = raw.trim();
        if (!allowed(ctx, true, lang, raw)) {
            return;
        }
        long cnic = Cnic.tryParse(raw);
        if (cnic < 0) {
            StatusPage.send(ctx, 400, lang, raw, StatusPage.Outcome.INVALID, 0);
            return;
        }
        if (!registry.ready()) {
            StatusPage.send(ctx, 503, lang, raw, StatusPage.Outcome.UNAVAILABLE, 0);
            return;
        }
        StatusPage.Outcome o = switch (lookup(cnic)) {
            case ELIGIBLE -> StatusPage.Outcome.ELIGIBLE;
            case NOT_ELIGIBLE -> StatusPage.Outcome.NOT_ELIGIBLE;
            case NOT_FOUND -> StatusPage.Outcome.NOT_FOUND;
        };
        StatusPage.send(ctx, 200, lang, raw, o, 0);
    }

    private Status lookup(long cnic) {
        if (!registry.readByCnic(cnic, record)) {
            return Status.NOT_FOUND;
        }
        return programme.rule().decide(record, summary.of(record, today.get())).eligible()
                ? Status.ELIGIBLE : Status.NOT_ELIGIBLE;
    }
}
