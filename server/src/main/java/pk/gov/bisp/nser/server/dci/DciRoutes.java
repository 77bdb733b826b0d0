package pk.gov.bisp.nser.server.dci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.roaringbitmap.RoaringBitmap;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.caller.AreaScope;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.config.DciOptions;
import pk.gov.bisp.nser.server.config.SearchOptions;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.RouteGroup;
import pk.gov.bisp.nser.server.http.Today;
import pk.gov.bisp.nser.server.json.JsonBytes;
import pk.gov.bisp.nser.server.projection.DciGroupWriter;
import pk.gov.bisp.nser.server.projection.HouseholdWriter;
import pk.gov.bisp.nser.server.projection.SampleCells;
import pk.gov.bisp.nser.server.registry.Registry;
import pk.gov.bisp.nser.server.search.Pseudonyms;
import pk.gov.bisp.nser.server.search.SearchContext;

/**
 * The DCI Social Registry API v1.0.0 ({@code ../shared/dci/social_api_v1.0.0.yaml}): {@code POST
 * /registry/sync/search}, answered with the {@code on-search} message. Every request goes through the native API's
 * rules: the bearer key decides the caller ({@link Authenticator}), each household is projected by the role's
 * native projection ({@link HouseholdWriter}, then mapped by {@link Records}), the organisation's area scope and
 * Basic's sample narrow every query, page sizes are bounded by the role's row limit, every household row is billed
 * ({@code Billed-Rows}, {@code Billed-Amount}) and the request is written to the access log with the consent and
 * purposes its criteria stated. An {@code idtype-value} search is billed as a lookup, any other as a search.
 *
 * <p>Errors take the contract's shapes: a missing or bad key, a role or operation not allowed and an exhausted
 * monthly limit the {@code HttpErrorResponse} body ({@code {"errors": [{"code": "err.request.unauthorized", ..}]}});
 * a body that is not a DCI message the same body with {@code err.request.bad} (400); a header problem the
 * {@code on-search} envelope with header status {@code rjct} and a header code ({@code rjct.action.invalid}, ...)
 * (400); a problem of one search criterion that item's {@code status: rjct} and its {@code status_reason_code}
 * ({@code rjct.search_criteria.invalid} naming the attribute or operator, {@code rjct.sort.invalid},
 * {@code rjct.pagination.invalid}, ...) in a 200 answer, the other items answered.
 *
 * <p>One instance per event loop: its record, writer and buffer are reused. Lookups are answered on the event loop
 * (as the native lookup); searches are evaluated on a worker thread, then written on the event loop.
 */
public final class DciRoutes implements RouteGroup {

    public static final String SYNC_SEARCH = "/registry/sync/search";
    public static final String SYNC_TXN_STATUS = "/registry/sync/txn/status";
    /** The asynchronous search: ACK at once, then the on-search message POSTed to the caller's sender_uri. */
    public static final String SEARCH = "/registry/search";
    /** The asynchronous txn status: ACK, then the txn-on-status message POSTed to sender_uri's txn/on-status. */
    public static final String TXN_STATUS = "/registry/txn/status";
    /** Subscribes to household changes: ACK, then on-subscribe; later a notify per matching change. */
    public static final String SUBSCRIBE = "/registry/subscribe";
    /** Cancels subscriptions: ACK, then on-unsubscribe. */
    public static final String UNSUBSCRIBE = "/registry/unsubscribe";
    /** This registry's {@code sender_id} in its answers. */
    public static final String REGISTRY_ID = "nser.bisp.gov.pk";
    static final String REG_TYPE = "ns:org:RegistryType:Social";
    static final String VERSION = "1.0.0";

    private static final Logger LOG = Logger.getLogger(DciRoutes.class.getName());
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Role[] ROLES = {Role.POWER, Role.STANDARD, Role.BASIC};
    /** The HTTP error body of the contract ({@code HttpErrorResponse}). */
    static final String JSON = "application/json";

    /** The answer's names and constant values, encoded once. */
    private static final JsonBytes.Name N_HEADER = JsonBytes.name("header");
    private static final JsonBytes.Name N_TOTAL_COUNT = JsonBytes.name("total_count");
    private static final JsonBytes.Name N_COMPLETED_COUNT = JsonBytes.name("completed_count");
    private static final JsonBytes.Name N_MESSAGE = JsonBytes.name("message");
    private static final JsonBytes.Name N_TRANSACTION_ID = JsonBytes.name("transaction_id");
    private static final JsonBytes.Name N_CORRELATION_ID = JsonBytes.name("correlation_id");
    private static final JsonBytes.Name N_SEARCH_RESPONSE = JsonBytes.name("search_response");
    private static final JsonBytes.Name N_REFERENCE_ID = JsonBytes.name("reference_id");
    private static final JsonBytes.Name N_TIMESTAMP = JsonBytes.name("timestamp");
    private static final JsonBytes.Name N_STATUS = JsonBytes.name("status");
    private static final JsonBytes.Name N_STATUS_REASON_CODE = JsonBytes.name("status_reason_code");
    private static final JsonBytes.Name N_STATUS_REASON_MESSAGE = JsonBytes.name("status_reason_message");
    private static final JsonBytes.Name N_LOCALE = JsonBytes.name("locale");
    private static final JsonBytes.Name N_DATA = JsonBytes.name("data");
    private static final JsonBytes.Name N_VERSION = JsonBytes.name("version");
    private static final JsonBytes.Name N_REG_TYPE = JsonBytes.name("reg_type");
    private static final JsonBytes.Name N_REG_RECORD_TYPE = JsonBytes.name("reg_record_type");
    private static final JsonBytes.Name N_REG_RECORDS = JsonBytes.name("reg_records");
    private static final JsonBytes.Name N_PAGINATION = JsonBytes.name("pagination");
    private static final JsonBytes.Name N_PAGE_SIZE = JsonBytes.name("page_size");
    private static final JsonBytes.Name N_PAGE_NUMBER = JsonBytes.name("page_number");
    private static final JsonBytes.Name N_MESSAGE_ID = JsonBytes.name("message_id");
    private static final JsonBytes.Name N_MESSAGE_TS = JsonBytes.name("message_ts");
    private static final JsonBytes.Name N_ACTION = JsonBytes.name("action");
    private static final JsonBytes.Name N_SENDER_ID = JsonBytes.name("sender_id");
    private static final JsonBytes.Name N_RECEIVER_ID = JsonBytes.name("receiver_id");
    private static final JsonBytes.Name N_IS_MSG_ENCRYPTED = JsonBytes.name("is_msg_encrypted");
    private static final JsonBytes.Text T_RJCT = JsonBytes.text(Codes.RJCT);
    private static final JsonBytes.Text T_SUCC = JsonBytes.text(Codes.SUCC);
    private static final JsonBytes.Text T_VERSION = JsonBytes.text(VERSION);
    private static final JsonBytes.Text T_REG_TYPE = JsonBytes.text(REG_TYPE);
    private static final JsonBytes.Text T_MEMBER = JsonBytes.text(Records.MEMBER);
    private static final JsonBytes.Text T_GROUP = JsonBytes.text(Records.GROUP);
    private static final JsonBytes.Text T_REGISTRY_ID = JsonBytes.text(REGISTRY_ID);

    private final Registry registry;
    private final Authenticator auth;
    private final Today today;
    private final SearchOptions searchOptions;
    private final DciOptions options;
    private final int maxBatch;
    private final int maxBodyBytes;
    private final Transactions transactions;
    private final Callbacks callbacks;
    private final Subscriptions subscriptions;
    /** The Ed25519 public keys of the organisations whose requests must be signed, by organisation id. */
    private final java.util.Map<String, java.security.PublicKey> keys;
    private final HouseholdRecord record = new HouseholdRecord();
    private final JsonBytes json = new JsonBytes(4_096);
    private final RecordStream stream = new RecordStream();
    /** The answer being written (reused: one instance per event loop). */
    private final JsonBytes envelope = new JsonBytes(8_192);
    private HouseholdWriter writer;
    /** A looked-up household written straight as a Group (the role's own path, the mapping's names). */
    private DciGroupWriter groups;
    private SearchContext search;
    private Pseudonyms pseudonyms;
    /** How finely Basic's rows show area and score; counted over the sample on the first Basic search. */
    private volatile SampleCells sampleCells;

    /**
     * Who may filter by which live bitmap ({@code programme eq pbm}, {@code benefit_pkr_min}): the native lists'
     * rule, since a DCI page or a notification would tell who a partner serves as a list would.
     */
    private final java.util.function.BiPredicate<User, String> filtersByLiveSets;

    public DciRoutes(Registry registry, Authenticator auth, Today today, SearchOptions searchOptions,
                     DciOptions options, int maxBatch, int maxBodyBytes, Transactions transactions,
                     Callbacks callbacks, java.util.Map<String, java.security.PublicKey> keys,
                     Subscriptions subscriptions, java.util.function.BiPredicate<User, String> filtersByLiveSets) {
        this.filtersByLiveSets = filtersByLiveSets;
        this.keys = keys;
        this.subscriptions = subscriptions;
        subscriptions.useContext(io.vertx.core.Vertx.currentContext()); // made on an event loop: logs notifications
        this.transactions = transactions;
        this.callbacks = callbacks;
        this.registry = registry;
        this.auth = auth;
        this.today = today;
        this.searchOptions = searchOptions;
        this.options = options;
        this.maxBatch = maxBatch;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void mount(Router router) {
        route(router, SYNC_SEARCH, this::syncSearch);
        route(router, SEARCH, this::asyncSearch);
        route(router, SYNC_TXN_STATUS, this::syncTxnStatus);
        route(router, TXN_STATUS, this::asyncTxnStatus);
        route(router, SUBSCRIBE, this::subscribe);
        route(router, UNSUBSCRIBE, this::unsubscribe);
    }

    private void route(Router router, String path, io.vertx.core.Handler<RoutingContext> handler) {
        router.post(path).handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(handler)
                .failureHandler(this::failed);
    }

    /**
     * A body too large (413) or unreadable (400) on a DCI path: the contract's HTTP error body instead of
     * problem+json. Anything else goes on to the server's own failure handler.
     */
    private void failed(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (ctx.response().headWritten() || ctx.response().closed() || ctx.failure() != null
                && !(ctx.failure() instanceof io.vertx.ext.web.handler.HttpException)) {
            ctx.next();
            return;
        }
        if (ctx.failure() instanceof io.vertx.ext.web.handler.HttpException h) {
            status = h.getStatusCode();
        }
        if (status == 413) {
            httpError(ctx, 413, Codes.BAD, "the request body is larger than " + maxBodyBytes + " bytes");
        } else if (status >= 400 && status < 500) {
            httpError(ctx, status, Codes.BAD, "the request could not be read (" + status + ")");
        } else {
            ctx.next();
        }
    }

    /** Refusals of the key, role, operation or monthly limit, in the contract's {@code HttpErrorResponse} shape. */
    static final Authenticator.Denial DENIAL = (ctx, status, slug, title, detail) -> {
        String code = switch (status) {
            case 401 -> Codes.UNAUTHORIZED;
            case 403 -> Codes.FORBIDDEN;
            case 429 -> Codes.TOO_MANY;
            default -> Codes.BAD;
        };
        httpError(ctx, status, code, detail);
    };

    /** {@code {"errors": [{"code": .., "message": ..}]}} with {@code status}. */
    static void httpError(RoutingContext ctx, int status, String code, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.putArray("errors").addObject().put("code", code).put("message", message);
        Exchange.end(ctx, status, JSON, bytes(body));
    }

    static Buffer bytes(JsonNode n) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(n));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private SearchContext context() {
        if (search == null || search.snapshot() != registry.snapshot()) { // a fold swapped generations (issue 29)
            Snapshot s = registry.snapshot();
            search = new SearchContext(s, registry.liveSets());
            writer = new HouseholdWriter(s.geography(), s.dictionary(), today);
            groups = new DciGroupWriter(writer);
        }
        if (pseudonyms == null) {
            pseudonyms = new Pseudonyms(Pseudonyms.key(searchOptions.pseudonymKey()));
        }
        return search;
    }

    private void syncSearch(RoutingContext ctx) {
        search(ctx, false);
    }

    private void asyncSearch(RoutingContext ctx) {
        search(ctx, true);
    }

    /** The caller and the body of a DCI request that passed its checks. */
    private record Admitted(User caller, JsonNode body) {
    }

    /**
     * The checks every DCI request passes first, in order: a known key (else 401 before the body is looked at), a
     * JSON body, its signature, and its header for {@code action} (refused with {@code callbackAction}'s
     * acknowledgement when asynchronous). Null once the request has been answered.
     */
    private Admitted admit(RoutingContext ctx, boolean async, String action, String callbackAction) {
        User caller = caller(ctx);
        return caller == null ? null : admit(ctx, async, caller, action, callbackAction);
    }

    /** The caller of a known key; null after answering 401 (no key, or an unknown one: before the body is read). */
    private User caller(RoutingContext ctx) {
        Exchange.of(ctx).operation(Operation.SEARCH.key());
        User caller = auth.peek(ctx);
        if (caller == null) {
            auth.require(ctx, DENIAL, Operation.SEARCH, ROLES);
        }
        return caller;
    }

    /** {@link #admit(RoutingContext, boolean, String, String)} once the caller is known. */
    private Admitted admit(RoutingContext ctx, boolean async, User caller, String action, String callbackAction) {
        JsonNode body = body(ctx);
        if (body == null) {
            Exchange.of(ctx).user(caller);
            return null;
        }
        if (!signed(ctx, async, caller)) {
            return null;
        }
        JsonNode header = body.path("header");
        String problem = headerProblem(header, action);
        if (problem != null) {
            Exchange.of(ctx).user(caller);
            refuseHeader(ctx, async, header, callbackAction, problem.substring(0, problem.indexOf(' ')),
                    problem.substring(problem.indexOf(' ') + 1));
            return null;
        }
        return new Admitted(caller, body);
    }

    /**
     * A search, answered in the response ({@code async} false: the on-search message) or acknowledged at once and
     * answered by a callback to the caller's registered {@code sender_uri} ({@code async} true).
     */
    private void search(RoutingContext ctx, boolean async) {
        User caller = caller(ctx);
        if (caller == null) {
            return;
        }
        long maxPage = Math.min(options.maxPageSize(), searchOptions.rowLimit(caller.role()));
        int defaultPage = searchOptions.defaultPageRows();
        Buffer b = ctx.body().buffer();
        if (registry.ready() && b != null) { // the common shape, streamed; anything else is read as a tree below
            SearchContext sc = context();
            Criteria criteria = new Criteria(sc);
            SearchRequest r = SearchRequest.streamed(b.getBytes(), maxBatch, criteria, defaultPage, maxPage);
            if (r != null) {
                if (signed(ctx, async, caller)) {
                    search(ctx, async, r, sc, criteria);
                }
                return;
            }
        }
        Admitted a = admit(ctx, async, caller, "search", "on-search");
        if (a == null) {
            return;
        }
        JsonNode body = a.body();
        JsonNode header = body.path("header");
        JsonNode message = body.path("message");
        JsonNode items = message.path("search_request");
        JsonNode txn = message.path("transaction_id");
        if (!message.isObject() || !items.isArray() || !(txn.isTextual() || txn.isMissingNode())
                || txn.asText("").length() > 99) {
            Exchange.of(ctx).user(caller);
            refuse(ctx, async, Codes.BAD, "message must be a SearchRequest: {transaction_id (a string of at most 99 "
                    + "characters), search_request: [...]} (encrypted messages are not accepted)");
            return;
        }
        if (items.isEmpty() || items.size() > maxBatch) {
            Exchange.of(ctx).user(caller);
            refuseHeader(ctx, async, header, "on-search", items.isEmpty() ? Codes.TOTAL_COUNT : Codes.TOTAL_COUNT_LIMIT,
                    "search_request holds " + items.size() + " items; from 1 to " + maxBatch + " are taken");
            return;
        }
        JsonNode count = header.path("total_count");
        if (!count.isMissingNode() && (count.isNumber() || count.isTextual())
                && !count.asText().trim().equals(Integer.toString(items.size()))) {
            Exchange.of(ctx).user(caller);
            rejectHeader(ctx, header, "on-search", Codes.TOTAL_COUNT, "header.total_count is " + count.asText().trim()
                    + " but search_request holds " + items.size() + " items");
            return;
        }
        if (!registry.ready()) {
            Exchange.of(ctx).user(caller);
            ctx.response().putHeader("Retry-After", "5");
            httpError(ctx, 503, Codes.UNAVAILABLE, "the registry snapshot is still being verified and warmed");
            return;
        }
        SearchContext sc = context();
        Criteria criteria = new Criteria(sc);
        List<SearchItem> read = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            read.add(SearchItem.read(item, criteria, defaultPage, maxPage));
        }
        search(ctx, async, SearchRequest.of(header, message, read), sc, criteria);
    }

    /** A search whose request has been read (streamed or as a tree) and its header checked: answered. */
    private void search(RoutingContext ctx, boolean async, SearchRequest request, SearchContext sc,
                        Criteria criteria) {
        List<SearchItem> read = request.items();
        boolean lookupsOnly = true;
        if (read.size() == 1) { // one item: no reference to compare
            lookupsOnly = read.get(0).rejection != null || read.get(0).lookup();
        } else {
            Set<String> refs = new HashSet<>();
            for (SearchItem s : read) {
                if (s.rejection == null && !s.referenceId.isEmpty() && !refs.add(s.referenceId)) {
                    s.rejection = new Rejection(Codes.REFERENCE_ID_DUPLICATE, "reference_id '" + s.referenceId
                            + "' is used by another item of this request");
                }
                lookupsOnly &= s.rejection == null ? s.lookup() : true;
            }
        }
        // lookups are billed as the native lookup, anything else as a search
        User user = auth.require(ctx, DENIAL, lookupsOnly ? Operation.LOOKUP : Operation.SEARCH, ROLES);
        if (user == null) {
            return;
        }
        List<AccessRecord.Purpose> purposes = new ArrayList<>();
        DciOptions.Partner partner = options.partner(user.organisation().id());
        for (SearchItem s : read) {
            purposes.addAll(s.purposes);
            if (s.rejection == null) {
                if (partner.purposeRequired() && !s.hasPurpose()) {
                    s.rejection = Rejection.criteria("organisation '" + user.organisation().id() + "' must state the "
                            + "purpose of each search: authorize.purpose (or consent.purpose) text or code");
                } else {
                    try {
                        criteria.check(s.lookup() ? s.id : s.query, sc, user, user.role() == Role.BASIC,
                                filtersByLiveSets);
                        if (user.role() == Role.BASIC && (s.sort == SearchItem.SortKey.SCORE_ASC
                                || s.sort == SearchItem.SortKey.SCORE_DESC)) { // the order would show finer scores
                            s.rejection = new Rejection(Codes.SORT, "role basic sees poverty scores in "
                                    + SampleCells.BAND_HUNDREDTHS / 100 + "-point bands, so it may not sort by "
                                    + "poverty_score, which would order the households within a band; valid for it: "
                                    + "group_size");
                        }
                    } catch (Rejection r) {
                        s.rejection = r;
                    }
                }
            }
        }
        Exchange.of(ctx).purposes(purposes);
        String callback = null;
        if (async) {
            callback = Callbacks.url(request.senderUri(), "/registry/on-search", partner.callbackOrigins());
            if (callback == null) {
                ack(ctx, 400, "ERR", null, Codes.SENDER_URI, "header.sender_uri '"
                        + pk.gov.bisp.nser.core.text.Printable.of(request.senderUri())
                        + "' is not at a callback origin registered for organisation '" + user.organisation().id()
                        + "' (dci.organisations." + user.organisation().id() + ".callback_origins: "
                        + partner.callbackOrigins() + ")");
                return;
            }
        }
        String target = callback;
        boolean searches = false;
        for (SearchItem s : read) {
            searches |= s.rejection == null && !s.lookup();
        }
        if (!searches) {
            answer(ctx, user, request, target, purposes);
            return;
        }
        AreaScope scope = user.organisation().scope();
        boolean basic = user.role() == Role.BASIC;
        int k = searchOptions.minCell();
        ctx.vertx().executeBlocking(() -> {
            if (basic && sampleCells == null) {
                sampleCells = SampleCells.of(sc.snapshot(), sc.engine().evaluate(sc.restrict(Query.ALL,
                        AreaScope.NATIONAL, true)), k);
            }
            java.util.function.Supplier<RoaringBitmap> universe = new java.util.function.Supplier<>() {
                private RoaringBitmap all;

                @Override
                public RoaringBitmap get() { // only a 'not' or an empty condition needs every household
                    if (all == null) {
                        all = sc.engine().evaluate(Query.ALL);
                    }
                    return all;
                }
            };
            RoaringBitmap allowed = scope.national() && !basic ? null
                    : sc.engine().evaluate(sc.restrict(Query.ALL, scope, basic));
            for (SearchItem s : read) {
                if (s.rejection == null && !s.lookup()) {
                    RoaringBitmap hits = Criteria.evaluate(s.query, sc, universe);
                    if (allowed != null) {
                        hits.and(allowed);
                    }
                    Pages.select(s, hits, sc.snapshot(), size -> sc.engine().evaluate(new Query(List.of(
                            new pk.gov.bisp.nser.core.query.Clause("household_size", false, List.of(
                                    pk.gov.bisp.nser.core.index.Dimensions.HOUSEHOLD_SIZE.bitmapName(
                                            Integer.toString(size))), null, List.of())), 0,
                            pk.gov.bisp.nser.core.index.PmtIndex.MAX_VALUE)));
                }
            }
            return read;
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                answer(ctx, user, request, target, purposes);
            } else {
                LOG.log(Level.WARNING, "DCI search evaluation failed", ar.cause());
                httpError(ctx, 500, Codes.UNAVAILABLE, "the search could not be evaluated; the failure is logged");
            }
        });
    }

    /**
     * Whether the request's signature is good, or not needed (no key registered for the caller's organisation);
     * false after answering 401 {@code err.signature.missing} or {@code err.signature.invalid} (sync: the HTTP error
     * body; async: an ERR acknowledgement).
     */
    private boolean signed(RoutingContext ctx, boolean async, User caller) {
        java.security.PublicKey key = keys.get(caller.organisation().id());
        if (key == null) {
            return true;
        }
        Signatures.Parts parts = Signatures.parts(ctx.body().buffer().getBytes());
        String problem = parts == null ? "missing" : Signatures.problem(key, parts, System.currentTimeMillis() / 1_000);
        if (problem == null) {
            return true;
        }
        Exchange.of(ctx).user(caller).reason("bad-signature");
        String code = problem.equals("missing") ? Codes.SIGNATURE_MISSING : Codes.SIGNATURE_INVALID;
        String message = "organisation '" + caller.organisation().id() + "' signs its requests (Ed25519): the "
                + "signature is " + problem;
        if (async) {
            ack(ctx, 401, "ERR", null, code, message);
        } else {
            httpError(ctx, 401, code, message);
        }
        return false;
    }

    /** The request's JSON object, or null after answering 400 {@code err.request.bad}. */
    private static JsonNode body(RoutingContext ctx) {
        Buffer b = ctx.body().buffer();
        JsonNode n;
        try {
            n = b == null || b.length() == 0 ? null : MAPPER.readTree(b.getBytes());
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            httpError(ctx, 400, Codes.BAD, "the body is not JSON: " + pk.gov.bisp.nser.core.text.Printable.of(
                    why == null ? "" : why));
            return null;
        }
        if (n == null || !n.isObject() || !n.path("header").isObject() || !n.has("message")) {
            httpError(ctx, 400, Codes.BAD, "the body must be a DCI message: {\"signature\", \"header\": {...}, "
                    + "\"message\": {...}}");
            return null;
        }
        return n;
    }

    /** {@code "code message"} for the first header problem, or null. */
    static String headerProblem(JsonNode h, String action) {
        if (!h.path("message_id").isTextual() || h.path("message_id").asText().isEmpty()) {
            return Codes.ACTION + " header.message_id is required (a string)";
        }
        JsonNode v = h.path("version");
        if (!v.isMissingNode() && !VERSION.equals(v.asText())) {
            return Codes.VERSION + " header.version '" + pk.gov.bisp.nser.core.text.Printable.of(v.asText())
                    + "' is not supported; this registry speaks " + VERSION;
        }
        if (!h.path("message_ts").isTextual() || !SearchItem.timestamp(h.path("message_ts").asText())) {
            return Codes.MESSAGE_TS + " header.message_ts must be an ISO 8601 date-time with its offset";
        }
        if (!action.equals(h.path("action").asText())) {
            return Codes.ACTION + " header.action must be '" + action + "' on this path, not '"
                    + pk.gov.bisp.nser.core.text.Printable.of(h.path("action").asText()) + "'";
        }
        if (h.path("is_msg_encrypted").asBoolean(false)) {
            return Codes.ACTION_NOT_SUPPORTED + " encrypted messages are not supported by this registry";
        }
        JsonNode count = h.path("total_count");
        if (!count.isMissingNode() && !count.isNull() && !count.isIntegralNumber()
                && !(count.isTextual() && count.asText().trim().matches("\\d{1,9}"))) {
            return Codes.TOTAL_COUNT + " header.total_count must be a whole number";
        }
        return null;
    }

    /** The on-search envelope with header status {@code rjct} and a header code; HTTP 400. */
    private static void rejectHeader(RoutingContext ctx, JsonNode request, String action, String code,
                                     String message) {
        ObjectNode out = MAPPER.createObjectNode();
        ObjectNode h = callbackHeader(request, action, Codes.RJCT);
        h.put("status_reason_code", code).put("status_reason_message", limit(message));
        out.set("header", h);
        Exchange.end(ctx, 400, JSON, bytes(out));
    }

    /** {@code MsgCallbackHeader}: a new message id, now, the action, the status, addressed back to the sender. */
    static ObjectNode callbackHeader(JsonNode request, String action, String status) {
        ObjectNode h = MAPPER.createObjectNode();
        h.put("version", VERSION);
        h.put("message_id", id());
        h.put("message_ts", now());
        h.put("action", action);
        h.put("status", status);
        h.put("sender_id", REGISTRY_ID);
        JsonNode sender = request.path("sender_id");
        if (sender.isTextual()) {
            h.put("receiver_id", limit(sender.asText()));
        }
        h.put("is_msg_encrypted", false);
        return h;
    }

    /** A random id (message and correlation ids): a version-4 UUID's text, from a thread-local generator. */
    static String id() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return new UUID(r.nextLong() & 0xFFFF_FFFF_FFFF_0FFFL | 0x4000L,
                r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L).toString();
    }

    /** Now, to the millisecond, as {@code Instant.now().truncatedTo(MILLIS).toString()} writes it. */
    static String now() {
        long ms = System.currentTimeMillis();
        long second = Math.floorDiv(ms, 1_000);
        Second c = second0;
        if (c.epochSecond != second) { // the date and time formatted once a second, the milliseconds appended
            String t = Instant.ofEpochSecond(second).toString();
            c = new Second(second, t.substring(0, t.length() - 1));
            second0 = c;
        }
        int milli = (int) (ms - second * 1_000);
        if (milli == 0) {
            return c.text + "Z";
        }
        return c.text + '.' + (char) ('0' + milli / 100) + (char) ('0' + milli / 10 % 10)
                + (char) ('0' + milli % 10) + "Z";
    }

    /** A second since the epoch and its ISO 8601 text up to the seconds (no zone). */
    private record Second(long epochSecond, String text) {
    }

    private static volatile Second second0 = new Second(Long.MIN_VALUE, "");

    static String limit(String s) {
        return s.length() > 999 ? s.substring(0, 996) + "..." : s;
    }

    /**
     * Writes the on-search answer, reading and projecting each page's households on this event loop: in the response,
     * or ({@code callback} not null) to the callback URL, acknowledging the request with ACK. The envelope is
     * streamed (a generator over a reused buffer), each record written into it from the role's native projection.
     */
    private void answer(RoutingContext ctx, User user, SearchRequest request, String callback,
                        List<AccessRecord.Purpose> purposes) {
        if (ctx.response().closed()) {
            return;
        }
        Snapshot s = registry.snapshot();
        Role role = user.role();
        List<SearchItem> items = request.items();
        String transactionId = request.transactionId();
        String correlationId = id();
        long rows = 0;
        int classes = 0;
        long firstCnic = -1;
        List<Transactions.Item> outcomes = new ArrayList<>(items.size());
        JsonBytes g = envelope;
        g.reset();
        g.startObject().field(N_HEADER);
        writeCallbackHeader(g, request.senderId(), "on-search", Codes.SUCC);
        g.field(N_TOTAL_COUNT).value(items.size()).field(N_COMPLETED_COUNT).value(items.size()).endObject();
        g.field(N_MESSAGE).startObject().field(N_TRANSACTION_ID).value(transactionId)
                .field(N_CORRELATION_ID).value(correlationId).field(N_SEARCH_RESPONSE).startArray();
        for (SearchItem item : items) {
            String ts = now();
            g.startObject().field(N_REFERENCE_ID).value(item.referenceId).field(N_TIMESTAMP).value(ts);
            if (item.rejection != null) {
                String why = limit(item.rejection.getMessage());
                g.field(N_STATUS).value(T_RJCT).field(N_STATUS_REASON_CODE).value(item.rejection.code())
                        .field(N_STATUS_REASON_MESSAGE).value(why);
                if (item.locale != null) {
                    g.field(N_LOCALE).value(item.locale);
                }
                g.endObject();
                outcomes.add(new Transactions.Item(item.referenceId, ts, Codes.RJCT, item.rejection.code(), why));
                continue;
            }
            if (item.lookup()) {
                lookup(ctx, s, user, item);
                if (firstCnic < 0 && item.id.cnic() >= 0) {
                    Exchange.of(ctx).cnic(item.id.cnic());
                    firstCnic = item.id.cnic();
                }
            }
            g.field(N_STATUS).value(T_SUCC).field(N_DATA).startObject().field(N_VERSION).value(T_VERSION)
                    .field(N_REG_TYPE).value(T_REG_TYPE).field(N_REG_RECORD_TYPE).value(item.member ? T_MEMBER : T_GROUP)
                    .field(N_REG_RECORDS).startArray();
            rows += records(g, s, role, item);
            g.endArray().endObject();
            if (item.page.length > 0) {
                classes |= HouseholdWriter.fieldClasses(role, !item.lookup() || item.id.cnic() < 0);
            }
            g.field(N_PAGINATION).startObject().field(N_PAGE_SIZE).value(item.pageSize).field(N_PAGE_NUMBER)
                    .value(item.pageNumber).field(N_TOTAL_COUNT).value(item.total).endObject();
            if (item.locale != null) {
                g.field(N_LOCALE).value(item.locale);
            }
            g.endObject();
            outcomes.add(new Transactions.Item(item.referenceId, ts, Codes.SUCC, null, null));
        }
        g.endArray().endObject().endObject();
        transactions.put(new Transactions.Entry(user.organisation().id(), "search", transactionId, correlationId,
                outcomes));
        if (callback == null) {
            Exchange.of(ctx).rows(rows, classes);
            Exchange.end(ctx, 200, JSON, envelope.toPooledDirect());
            return;
        }
        Exchange x = Exchange.of(ctx);
        callbacks.deliver(new Callbacks.Delivery(callback, envelope.toByteArray(), user,
                x.operationKey(), rows, classes, firstCnic, x.clientIp(), purposes, ctx.vertx().getOrCreateContext()));
        ack(ctx, 202, "ACK", correlationId, null, null);
    }

    /**
     * Writes the records of {@code item}'s page into {@code g}, each from the role's projection; the rows read. A
     * household looked up as a Group is written by {@link DciGroupWriter} (what {@link RecordStream} makes of the
     * native projection, in one pass); list rows and Members are mapped from the native projection.
     */
    private long records(JsonBytes g, Snapshot s, Role role, SearchItem item) {
        long rows = 0;
        boolean byId = item.lookup() && item.id.cnic() < 0;
        for (int ordinal : item.page) {
            if (!s.read(ordinal, record)) {
                continue;
            }
            if (item.lookup() && !item.member && !(byId && role == Role.BASIC)) { // one pass, no native JSON
                groups.group(g, record, byId ? -1 : record.memberIndexOf(item.id.cnic()), role);
                rows++;
                continue;
            }
            json.reset();
            if (item.lookup()) {
                writer.write(json, record, byId ? -1 : record.memberIndexOf(item.id.cnic()), role);
            } else {
                writer.listRow(json, record, role, role == Role.BASIC ? pseudonyms.of(record.householdId()) : null,
                        sampleCells);
            }
            if (!item.member) {
                stream.group(g, json.array(), 0, json.size());
            } else {
                stream.members(g, json.array(), 0, json.size(), item.lookup() && !byId);
            }
            rows++;
        }
        return rows;
    }

    /** {@link #callbackHeader}'s fields, written to {@code g} (the object left open for the caller's counts). */
    private static void writeCallbackHeader(JsonBytes g, String senderId, String action, String status) {
        g.startObject().field(N_VERSION).value(T_VERSION).field(N_MESSAGE_ID).value(id()).field(N_MESSAGE_TS)
                .value(now()).field(N_ACTION).value(action).field(N_STATUS).value(status).field(N_SENDER_ID)
                .value(T_REGISTRY_ID);
        if (senderId != null) {
            g.field(N_RECEIVER_ID).value(limit(senderId));
        }
        g.field(N_IS_MSG_ENCRYPTED).value(false);
    }

    /** Refuses a request whose message or envelope is wrong: 400, as an HTTP error (sync) or an ERR ack (async). */
    private static void refuse(RoutingContext ctx, boolean async, String errCode, String message) {
        if (async) {
            ack(ctx, 400, "ERR", null, errCode, message);
        } else {
            httpError(ctx, 400, errCode, message);
        }
    }

    /** A header problem: the callback header with its rjct code (sync), or an ERR ack naming the code (async). */
    private static void refuseHeader(RoutingContext ctx, boolean async, JsonNode header, String action, String code,
                                     String message) {
        if (async) {
            ack(ctx, 400, "ERR", null, code.equals(Codes.VERSION) ? Codes.VERSION_NOT_SUPPORTED : Codes.BAD,
                    code + ": " + message);
        } else {
            rejectHeader(ctx, header, action, code, message);
        }
    }

    /**
     * The acknowledgement of an asynchronous request ({@code Response}): ACK (the callback will follow, 202), or ERR
     * with the error's code and message (400).
     */
    static void ack(RoutingContext ctx, int status, String ackStatus, String correlationId, String errCode,
                    String message) {
        ObjectNode out = MAPPER.createObjectNode();
        ObjectNode m = out.putObject("message");
        m.put("ack_status", ackStatus);
        m.put("timestamp", now());
        m.put("correlation_id", correlationId != null ? correlationId : id());
        if (errCode != null) {
            m.putObject("error").put("code", errCode).put("message", limit(message));
        }
        Exchange.end(ctx, status, JSON, bytes(out));
    }

    /**
     * {@code POST /registry/sync/txn/status}: the status of each item of an earlier transaction of the caller's
     * organisation, found by {@code transaction_id}, {@code correlation_id} or {@code reference_id_list}; an unknown
     * one is answered with no items. Statuses only, never records; nothing is billed.
     */
    private void syncTxnStatus(RoutingContext ctx) {
        txnStatus(ctx, false);
    }

    private void asyncTxnStatus(RoutingContext ctx) {
        txnStatus(ctx, true);
    }

    private void txnStatus(RoutingContext ctx, boolean async) {
        Admitted a = admit(ctx, async, "txn-status", "txn-on-status");
        if (a == null) {
            return;
        }
        User caller = a.caller();
        JsonNode body = a.body();
        JsonNode header = body.path("header");
        JsonNode message = body.path("message");
        JsonNode req = message.path("txnstatus_request");
        JsonNode txn = message.path("transaction_id");
        String type = req.path("txn_type").asText("");
        String attribute = req.path("attribute_type").asText("");
        JsonNode value = req.path("attribute_value");
        String bad = null;
        if (!message.isObject() || !txn.isTextual() || txn.asText().length() > 99 || !req.isObject()) {
            bad = "message must be a TxnStatusRequest: {transaction_id (a string of at most 99 characters), "
                    + "txnstatus_request: {reference_id, txn_type, attribute_type, attribute_value}}";
        } else if (!type.equals("search") && !type.equals("subscribe")) {
            bad = "txn_type '" + pk.gov.bisp.nser.core.text.Printable.of(type) + "'; this registry keeps the status "
                    + "of: search, subscribe";
        } else if (attribute.equals("reference_id_list") ? !value.isArray()
                : !(attribute.equals("transaction_id") || attribute.equals("correlation_id")) || !value.isTextual()) {
            bad = "attribute_type is transaction_id or correlation_id with a string attribute_value, or "
                    + "reference_id_list with a list of reference ids";
        }
        if (bad != null) {
            Exchange.of(ctx).user(caller);
            refuse(ctx, async, Codes.BAD, bad);
            return;
        }
        User user = auth.require(ctx, DENIAL, caller.may(Operation.SEARCH) ? Operation.SEARCH : Operation.LOOKUP,
                ROLES);
        if (user == null) {
            return;
        }
        String org = user.organisation().id();
        String callback = null;
        if (async) {
            callback = Callbacks.url(header.path("sender_uri").asText(""), "/registry/txn/on-status",
                    options.partner(org).callbackOrigins());
            if (callback == null) {
                ack(ctx, 400, "ERR", null, Codes.SENDER_URI, "header.sender_uri is not at a callback origin "
                        + "registered for organisation '" + org + "'");
                return;
            }
        }
        String foundTxn = "";
        String foundCorrelation = "";
        List<Transactions.Item> items;
        if (attribute.equals("reference_id_list")) {
            List<String> refs = new ArrayList<>();
            value.forEach(v -> refs.add(v.asText()));
            items = transactions.byReferences(org, refs.subList(0, Math.min(refs.size(), maxBatch)));
        } else {
            Transactions.Entry e = attribute.equals("transaction_id") ? transactions.byTransaction(org, value.asText())
                    : transactions.byCorrelation(org, value.asText());
            items = e == null || !e.txnType().equals(type) ? List.of() : e.items();
            if (e != null) {
                foundTxn = e.transactionId();
                foundCorrelation = e.correlationId();
            }
        }
        ObjectNode out = MAPPER.createObjectNode();
        ObjectNode h = callbackHeader(header, "txn-on-status", Codes.SUCC);
        if (items.isEmpty()) {
            h.put("status_reason_message", "no " + type + " transaction of organisation '" + org + "' is known by "
                    + "that " + attribute + " (statuses are kept in memory, for the latest " + Transactions.CAPACITY
                    + " transactions)");
        }
        out.set("header", h);
        ObjectNode m = out.putObject("message");
        m.put("transaction_id", txn.asText());
        m.put("correlation_id", id());
        ObjectNode tr = m.putObject("txnstatus_response");
        tr.put("txn_type", type);
        ObjectNode status = tr.putObject("txn_status");
        status.put("transaction_id", limit(foundTxn.isEmpty() && attribute.equals("transaction_id")
                ? value.asText() : foundTxn));
        status.put("correlation_id", foundCorrelation);
        ArrayNode list = status.putArray("search_response");
        for (Transactions.Item i : items) {
            ObjectNode r = list.addObject();
            r.put("reference_id", i.referenceId());
            r.put("timestamp", i.timestamp());
            r.put("status", i.status());
            if (i.code() != null) {
                r.put("status_reason_code", i.code());
            }
            if (i.message() != null) {
                r.put("status_reason_message", i.message());
            }
        }
        Exchange.of(ctx).rows(0, 0);
        if (callback == null) {
            Exchange.end(ctx, 200, JSON, bytes(out));
            return;
        }
        Exchange x = Exchange.of(ctx);
        callbacks.deliver(new Callbacks.Delivery(callback, bytes(out).getBytes(), user, x.operationKey(), 0, 0, -1,
                x.clientIp(), List.of(), ctx.vertx().getOrCreateContext()));
        ack(ctx, 202, "ACK", m.path("correlation_id").asText(), null, null);
    }

    /**
     * {@code POST /registry/subscribe}: each {@code subscribe_request} item read and checked as a search's criteria;
     * the good ones journaled (fsynced) as subscriptions, then ACK, then the on-subscribe message (each item's
     * status, and its subscription's code) POSTed to the caller's registered {@code sender_uri}. From then on each
     * household change that matches goes to the same origin's {@code /registry/notify} ({@link Subscriptions}).
     * Power and Standard may subscribe (a notification names its household; Basic sees a pseudonymised sample).
     */
    private void subscribe(RoutingContext ctx) {
        Admitted a = admit(ctx, true, "subscribe", "on-subscribe");
        if (a == null) {
            return;
        }
        JsonNode header = a.body().path("header");
        JsonNode message = a.body().path("message");
        JsonNode items = message.path("subscribe_request");
        JsonNode txn = message.path("transaction_id");
        if (!message.isObject() || !items.isArray() || !txn.isTextual() || txn.asText().length() > 99) {
            Exchange.of(ctx).user(a.caller());
            refuse(ctx, true, Codes.BAD, "message must be a SubscribeRequest: {transaction_id (a string of at most 99 "
                    + "characters), subscribe_request: [...]} (encrypted messages are not accepted)");
            return;
        }
        if (items.isEmpty() || items.size() > maxBatch) {
            Exchange.of(ctx).user(a.caller());
            refuse(ctx, true, Codes.BAD, Codes.TOTAL_COUNT + ": subscribe_request holds " + items.size()
                    + " items; from 1 to " + maxBatch + " are taken");
            return;
        }
        if (!registry.ready()) {
            Exchange.of(ctx).user(a.caller());
            ctx.response().putHeader("Retry-After", "5");
            httpError(ctx, 503, Codes.UNAVAILABLE, "the registry snapshot is still being verified and warmed");
            return;
        }
        User user = auth.require(ctx, DENIAL, Operation.SEARCH, Role.POWER, Role.STANDARD);
        if (user == null) {
            return;
        }
        Exchange.of(ctx).rows(0, 0);
        DciOptions.Partner partner = options.partner(user.organisation().id());
        String senderUri = header.path("sender_uri").asText("");
        String callback = Callbacks.url(senderUri, "/registry/on-subscribe", partner.callbackOrigins());
        if (callback == null) {
            ack(ctx, 400, "ERR", null, Codes.SENDER_URI, "header.sender_uri '"
                    + pk.gov.bisp.nser.core.text.Printable.of(senderUri) + "' is not at a callback origin registered "
                    + "for organisation '" + user.organisation().id() + "'");
            return;
        }
        String notifyUrl = callback.substring(0, callback.length() - "on-subscribe".length()) + "notify";
        SearchContext sc = context();
        Criteria criteria = new Criteria(sc);
        String senderId = limit(header.path("sender_id").asText(""));
        List<SubscribeItem> read = new ArrayList<>();
        List<Subscription> subs = new ArrayList<>();
        List<AccessRecord.Purpose> purposes = new ArrayList<>();
        Set<String> refs = new HashSet<>();
        for (JsonNode item : items) {
            SubscribeItem s = SubscribeItem.read(item, criteria, sc, user, partner.purposeRequired(), senderId,
                    notifyUrl, filtersByLiveSets);
            if (s.rejection == null && !s.referenceId.isEmpty() && !refs.add(s.referenceId)) {
                s.rejection = new Rejection(Codes.REFERENCE_ID_DUPLICATE, "reference_id '" + s.referenceId
                        + "' is used by another item of this request");
                s.subscription = null;
            }
            purposes.addAll(s.purposes);
            if (s.subscription != null) {
                subs.add(s.subscription);
            }
            read.add(s);
        }
        Exchange.of(ctx).purposes(purposes);
        io.vertx.core.Context here = ctx.vertx().getOrCreateContext();
        String correlation = id();
        java.util.Map<String, String> existing = new java.util.concurrent.ConcurrentHashMap<>();
        subscriptions.add(subs, existing::putAll, failure -> here.runOnContext(v -> {
            if (failure != null) {
                LOG.log(Level.SEVERE, "DCI subscriptions could not be journaled", failure);
                httpError(ctx, 503, Codes.UNAVAILABLE, "the subscriptions could not be kept; retry later");
                return;
            }
            ObjectNode out = MAPPER.createObjectNode();
            ObjectNode h = callbackHeader(header, "on-subscribe", Codes.SUCC);
            h.put("total_count", read.size()).put("completed_count", read.size());
            out.set("header", h);
            ObjectNode m = out.putObject("message");
            m.put("transaction_id", txn.asText());
            m.put("correlation_id", correlation);
            ArrayNode responses = m.putArray("subscribe_response");
            List<Transactions.Item> outcomes = new ArrayList<>();
            for (SubscribeItem s : read) {
                ObjectNode r = responses.addObject();
                r.put("reference_id", s.referenceId);
                r.put("timestamp", now());
                String same = s.subscription == null ? null : existing.get(s.subscription.sameness());
                if (same != null) {
                    s.rejection = new Rejection(SubscribeItem.ALREADY_SUBSCRIBED, "organisation '"
                            + user.organisation().id() + "' already has this subscription: code " + same);
                }
                if (s.rejection != null) {
                    r.put("status", Codes.RJCT);
                    r.put("status_reason_code", s.rejection.code());
                    r.put("status_reason_message", limit(s.rejection.getMessage()));
                } else {
                    r.put("status", Codes.SUCC);
                    r.putArray("subscriptions").add(SubscribeItem.info(s.subscription, "subscribe"));
                }
                if (s.locale != null) {
                    r.put("locale", s.locale);
                }
                outcomes.add(new Transactions.Item(s.referenceId, r.path("timestamp").asText(), r.path("status")
                        .asText(), r.path("status_reason_code").asText(null), r.path("status_reason_message")
                        .asText(null)));
            }
            transactions.put(new Transactions.Entry(user.organisation().id(), "subscribe", txn.asText(), correlation,
                    outcomes));
            Exchange x = Exchange.of(ctx);
            callbacks.deliver(new Callbacks.Delivery(callback, bytes(out).getBytes(), user, x.operationKey(), 0, 0,
                    -1, x.clientIp(), purposes, here));
            ack(ctx, 202, "ACK", correlation, null, null);
        }));
    }

    /**
     * {@code POST /registry/unsubscribe}: the caller's organisation's subscriptions named by
     * {@code subscription_codes} cancelled (journaled, fsynced: no notification of theirs is sent after), ACK, then
     * the on-unsubscribe message: {@code succ} with each code's status, or {@code rjct} with
     * {@code rjct.subscription_code.invalid} naming codes it does not have (another organisation's are unknown to
     * it) or {@code rjct.event.already_unsubscribed}.
     */
    private void unsubscribe(RoutingContext ctx) {
        Admitted a = admit(ctx, true, "unsubscribe", "on-unsubscribe");
        if (a == null) {
            return;
        }
        JsonNode header = a.body().path("header");
        JsonNode message = a.body().path("message");
        JsonNode codes = message.path("subscription_codes");
        JsonNode txn = message.path("transaction_id");
        boolean good = message.isObject() && txn.isTextual() && txn.asText().length() <= 99 && codes.isArray()
                && !codes.isEmpty() && codes.size() <= maxBatch && message.path("timestamp").isTextual()
                && SearchItem.timestamp(message.path("timestamp").asText());
        for (JsonNode c : codes) {
            good &= c.isTextual() && c.asText().length() <= 99;
        }
        if (!good) {
            Exchange.of(ctx).user(a.caller());
            refuse(ctx, true, Codes.BAD, "message must be an UnSubscribeRequest: {transaction_id (a string of at most "
                    + "99 characters), timestamp (ISO 8601 with its offset), subscription_codes: [1 to " + maxBatch
                    + " codes]}");
            return;
        }
        User user = auth.require(ctx, DENIAL, Operation.SEARCH, Role.POWER, Role.STANDARD);
        if (user == null) {
            return;
        }
        Exchange.of(ctx).rows(0, 0);
        String org = user.organisation().id();
        String callback = Callbacks.url(header.path("sender_uri").asText(""), "/registry/on-unsubscribe",
                options.partner(org).callbackOrigins());
        if (callback == null) {
            ack(ctx, 400, "ERR", null, Codes.SENDER_URI, "header.sender_uri is not at a callback origin registered "
                    + "for organisation '" + org + "'");
            return;
        }
        List<String> list = new ArrayList<>();
        codes.forEach(c -> list.add(c.asText()));
        io.vertx.core.Context here = ctx.vertx().getOrCreateContext();
        String correlation = id();
        subscriptions.cancel(org, list, done -> here.runOnContext(v -> {
            ObjectNode out = MAPPER.createObjectNode();
            ObjectNode h = callbackHeader(header, "on-unsubscribe", Codes.SUCC);
            h.put("total_count", list.size()).put("completed_count", list.size());
            out.set("header", h);
            ObjectNode m = out.putObject("message");
            m.put("transaction_id", txn.asText());
            m.put("correlation_id", correlation);
            m.put("timestamp", now());
            if (!done.unknown().isEmpty()) {
                m.put("status", Codes.RJCT);
                m.put("status_reason_code", "rjct.subscription_code.invalid");
                m.put("status_reason_message", limit("organisation '" + org + "' has no subscription "
                        + String.join(", ", done.unknown())));
            } else if (!done.before().isEmpty()) {
                m.put("status", Codes.RJCT);
                m.put("status_reason_code", "rjct.event.already_unsubscribed");
                m.put("status_reason_message", limit("already cancelled: " + String.join(", ", done.before())));
            } else {
                m.put("status", Codes.SUCC);
            }
            ArrayNode statuses = m.putArray("subscription_status");
            for (String c : done.now()) {
                statuses.addObject().put("code", c).put("status", "unsubscribe");
            }
            for (String c : done.before()) {
                statuses.addObject().put("code", c).put("status", "unsubscribe");
            }
            Exchange x = Exchange.of(ctx);
            callbacks.deliver(new Callbacks.Delivery(callback, bytes(out).getBytes(), user, x.operationKey(), 0, 0,
                    -1, x.clientIp(), List.of(), here));
            ack(ctx, 202, "ACK", correlation, null, null);
        }), failure -> here.runOnContext(v -> {
            LOG.log(Level.SEVERE, "DCI cancellations could not be journaled", failure);
            httpError(ctx, 503, Codes.UNAVAILABLE, "the cancellation could not be kept; retry later");
        }));
    }

    /** The household of a lookup item: its page is the household, if it exists and is in the caller's area. */
    private void lookup(RoutingContext ctx, Snapshot s, User user, SearchItem item) {
        int ordinal = item.id.cnic() >= 0 ? s.ordinalOfCnic(item.id.cnic())
                : s.ordinalOfHouseholdId(item.id.householdId());
        item.total = 0;
        item.page = new int[0];
        if (ordinal < 0 || !s.read(ordinal, record)) {
            return;
        }
        if (!user.organisation().scope().containsUc(s.geography(), record.unionCouncil())) {
            Exchange.of(ctx).reason(Exchange.OUTSIDE_AREA); // answered as not found, as the native lookup
            return;
        }
        item.total = 1;
        item.page = item.pageNumber == 1 ? new int[] {ordinal} : new int[0];
    }
}
