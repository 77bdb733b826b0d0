package pk.gov.bisp.nser.server.eligibility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.index.MemberSummary;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.PathParams;
import pk.gov.bisp.nser.server.http.PrefixRoutes;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.RouteGroup;
import pk.gov.bisp.nser.server.http.Today;
import pk.gov.bisp.nser.server.json.JsonBytes;
import pk.gov.bisp.nser.server.projection.FieldClasses;
import pk.gov.bisp.nser.server.registry.Registry;

/**
 * {@code GET /v1/eligibility/{programme}/{cnic}} and {@code POST /v1/eligibility/{programme}} (a batch of
 * CNICs): yes or no with a reason code, the programme and the PMT model version, never personal data. Its group
 * mounts the single check among the hottest routes, then the batch ({@link #mountBatch}).
 */
public final class EligibilityRoutes implements RouteGroup {

    public static final String SINGLE = "/v1/eligibility/:programme/:cnic";
    public static final String BATCH = "/v1/eligibility/:programme";
    /** A key given twice ({@code {"cnics": [..], "cnics": [..]}}) is refused, not resolved by the last one. */
    private static final ObjectMapper MAPPER = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** Who may check eligibility (made once: a varargs call would make the array per request). */
    private static final Role[] ASKERS = {Role.POS, Role.POWER, Role.STANDARD};
    private static final JsonBytes.Name PROGRAMME = JsonBytes.name("programme");
    private static final JsonBytes.Name ELIGIBLE = JsonBytes.name("eligible");
    private static final JsonBytes.Name REASON = JsonBytes.name("reason");
    private static final JsonBytes.Name MODEL_VERSION = JsonBytes.name("pmt_model_version");
    private static final JsonBytes.Name RESULTS = JsonBytes.name("results");
    private static final JsonBytes.Name CNIC = JsonBytes.name("cnic");
    private static final JsonBytes.Text[] REASONS = JsonBytes.texts(
            java.util.Arrays.stream(Reason.values()).map(Reason::name).toArray(String[]::new));

    private final Registry registry;
    private final Authenticator auth;
    private final Today today;
    private final java.util.Map<String, Programme> programmes;
    private final int maxBatch;
    private final long maxBodyBytes;
    private final HouseholdRecord record = new HouseholdRecord();
    private final MemberSummary summary = new MemberSummary();
    /** The answers, written with pre-encoded names and values; the batch's grows to its largest answer. */
    private final JsonBytes single = new JsonBytes(256);
    private final JsonBytes batch = new JsonBytes(16 * 1024);
    /** Whether the last {@link #decide} found the household outside the caller's area. */
    private boolean outside;
    /** Each programme's id, pre-encoded. */
    private final java.util.Map<String, JsonBytes.Text> programmeIds = new java.util.HashMap<>();

    /**
     * @param programmes   the programmes partners may ask about, by id
     * @param maxBatch     the most CNICs in one batch
     * @param maxBodyBytes the largest batch body read
     */
    public EligibilityRoutes(Registry registry, Authenticator auth, Today today,
                             java.util.Map<String, Programme> programmes, int maxBatch, long maxBodyBytes) {
        this.registry = registry;
        this.auth = auth;
        this.today = today;
        this.programmes = programmes;
        this.maxBatch = maxBatch;
        this.maxBodyBytes = maxBodyBytes;
        programmes.keySet().forEach(id -> programmeIds.put(id, JsonBytes.text(id)));
    }

    /** Mounts the single check ({@link #mountSingle}), then the batch ({@link #mountBatch}), in that order. */
    @Override
    public void mount(Router router) {
        mountSingle(router);
        mountBatch(router);
    }

    /**
     * Mounts {@link #SINGLE}, among the hottest routes, on its prefix ({@link PrefixRoutes#get}). The handler
     * splits programme and CNIC itself, and a path that is not {@code programme/cnic} goes on to the other routes
     * (405 for the batch's path, else 404).
     */
    private void mountSingle(Router router) {
        PrefixRoutes.get(router, SINGLE).handler(this::single);
    }

    /**
     * Mounts {@link #BATCH}: after the point lookups. The router matches a parameterised path by regex whatever
     * the method, so a POST route mounted before them would cost every lookup a matcher.
     */
    private void mountBatch(Router router) {
        router.post(BATCH).handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(this::batch);
    }

    /** Who asks about which programme; null once an error has been answered. */
    private record Check(User user, Programme programme) {
    }

    /** Authenticates, finds the programme and checks readiness, answering the error itself if any fails. */
    private Check begin(RoutingContext ctx, String id) {
        User user = auth.require(ctx, Operation.ELIGIBILITY, ASKERS);
        if (user == null) {
            return null;
        }
        Programme p = programmes.get(id);
        if (p == null) {
            Problem.notFound(ctx, "unknown-programme", "no programme '" + Problem.printable(id)
                    + "'; known: " + programmes.keySet());
            return null;
        }
        return registry.ready(ctx) ? new Check(user, p) : null;
    }

    private void single(RoutingContext ctx) {
        String rest = PrefixRoutes.afterPrefix(ctx); // programme/cnic
        int slash = rest.indexOf('/');
        if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) {
            ctx.next(); // not programme/cnic: as if no GET route had taken it
            return;
        }
        Check check = begin(ctx, rest.substring(0, slash));
        long cnic = check == null ? -1 : PathParams.cnic(ctx, rest.substring(slash + 1));
        if (cnic < 0) {
            return;
        }
        Programme p = check.programme();
        Snapshot s = registry.snapshot();
        Exchange.of(ctx).cnic(cnic).rows(1, FieldClasses.PUBLIC);
        Reason reason = shown(decide(s, p, cnic, check.user()), check.user());
        if (outside) {
            Exchange.of(ctx).reason(Exchange.OUTSIDE_AREA);
        }
        single.reset();
        single.startObject()
                .field(PROGRAMME).value(programmeIds.computeIfAbsent(p.id(), JsonBytes::text))
                .field(ELIGIBLE).value(reason.eligible())
                .field(REASON).value(REASONS[reason.ordinal()])
                .field(MODEL_VERSION).value(s.manifest().pmtModelVersion())
                .endObject();
        Exchange.end(ctx, 200, "application/json", single.toPooledDirect());
    }

    private void batch(RoutingContext ctx) {
        Check check = begin(ctx, ctx.pathParam("programme"));
        if (check == null) {
            return;
        }
        Programme p = check.programme();
        User user = check.user();
        JsonNode cnics;
        try {
            JsonNode body = MAPPER.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
            cnics = body == null ? null : body.get("cnics");
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage();
            Problem.badRequest(ctx, "invalid-json", "the body is not valid JSON (" + Problem.printable(why)
                    + "): expected {\"cnics\": [\"...\"]}");
            return;
        }
        if (cnics == null || !cnics.isArray()) {
            Problem.badRequest(ctx, "invalid-batch", "expected a JSON body {\"cnics\": [\"12345-1234567-1\", ...]}");
            return;
        }
        int max = maxBatch;
        if (cnics.size() > max) {
            Problem.send(ctx, 422, "batch-too-large", "Batch too large", "the batch has " + cnics.size()
                    + " CNICs; at most " + max + " per request");
            return;
        }
        Snapshot s = registry.snapshot();
        Exchange.of(ctx).rows(cnics.size(), FieldClasses.PUBLIC);
        boolean anyOutside = false;
        batch.reset();
        batch.startObject()
                .field(PROGRAMME).value(programmeIds.computeIfAbsent(p.id(), JsonBytes::text))
                .field(MODEL_VERSION).value(s.manifest().pmtModelVersion())
                .field(RESULTS).startArray();
        for (JsonNode c : cnics) {
            String raw = c.isTextual() ? c.asText() : c.toString();
            long cnic = Cnic.tryParse(raw);
            Reason reason = cnic < 0 ? Reason.INVALID_CNIC : shown(decide(s, p, cnic, user), user);
            anyOutside |= outside;
            batch.startObject()
                    .field(CNIC).value(raw.length() > 32 ? raw.substring(0, 32) : raw)
                    .field(ELIGIBLE).value(reason.eligible())
                    .field(REASON).value(REASONS[reason.ordinal()])
                    .endObject();
        }
        batch.endArray().endObject();
        if (anyOutside) {
            Exchange.of(ctx).reason(Exchange.OUTSIDE_AREA);
        }
        Exchange.end(ctx, 200, "application/json", batch.toPooledDirect());
    }

    /**
     * The programme's answer for one CNIC. Outside the caller's area scope reads as not found ({@link #outside} then
     * tells the access log why).
     */
    Reason decide(Snapshot s, Programme p, long cnic, User user) {
        outside = false;
        if (!registry.readByCnic(cnic, record)) {
            return Reason.NOT_FOUND;
        }
        if (!user.organisation().scope().containsUc(s.geography(), record.unionCouncil())) {
            outside = true;
            return Reason.NOT_FOUND;
        }
        return p.rule().decide(record, summary.of(record, today.get()));
    }

    /** The reason as {@code user} may be told it: in full for Power, who sees the attributes behind it. */
    private static Reason shown(Reason r, User user) {
        return user.role() == Role.POWER ? r : r.coarse();
    }
}
