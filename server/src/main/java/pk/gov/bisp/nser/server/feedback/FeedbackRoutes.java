package pk.gov.bisp.nser.server.feedback;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.http.BatchReplies;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.IdempotencyKey;
import pk.gov.bisp.nser.server.http.JsonResponse;
import pk.gov.bisp.nser.server.http.PathParams;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.RouteGroup;
import pk.gov.bisp.nser.server.projection.FieldClasses;
import pk.gov.bisp.nser.server.registry.Registry;

/**
 * {@code POST /v1/feedback/purchases} (one purchase or {@code {"purchases": [...]}}, answered 201 once fsynced)
 * and {@code GET /v1/feedback/purchases/{cnic}} (the household's summary of the caller's own organisation's
 * purchases; every organisation's for an admin with the audit operation). One instance per event loop.
 */
public final class FeedbackRoutes implements RouteGroup {

    public static final String PURCHASES = "/v1/feedback/purchases";
    public static final String SUMMARY = "/v1/feedback/purchases/:cnic";
    private static final Logger LOG = Logger.getLogger(FeedbackRoutes.class.getName());
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Role[] POSTERS = {Role.POS, Role.POWER, Role.STANDARD, Role.BASIC};

    private final Registry registry;
    private final Authenticator auth;
    private final PurchaseStore store;
    private final Set<String> programmes;
    private final int maxBatch;
    private final long maxBodyBytes;
    private final HouseholdRecord record = new HouseholdRecord();
    private final JsonResponse json = new JsonResponse();

    /**
     * @param programmes   the ids of the programmes a purchase may name
     * @param maxBatch     the most purchases in one post
     * @param maxBodyBytes the largest body read
     */
    public FeedbackRoutes(Registry registry, Authenticator auth, PurchaseStore purchases, Set<String> programmes,
                          int maxBatch, long maxBodyBytes) {
        this.registry = registry;
        this.auth = auth;
        this.store = purchases;
        this.programmes = programmes;
        this.maxBatch = maxBatch;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void mount(Router router) {
        router.post(PURCHASES).handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(this::post);
        router.get(SUMMARY).handler(this::summary);
    }

    private void post(RoutingContext ctx) {
        User user = auth.require(ctx, Operation.FEEDBACK, POSTERS);
        if (user == null || !registry.ready(ctx)) {
            return;
        }
        String key = ctx.request().getHeader(IdempotencyKey.HEADER);
        if (key != null && !IdempotencyKey.valid(ctx, key)) {
            return;
        }
        JsonNode root = BatchReplies.object(ctx, MAPPER, "one purchase, or {\"purchases\": [...]}");
        if (root == null) {
            return;
        }
        JsonNode list = root.get("purchases");
        int max = maxBatch;
        if (list != null && list.size() > max) {
            Problem.send(ctx, 422, "batch-too-large", "Batch too large", "the batch has " + list.size()
                    + " purchases; at most " + max + " per request");
            return;
        }
        FieldErrors errors = new FieldErrors();
        Snapshot s = registry.snapshot();
        long now = System.currentTimeMillis();
        List<Purchase> purchases = new PurchaseParser(programmes,
                cnic -> householdOf(ctx, s, cnic, user), now, errors).body(root);
        if (!errors.isEmpty()) {
            errors.send(ctx);
            return;
        }
        if (list == null) {
            Exchange.of(ctx).cnic(purchases.get(0).cnic());
        }
        PurchaseBatch batch = new PurchaseBatch(ctx.response().headers().get("X-Request-Id"), now,
                user.organisation().id(), user.id(), purchases, key,
                key == null ? null : IdempotencyKey.fingerprint(ctx));
        append(ctx, batch);
    }

    /** Journals {@code batch} (fsynced before the answer) and answers 201, its replay, or why it was refused. */
    private void append(RoutingContext ctx, PurchaseBatch batch) {
        try {
            store.append(batch, ctx.vertx().getOrCreateContext(), new PurchaseStore.Answer() {
                @Override
                public void accepted(long sequence, int count, boolean replayed) {
                    BatchReplies.accepted(ctx, json, sequence, count, replayed);
                }

                @Override
                public void reused() {
                    BatchReplies.reused(ctx, "Unprocessable purchases", "purchases");
                }

                @Override
                public void refused(Throwable cause) {
                    BatchReplies.journalRefused(ctx, cause, LOG, "feedback", "purchase journal", "purchases");
                }
            });
        } catch (IllegalArgumentException e) {
            BatchReplies.tooLarge(ctx, e, "purchases");
        }
    }


    private void summary(RoutingContext ctx) {
        User peeked = auth.peek(ctx);
        boolean audit = peeked != null && peeked.role() == Role.ADMIN;
        User user = audit ? auth.require(ctx, Operation.AUDIT, Role.ADMIN)
                : auth.require(ctx, Operation.FEEDBACK, POSTERS);
        if (user == null || !registry.ready(ctx)) {
            return;
        }
        Exchange.of(ctx).operation(Operation.FEEDBACK.key()); // an audit read is still a feedback request in the log
        long cnic = PathParams.cnic(ctx);
        if (cnic < 0) {
            return;
        }
        Exchange.of(ctx).cnic(cnic);
        long household = householdOf(ctx, registry.snapshot(), cnic, user);
        Summaries all = store.summaries();
        Map<String, Tally> tallies;
        if (household < 0) {
            tallies = Map.of();
        } else if (audit) {
            tallies = all.all(household);
        } else {
            Tally own = all.of(household, user.organisation().id());
            tallies = own == null ? Map.of() : Map.of(user.organisation().id(), own);
        }
        if (tallies.isEmpty()) {
            Problem.notFound(ctx, "no-purchases", (audit ? "no organisation has" : "organisation '"
                    + user.organisation().id() + "' has not") + " posted purchases for the household of CNIC "
                    + Cnic.format(cnic));
            return;
        }
        Exchange.of(ctx).rows(0, FieldClasses.CONFIDENTIAL | FieldClasses.SECRET | (audit ? FieldClasses.PUBLIC : 0));
        json.send(ctx, 200, g -> SummaryWriter.write(g, cnic, audit ? household : -1, tallies));
    }

    /**
     * The household id of a CNIC within the caller's area scope, or -1: a household outside it is as missing as one
     * that does not exist (the access log alone records why).
     */
    private long householdOf(RoutingContext ctx, Snapshot s, long cnic, User user) {
        if (!registry.readByCnic(cnic, record)) {
            return -1;
        }
        if (!user.organisation().scope().containsUc(s.geography(), record.unionCouncil())) {
            Exchange.of(ctx).reason(Exchange.OUTSIDE_AREA);
            return -1;
        }
        return record.householdId();
    }
}
