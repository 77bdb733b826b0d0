package pk.gov.bisp.nser.server.exchange;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.index.MemberSummary;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.config.ExchangeOptions;
import pk.gov.bisp.nser.server.eligibility.Programme;
import pk.gov.bisp.nser.server.feedback.FieldErrors;
import pk.gov.bisp.nser.server.http.BatchReplies;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.IdempotencyKey;
import pk.gov.bisp.nser.server.http.JsonResponse;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.RouteGroup;
import pk.gov.bisp.nser.server.http.Today;
import pk.gov.bisp.nser.server.projection.FieldClasses;
import pk.gov.bisp.nser.server.registry.Registry;

/**
 * The two-way exchange with partner programmes: {@code POST /v1/exchange/enrolments} ({@code {"enrolments": [...]}})
 * and {@code POST /v1/exchange/benefits} ({@code {"benefits": [...]}}), answered 201 once fsynced, and
 * {@code GET /v1/exchange/enrolments?since=POSITION}, the change feed of the caller's own enrolments with each
 * household's current registry status (PMT band, eligibility for the enrolling programme), and an entry
 * ({@code "event": "registry_change"}) whenever a live update changed that status for a household it enrols. A partner posts only for
 * the programmes its agreement names and only for households in its area. One instance per event loop.
 */
public final class ExchangeRoutes implements RouteGroup {

    public static final String ENROLMENTS = "/v1/exchange/enrolments";
    public static final String BENEFITS = "/v1/exchange/benefits";
    /** The most feed entries in one answer, and the default. */
    static final int MAX_LIMIT = 10_000;
    static final int DEFAULT_LIMIT = 1_000;
    /** The width of a PMT band in the feed, in hundredths. */
    static final int BAND_HUNDREDTHS = 500;
    private static final Logger LOG = Logger.getLogger(ExchangeRoutes.class.getName());
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Role[] PARTNERS = {Role.POWER, Role.STANDARD, Role.BASIC};

    private final Registry registry;
    private final Authenticator auth;
    private final Today today;
    private final ExchangeStore store;
    private final ExchangeOptions options;
    private final Map<String, Programme> programmes;
    private final Function<User, Set<String>> partnerProgrammes;
    private final int maxBatch;
    private final long maxBodyBytes;
    private final HouseholdRecord record = new HouseholdRecord();
    private final MemberSummary summary = new MemberSummary();
    private final JsonResponse json = new JsonResponse();

    /**
     * @param programmes   every configured programme, by id (a partner's for its eligibility in the feed)
     * @param maxBatch     the most items in one post
     * @param maxBodyBytes the largest body read
     */
    public ExchangeRoutes(Registry registry, Authenticator auth, Today today, ExchangeStore store,
                          ExchangeOptions options, Map<String, Programme> programmes, int maxBatch,
                          long maxBodyBytes) {
        this(registry, auth, today, store, options, programmes, u -> options.programmesOf(u.organisation().id()),
                maxBatch, maxBodyBytes);
    }

    /**
     * @param partnerProgrammes the programmes a user may post for: those its agreement names (the live agreements')
     */
    public ExchangeRoutes(Registry registry, Authenticator auth, Today today, ExchangeStore store,
                          ExchangeOptions options, Map<String, Programme> programmes,
                          Function<User, Set<String>> partnerProgrammes, int maxBatch, long maxBodyBytes) {
        this.partnerProgrammes = partnerProgrammes;
        this.registry = registry;
        this.auth = auth;
        this.today = today;
        this.store = store;
        this.options = options;
        this.programmes = programmes;
        this.maxBatch = maxBatch;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void mount(Router router) {
        router.post(ENROLMENTS).handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(ctx -> post(ctx, true));
        router.post(BENEFITS).handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(ctx -> post(ctx, false));
        router.get(ENROLMENTS).handler(this::feed);
    }

    private void post(RoutingContext ctx, boolean enrolments) {
        User user = auth.require(ctx, Operation.EXCHANGE, PARTNERS);
        if (user == null || !registry.ready(ctx)) {
            return;
        }
        String key = ctx.request().getHeader(IdempotencyKey.HEADER);
        if (key != null && !IdempotencyKey.valid(ctx, key)) {
            return;
        }
        JsonNode root = BatchReplies.object(ctx, MAPPER, "{\"enrolments\": [...]} or {\"benefits\": [...]}");
        if (root == null) {
            return;
        }
        FieldErrors errors = new FieldErrors(enrolments ? "Invalid enrolments" : "Invalid benefits");
        Snapshot s = registry.snapshot();
        ExchangeParser parser = new ExchangeParser(partnerProgrammes.apply(user),
                households(ctx, s, user), today.get(), errors);
        List<Enrolment> es = enrolments ? parser.enrolments(root, maxBatch) : List.of();
        List<Benefit> bs = enrolments ? List.of() : parser.benefits(root, maxBatch);
        if (!errors.isEmpty()) {
            errors.send(ctx);
            return;
        }
        ExchangeBatch batch = new ExchangeBatch(ctx.response().headers().get("X-Request-Id"),
                System.currentTimeMillis(), user.organisation().id(), user.id(), es, bs, key,
                key == null ? null : IdempotencyKey.fingerprint(ctx));
        append(ctx, batch);
    }

    private ExchangeParser.Households households(RoutingContext ctx, Snapshot s, User user) {
        return new ExchangeParser.Households() {
            @Override
            public long ofCnic(long cnic) {
                return registry.readByCnic(cnic, record) && inArea(ctx, s, user) ? record.householdId() : -1;
            }

            @Override
            public boolean visible(long householdId) {
                return registry.readById(householdId, record) && inArea(ctx, s, user);
            }
        };
    }

    /** Whether the household in {@link #record} is in the caller's area; if not, the access log says so. */
    private boolean inArea(RoutingContext ctx, Snapshot s, User user) {
        if (user.organisation().scope().containsUc(s.geography(), record.unionCouncil())) {
            return true;
        }
        Exchange.of(ctx).reason(Exchange.OUTSIDE_AREA);
        return false;
    }

    /** Journals {@code batch} (fsynced before the answer) and answers 201, its replay, or why it was refused. */
    private void append(RoutingContext ctx, ExchangeBatch batch) {
        try {
            store.append(batch, ctx.vertx().getOrCreateContext(), new ExchangeStore.Answer() {
                @Override
                public void accepted(long sequence, int count, boolean replayed) {
                    BatchReplies.accepted(ctx, json, sequence, count, replayed);
                }

                @Override
                public void reused() {
                    BatchReplies.reused(ctx, "Unprocessable request", "items");
                }

                @Override
                public void refused(Throwable cause) {
                    BatchReplies.journalRefused(ctx, cause, LOG, "exchange", "exchange journal", "items");
                }
            });
        } catch (IllegalArgumentException e) {
            BatchReplies.tooLarge(ctx, e, "items");
        }
    }


    /** {@code GET /v1/exchange/enrolments?since=POSITION&limit=N}: the caller's own enrolments after a position. */
    private void feed(RoutingContext ctx) {
        User user = auth.require(ctx, Operation.EXCHANGE, PARTNERS);
        if (user == null || !registry.ready(ctx)) {
            return;
        }
        for (String name : ctx.queryParams().names()) {
            if (!name.equals("since") && !name.equals("limit") || ctx.queryParams().getAll(name).size() > 1) {
                Problem.badRequest(ctx, "invalid-parameter", "'" + Problem.printable(name) + "': this route takes "
                        + "since (a position, 0 for the start) and limit (1.." + MAX_LIMIT + "), each once");
                return;
            }
        }
        long since = number(ctx, "since", 0, Long.MAX_VALUE, 0);
        long limit = since < 0 ? -1 : number(ctx, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        if (since < 0 || limit < 0) {
            return;
        }
        ExchangeState state = store.state();
        long head = state.head();
        if (since > head) {
            Problem.badRequest(ctx, "position-ahead", "since=" + since + " is after the newest position " + head);
            return;
        }
        ExchangeState.FeedPage page = state.since(user.organisation().id(), since, (int) limit);
        Snapshot s = registry.snapshot();
        LocalDate day = today.get();
        Exchange.of(ctx).rows(page.entries().size(), FieldClasses.CONFIDENTIAL | FieldClasses.SECRET);
        json.send(ctx, 200, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("enrolments");
            for (ExchangeState.FeedEntry f : page.entries()) {
                entry(g, f, s, user, day);
            }
            g.writeEndArray();
            g.writeNumberField("next_position", page.nextPosition());
            g.writeNumberField("head_position", head);
            g.writeEndObject();
        });
    }

    private void entry(JsonGenerator g, ExchangeState.FeedEntry f, Snapshot s, User user, LocalDate day)
            throws IOException {
        Enrolment e = f.enrolment();
        g.writeStartObject();
        g.writeNumberField("position", f.position());
        g.writeStringField("event", f.rescored() == null ? "enrolment" : "registry_change");
        g.writeNumberField("household_id", e.householdId());
        if (e.cnic() >= 0) {
            g.writeStringField("cnic", Cnic.format(e.cnic()));
        }
        g.writeStringField("programme", e.programme());
        g.writeStringField("status", e.status());
        g.writeStringField("date", e.date().toString());
        g.writeStringField(f.rescored() == null ? "posted_at" : "changed_at",
                java.time.Instant.ofEpochMilli(f.at()).toString());
        if (registry.readById(e.householdId(), record)
                && user.organisation().scope().containsUc(s.geography(), record.unionCouncil())) {
            if (f.rescored() != null) { // what the live update made of it, as journaled then
                g.writeObjectFieldStart("changed");
                g.writeStringField("pmt_band", f.rescored().pmtBand());
                if (f.rescored().eligible() != null) {
                    g.writeBooleanField("eligible", f.rescored().eligible());
                }
                g.writeEndObject();
            }
            g.writeObjectFieldStart("registry");
            g.writeStringField("pmt_band", band(record.pmtHundredths()));
            Programme p = programmes.get(e.programme());
            if (p != null) {
                g.writeBooleanField("eligible", p.rule().decide(record, summary.of(record, day)).eligible());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** A score's 5-point band: {@code "20-25"} (the top band {@code "95-100"}). */
    static String band(int hundredths) {
        int lo = Math.min(hundredths / BAND_HUNDREDTHS, 100 / (BAND_HUNDREDTHS / 100) - 1) * (BAND_HUNDREDTHS / 100);
        return lo + "-" + (lo + BAND_HUNDREDTHS / 100);
    }

    /** A whole-number query parameter in [min, max], its default when absent, or -1 after a 400. */
    private static long number(RoutingContext ctx, String name, long min, long max, long dflt) {
        String raw = ctx.queryParams().get(name);
        if (raw == null) {
            return dflt;
        }
        try {
            long v = Long.parseLong(raw);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the 400
        }
        Problem.badRequest(ctx, "invalid-" + name, name + "='" + Problem.printable(raw) + "' must be a whole number "
                + min + ".." + (max == Long.MAX_VALUE ? "" : Long.toString(max)));
        return -1;
    }
}
