package pk.gov.bisp.nser.server.agreement;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import pk.gov.bisp.nser.core.json.FieldErrors;
import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.caller.Agreement;
import pk.gov.bisp.nser.server.caller.ApiKeys;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.JsonResponse;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.RouteGroup;

/**
 * The admin API of data-sharing agreements (admin role, {@code agreements} operation): list, create, read, amend,
 * suspend, resume and revoke agreements; issue, list, rotate and revoke a user's keys. Every change carries a
 * {@code reason} (in the body, or the query for a call without one) and is journaled with who made it, when, why
 * and the request's id before it is answered; from then on every request sees it. A new key is shown once, in the
 * answer that made it; only its SHA-256 is kept. One instance per event loop.
 */
public final class AgreementRoutes implements RouteGroup {

    public static final String AGREEMENTS = "/admin/agreements";
    public static final String AGREEMENT = "/admin/agreements/:id";
    public static final String USER_KEYS = "/admin/users/:user_id/keys";
    public static final String KEY = "/admin/keys/:key_id";
    public static final String ROTATE = "/admin/keys/:key_id/rotate";
    /** The longest overlap a rotation may give the old key: 30 days. */
    static final long MAX_OVERLAP_SECONDS = 30L * 86_400;
    private static final int MAX_REASON = 500;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Authenticator auth;
    private final AgreementStore store;
    private final long maxBodyBytes;
    private final JsonResponse json = new JsonResponse();

    public AgreementRoutes(Authenticator auth, AgreementStore store, long maxBodyBytes) {
        this.auth = auth;
        this.store = store;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
        router.get(AGREEMENTS).handler(this::list);
        router.post(AGREEMENTS).handler(body).handler(this::create);
        router.get(AGREEMENT).handler(this::read);
        router.patch(AGREEMENT).handler(body).handler(this::amend);
        router.post(AGREEMENT + "/suspend").handler(body).handler(ctx -> status(ctx, Agreement.Status.SUSPENDED));
        router.post(AGREEMENT + "/resume").handler(body).handler(ctx -> status(ctx, Agreement.Status.ACTIVE));
        router.post(AGREEMENT + "/revoke").handler(body).handler(ctx -> status(ctx, Agreement.Status.REVOKED));
        router.get(USER_KEYS).handler(this::keys);
        router.post(USER_KEYS).handler(body).handler(this::issue);
        router.post(ROTATE).handler(body).handler(this::rotate);
        router.delete(KEY).handler(body).handler(this::revokeKey);
    }

    private User admin(RoutingContext ctx) {
        return auth.require(ctx, Operation.AGREEMENTS, Role.ADMIN);
    }

    private void list(RoutingContext ctx) {
        if (admin(ctx) == null) {
            return;
        }
        String within = ctx.queryParams().get("expiring_within_days");
        String org = ctx.queryParams().get("organisation");
        long days = -1;
        if (within != null) {
            if (!within.matches("[0-9]{1,4}")) {
                Problem.badRequest(ctx, "invalid-expiring-within-days", "expiring_within_days must be a whole "
                        + "number of days, 0 to 9999");
                return;
            }
            days = Long.parseLong(within);
        }
        AgreementState s = store.live();
        long now = store.now();
        List<Agreement> soon = store.expiring(s, now, AgreementStore.SOON);
        List<Agreement> shown = days < 0 ? List.copyOf(s.agreements.values())
                : store.expiring(s, now, Duration.ofDays(days));
        json.send(ctx, 200, g -> {
            g.writeStartObject();
            g.writeStringField("now", java.time.Instant.ofEpochMilli(now).toString());
            g.writeArrayFieldStart("agreements");
            for (Agreement a : shown) {
                if (org == null || org.equals(a.organisation())) {
                    agreement(g, a, now);
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("expiring_within_30_days");
            for (Agreement a : soon) {
                g.writeString(a.id());
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private void read(RoutingContext ctx) {
        if (admin(ctx) == null) {
            return;
        }
        AgreementState s = store.live();
        Agreement a = s.agreements.get(ctx.pathParam("id"));
        if (a == null) {
            Problem.notFound(ctx, "unknown-agreement", "no agreement '" + Problem.printable(ctx.pathParam("id"))
                    + "'");
            return;
        }
        long now = store.now();
        Set<String> subjects = new HashSet<>();
        subjects.add(a.id());
        json.send(ctx, 200, g -> {
            g.writeStartObject();
            fields(g, a, now);
            g.writeArrayFieldStart("keys");
            for (Agreement.Member m : a.users()) {
                for (ApiKey k : s.keysOf(m.userId())) {
                    key(g, k, now);
                    subjects.add("key " + k.keyId());
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("history");
            for (AgreementState.Change c : s.history) {
                if (subjects.contains(c.subject())) {
                    change(g, c);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private void create(RoutingContext ctx) {
        User admin = admin(ctx);
        JsonNode body = admin == null ? null : body(ctx, true);
        String reason = body == null ? null : reason(ctx, body);
        if (reason == null) {
            return;
        }
        FieldErrors errors = new FieldErrors();
        Agreement read = AgreementJson.read(body, null, "agr-" + hex(6), errors);
        Agreement a = read == null || read.programmes() != null ? read : new Agreement(read.id(),
                read.organisation(), read.purpose(), read.category(), read.dataClasses(), read.operations(),
                read.scope(), read.users(), read.validFrom(), read.validUntil(), read.status(), Set.of());
        if (a == null || !programmesConfigured(a, errors)) { // a new agreement names its programmes, or has none
            invalid(ctx, errors);
            return;
        }
        submit(ctx, new AgreementCommand.Create(meta(ctx, admin, reason), a), (s, now) -> {
            ctx.response().putHeader("Location", AGREEMENTS + "/" + a.id());
            json.send(ctx, 201, g -> agreement(g, s.agreements.get(a.id()), now));
        });
    }

    private void amend(RoutingContext ctx) {
        User admin = admin(ctx);
        JsonNode body = admin == null ? null : body(ctx, true);
        String reason = body == null ? null : reason(ctx, body);
        if (reason == null) {
            return;
        }
        Agreement base = store.live().agreements.get(ctx.pathParam("id"));
        if (base == null) {
            Problem.notFound(ctx, "unknown-agreement", "no agreement '" + Problem.printable(ctx.pathParam("id"))
                    + "'");
            return;
        }
        FieldErrors errors = new FieldErrors();
        Agreement a = AgreementJson.read(body, base, null, errors);
        if (a == null || !programmesConfigured(a, errors)) {
            invalid(ctx, errors);
            return;
        }
        submit(ctx, new AgreementCommand.Amend(meta(ctx, admin, reason), a),
                (s, now) -> json.send(ctx, 200, g -> agreement(g, s.agreements.get(a.id()), now)));
    }

    /** True when every programme {@code a} names is a configured programme (not the survey's uct or cct). */
    private boolean programmesConfigured(Agreement a, FieldErrors errors) {
        if (a.programmes() == null) {
            return true;
        }
        for (String p : a.programmes()) {
            if (!store.programmeIds().contains(p)
                    || pk.gov.bisp.nser.core.index.Dimensions.PROGRAMME.values().contains(p)) {
                errors.add("programmes", "'" + p + "' is not a configured programme; valid: "
                        + new java.util.TreeSet<>(store.programmeIds()));
            }
        }
        return !errors.any();
    }

    private void status(RoutingContext ctx, Agreement.Status to) {
        User admin = admin(ctx);
        JsonNode body = admin == null ? null : body(ctx, false);
        String reason = body == null ? null : reason(ctx, body);
        if (reason == null) {
            return;
        }
        String id = ctx.pathParam("id");
        if (to != Agreement.Status.ACTIVE && id.equals(admin.agreement())) {
            Problem.send(ctx, 409, "own-agreement", "Conflict", "agreement '" + Problem.printable(id) + "' is the one "
                    + "you act under; another administrator's agreement must be used to change it");
            return;
        }
        submit(ctx, new AgreementCommand.SetStatus(meta(ctx, admin, reason), id, to),
                (s, now) -> json.send(ctx, 200, g -> agreement(g, s.agreements.get(id), now)));
    }

    private void keys(RoutingContext ctx) {
        if (admin(ctx) == null) {
            return;
        }
        String user = ctx.pathParam("user_id");
        AgreementState s = store.live();
        if (s.organisationOf(user) == null) {
            Problem.notFound(ctx, "unknown-user", "user '" + Problem.printable(user) + "' is named in no agreement");
            return;
        }
        long now = store.now();
        json.send(ctx, 200, g -> {
            g.writeStartObject();
            g.writeStringField("user", user);
            g.writeStringField("organisation", s.organisationOf(user));
            g.writeArrayFieldStart("keys");
            for (ApiKey k : s.keysOf(user)) {
                key(g, k, now);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private void issue(RoutingContext ctx) {
        User admin = admin(ctx);
        JsonNode body = admin == null ? null : body(ctx, false);
        String reason = body == null ? null : reason(ctx, body);
        if (reason == null) {
            return;
        }
        String user = ctx.pathParam("user_id");
        String key = newKey();
        String keyId = "key-" + hex(8);
        submit(ctx, new AgreementCommand.IssueKey(meta(ctx, admin, reason), keyId, user, ApiKeys.sha256(key)),
                (s, now) -> json.send(ctx, 201, g -> newKey(g, s.keys.get(keyId), key, null)));
    }

    private void rotate(RoutingContext ctx) {
        User admin = admin(ctx);
        JsonNode body = admin == null ? null : body(ctx, true);
        String reason = body == null ? null : reason(ctx, body);
        if (reason == null) {
            return;
        }
        JsonNode o = body.get("overlap_seconds");
        if (o == null || !o.canConvertToLong() || !o.isIntegralNumber() || o.asLong() < 0
                || o.asLong() > MAX_OVERLAP_SECONDS) {
            Problem.send(ctx, 422, "invalid-overlap", "Unprocessable request", "overlap_seconds must be a whole "
                    + "number of seconds, 0 to " + MAX_OVERLAP_SECONDS + " (30 days): how long the old key stays "
                    + "valid beside the new one");
            return;
        }
        String old = ctx.pathParam("key_id");
        String key = newKey();
        String keyId = "key-" + hex(8);
        submit(ctx, new AgreementCommand.RotateKey(meta(ctx, admin, reason), old, keyId, ApiKeys.sha256(key),
                o.asLong()), (s, now) -> json.send(ctx, 201, g -> newKey(g, s.keys.get(keyId), key, s.keys.get(old))));
    }

    private void revokeKey(RoutingContext ctx) {
        User admin = admin(ctx);
        JsonNode body = admin == null ? null : body(ctx, false);
        String reason = body == null ? null : reason(ctx, body);
        if (reason == null) {
            return;
        }
        String id = ctx.pathParam("key_id");
        submit(ctx, new AgreementCommand.RevokeKey(meta(ctx, admin, reason), id),
                (s, now) -> json.send(ctx, 200, g -> key(g, s.keys.get(id), now)));
    }

    /** Decides the command, then answers with {@code done} on this event loop, or with the problem that stopped it. */
    private void submit(RoutingContext ctx, AgreementCommand command, BiConsumer<AgreementState, Long> done) {
        Context context = ctx.vertx().getOrCreateContext();
        CompletableFuture<AgreementState> f = store.submit(command);
        f.whenComplete((s, t) -> context.runOnContext(v -> {
            if (t == null) {
                done.accept(s, store.now());
                return;
            }
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof AgreementState.Rejected r) {
                Problem.send(ctx, r.status, r.slug, r.status == 404 ? "Not found" : r.status == 409 ? "Conflict"
                        : "Unprocessable request", r.getMessage());
                return;
            }
            if (cause instanceof AgreementStore.Unavailable u) { // a replica: the log did not take it or apply it
                ctx.response().putHeader("Retry-After", "5");
                Problem.send(ctx, 503, "agreement-journal-unavailable", "Service unavailable", u.getMessage());
                return;
            }
            boolean none = cause instanceof AgreementStore.NoJournal;
            if (!none) {
                AgreementStore.logFailure(cause);
            }
            ctx.response().putHeader("Retry-After", "5");
            Problem.send(ctx, 503, "agreement-journal-unavailable", "Service unavailable", none
                    ? "this server keeps no agreement journal, so nothing was changed"
                    : "the change could not be journaled, so nothing was changed; try again");
        }));
    }

    private AgreementCommand.Meta meta(RoutingContext ctx, User admin, String reason) {
        return new AgreementCommand.Meta(store.instant(), admin.id(), admin.organisation().id(),
                ctx.response().headers().get("X-Request-Id"), reason);
    }

    /** The body as a JSON object ({} when empty and {@code required} is false), or null after a 400. */
    private static JsonNode body(RoutingContext ctx, boolean required) {
        Buffer b = ctx.body() == null ? null : ctx.body().buffer();
        if (b == null || b.length() == 0) {
            if (!required) {
                return JsonNodeFactory.instance.objectNode();
            }
            Problem.badRequest(ctx, "invalid-body", "expected a JSON object body");
            return null;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(b.getBytes());
        } catch (IOException | IllegalArgumentException e) {
            Problem.badRequest(ctx, "invalid-json", "the body is not valid JSON: " + Problem.printable(
                    e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("")));
            return null;
        }
        if (root == null || !root.isObject()) {
            Problem.badRequest(ctx, "invalid-body", "expected a JSON object");
            return null;
        }
        return root;
    }

    /** Why the change is made: the body's {@code reason}, or the query's; null after a 400 when neither gives one. */
    private static String reason(RoutingContext ctx, JsonNode body) {
        JsonNode r = body.get("reason");
        String reason = r != null && r.isTextual() ? r.asText() : ctx.queryParams().get("reason");
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
            Problem.badRequest(ctx, "reason-required", "say why: every change to agreements and keys is logged with "
                    + "who made it and why; give \"reason\" (1 to " + MAX_REASON + " characters) in the body or the "
                    + "query");
            return null;
        }
        return reason.strip();
    }

    private static void invalid(RoutingContext ctx, FieldErrors errors) {
        Exchange.end(ctx, 422, Problem.CONTENT_TYPE, Problem.invalidFields("Invalid agreement", errors.list().size()
                + " field(s) invalid, so nothing was changed", errors.list()));
    }

    private static void agreement(JsonGenerator g, Agreement a, long now) throws IOException {
        g.writeStartObject();
        fields(g, a, now);
        g.writeEndObject();
    }

    private static void fields(JsonGenerator g, Agreement a, long now) throws IOException {
        AgreementJson.writeTerms(g, a);
        Agreement.Standing st = a.standing(now);
        g.writeStringField("status", st.key());
        if (st == Agreement.Standing.ACTIVE && a.validUntil() != null) {
            g.writeNumberField("expires_in_days", (a.validUntil().toEpochMilli() - now) / 86_400_000L);
        }
    }

    private static void key(JsonGenerator g, ApiKey k, long now) throws IOException {
        g.writeStartObject();
        g.writeStringField("key_id", k.keyId());
        g.writeStringField("user", k.userId());
        g.writeStringField("status", k.status(now));
        AgreementJson.instant(g, "created_at", k.createdAt());
        g.writeStringField("created_by", k.createdBy());
        AgreementJson.instant(g, "valid_until", k.notAfter());
        if (k.replacedBy() != null) {
            g.writeStringField("replaced_by", k.replacedBy());
        }
        if (k.revokedAt() != null) {
            AgreementJson.instant(g, "revoked_at", k.revokedAt());
            g.writeStringField("revoked_by", k.revokedBy());
        }
        g.writeEndObject();
    }

    /** A new key, shown this once; with the key it replaces when it comes from a rotation. */
    private static void newKey(JsonGenerator g, ApiKey k, String key, ApiKey replaced) throws IOException {
        g.writeStartObject();
        g.writeStringField("key_id", k.keyId());
        g.writeStringField("key", key);
        g.writeStringField("user", k.userId());
        AgreementJson.instant(g, "created_at", k.createdAt());
        if (replaced != null) {
            g.writeStringField("replaces", replaced.keyId());
            AgreementJson.instant(g, "old_key_valid_until", replaced.notAfter());
        }
        g.writeEndObject();
    }

    private static void change(JsonGenerator g, AgreementState.Change c) throws IOException {
        g.writeStartObject();
        g.writeNumberField("sequence", c.sequence());
        g.writeStringField("at", c.at().toString());
        g.writeStringField("action", c.action());
        g.writeStringField("subject", c.subject());
        g.writeStringField("by", c.by());
        g.writeStringField("by_organisation", c.byOrganisation());
        g.writeStringField("reason", c.reason());
        g.writeStringField("request_id", c.requestId());
        g.writeEndObject();
    }

    /** A new API key: 32 random bytes, URL-safe Base64, after {@code nser_}. */
    private static String newKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "nser_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
