package pk.gov.bisp.nser.server.update;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import pk.gov.bisp.nser.core.json.FieldError;
import pk.gov.bisp.nser.core.json.HouseholdJson;
import pk.gov.bisp.nser.core.schema.SurveySource;
import pk.gov.bisp.nser.core.text.Printable;
import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.IdempotencyKey;
import pk.gov.bisp.nser.server.http.JsonResponse;
import pk.gov.bisp.nser.server.http.PathParams;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.RouteGroup;
import pk.gov.bisp.nser.server.http.Today;
import pk.gov.bisp.nser.server.lookup.LookupRoutes;
import pk.gov.bisp.nser.server.registry.Registry;

/**
 * {@code POST /v1/households}, {@code PATCH /v1/households/{id}/members}, {@code PUT /v1/households/{id}/survey}
 * (Power role with the update operation) and {@code POST /admin/checkpoint} (admin with the update operation).
 * Reads and checks the request's shape here, on the event loop; the {@link UpdateService} decides it.
 */
public final class UpdateRoutes implements RouteGroup {

    public static final String CREATE = "/v1/households";
    public static final String MEMBERS = "/v1/households/:id/members";
    public static final String SURVEY = "/v1/households/:id/survey";
    public static final String CHECKPOINT = "/admin/checkpoint";
    /** Folds the live updates into a new snapshot generation online (issue 29); GET tells how the last went. */
    public static final String COMPACT = "/admin/compact";

    /** The annual report's six update types; which a request may carry depends on what it does. */
    static final Set<SurveySource> CREATE_TYPES = Set.of(SurveySource.MISSED_OUT);
    static final Set<SurveySource> ROSTER_TYPES = Set.of(SurveySource.ROSTER_UPDATE);
    static final Set<SurveySource> SURVEY_TYPES = Set.of(SurveySource.SHOCK_UPDATE, SurveySource.APPEAL_CUTOFF,
            SurveySource.CYCLIC_UPDATE, SurveySource.RECERTIFICATION);

    private final Registry registry;
    private final Authenticator auth;
    private final Today today;
    private final UpdateService updates;
    private final long maxBodyBytes;
    private final JsonResponse json = new JsonResponse();

    /** @param updates the live updates, or null when this server takes none (each update is then answered 503) */
    public UpdateRoutes(Registry registry, Authenticator auth, Today today, UpdateService updates, long maxBodyBytes) {
        this.registry = registry;
        this.auth = auth;
        this.today = today;
        this.updates = updates;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
        router.post(CREATE).handler(body).handler(ctx -> update(ctx, UpdateCommand.Kind.CREATE));
        router.patch(MEMBERS).handler(body).handler(ctx -> update(ctx, UpdateCommand.Kind.ROSTER));
        router.put(SURVEY).handler(body).handler(ctx -> update(ctx, UpdateCommand.Kind.SURVEY));
        router.post(CHECKPOINT).handler(this::checkpoint);
        router.post(COMPACT).handler(this::compact);
        router.get(COMPACT).handler(this::compactStatus);
    }

    /** The caller when it has the update operation and {@code role} and updates are on; else null, answered. */
    private User authorised(RoutingContext ctx, Role role) {
        User user = auth.require(ctx, Operation.UPDATE, role);
        if (user == null || !registry.ready(ctx)) {
            return null;
        }
        if (updates == null) {
            Problem.send(ctx, 503, "updates-off", "Service unavailable", "this server does not take updates");
            return null;
        }
        return user;
    }

    private void update(RoutingContext ctx, UpdateCommand.Kind kind) {
        User user = authorised(ctx, Role.POWER);
        if (user == null) {
            return;
        }
        long id = kind == UpdateCommand.Kind.CREATE ? 0 : PathParams.householdId(ctx);
        if (id < 0) {
            return;
        }
        JsonNode body = json(ctx);
        if (body == null) {
            return;
        }
        long[] ifMatch = ifMatch(ctx);
        String key = ctx.request().getHeader(IdempotencyKey.HEADER);
        if (ifMatch == BAD || key != null && !IdempotencyKey.valid(ctx, key)) {
            return;
        }
        List<FieldError> errors = new java.util.ArrayList<>();
        SurveySource type = type(body, kind, errors);
        String source = source(body, user, errors);
        if (kind == UpdateCommand.Kind.CREATE) {
            id = givenId(body, errors);
        }
        if (!errors.isEmpty()) {
            send(ctx, UpdateProblems.invalid(errors));
            return;
        }
        UpdateCommand cmd = new UpdateCommand(kind, id, body, type, source, ifMatch, key,
                IdempotencyKey.fingerprint(ctx), user, today.get());
        Context context = Vertx.currentContext();
        updates.submit(cmd, outcome -> context.runOnContext(v -> send(ctx, outcome)));
    }

    private static final long[] BAD = new long[0];

    private static JsonNode json(RoutingContext ctx) {
        Buffer b = ctx.body().buffer();
        JsonNode n = null;
        try {
            n = b == null || b.length() == 0 ? null : HouseholdJson.JSON.readTree(b.getBytes());
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage();
            Problem.badRequest(ctx, "invalid-json", "the body is not valid JSON: " + Printable.of(why));
            return null;
        }
        if (n == null || !n.isObject()) {
            Problem.badRequest(ctx, "invalid-json", "expected a JSON object body");
            return null;
        }
        return n;
    }

    /** The If-Match versions: null when absent, empty for "*", {@link #BAD} after answering 400. */
    private static long[] ifMatch(RoutingContext ctx) {
        String h = ctx.request().getHeader("If-Match");
        if (h == null) {
            return null;
        }
        if (h.trim().equals("*")) {
            return new long[0];
        }
        String[] parts = h.split(",", 17);
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("W/")) {
                p = p.substring(2);
            }
            if (parts.length > 16 || !p.matches("\"[0-9]{1,9}\"")) {
                Problem.badRequest(ctx, "invalid-if-match", "If-Match must be \"*\" or ETags such as \"3\" (the "
                        + "household version), got '" + Problem.printable(h) + "'");
                return BAD;
            }
            out[i] = Long.parseLong(p.substring(1, p.length() - 1));
        }
        return out;
    }

    private static SurveySource type(JsonNode body, UpdateCommand.Kind kind, List<FieldError> errors) {
        Set<SurveySource> allowed = switch (kind) {
            case CREATE -> CREATE_TYPES;
            case ROSTER -> ROSTER_TYPES;
            case SURVEY -> SURVEY_TYPES;
        };
        JsonNode t = body.get("update_type");
        if (t == null || t.isNull()) {
            if (allowed.size() == 1) {
                return allowed.iterator().next();
            }
            errors.add(new FieldError("update_type", "missing; one of " + keys(allowed)));
            return null;
        }
        for (SurveySource s : allowed) {
            if (s.key().equals(t.asText())) {
                return s;
            }
        }
        errors.add(new FieldError("update_type", "'" + Printable.of(t.asText()) + "' is not an update type for this "
                + "request; valid: " + keys(allowed)));
        return null;
    }

    private static List<String> keys(Set<SurveySource> s) {
        return s.stream().map(SurveySource::key).sorted().toList();
    }

    private static String source(JsonNode body, User user, List<FieldError> errors) {
        JsonNode s = body.get("source_organisation");
        if (s == null || s.isNull()) {
            return user.organisation().id();
        }
        String v = s.asText();
        if (!s.isTextual() || v.isEmpty() || v.length() > 100 || !v.equals(Printable.of(v))) {
            errors.add(new FieldError("source_organisation", "must be 1 to 100 printable characters (the "
                    + "organisation the update comes from)"));
            return null;
        }
        return v;
    }

    private static long givenId(JsonNode body, List<FieldError> errors) {
        JsonNode n = body.get("household_id");
        if (n == null || n.isNull()) {
            return 0;
        }
        String v = n.asText();
        if (!v.matches("[1-9][0-9]{0,17}")) {
            errors.add(new FieldError("household_id", "'" + Printable.of(v) + "' must be a positive whole number, or "
                    + "left out to have one assigned"));
            return 0;
        }
        return Long.parseLong(v);
    }

    private static void send(RoutingContext ctx, Outcome o) {
        if (o.reason() != null) {
            Exchange.of(ctx).reason(o.reason());
        }
        if (o.version() >= 0) {
            ctx.response().putHeader(LookupRoutes.ETAG, LookupRoutes.etag(o.version()));
        }
        if (o.replayed()) {
            ctx.response().putHeader(IdempotencyKey.REPLAYED, "true");
        }
        if (o.status() == 503) {
            ctx.response().putHeader("Retry-After", "1");
        }
        Exchange.end(ctx, o.status(), o.contentType(), Buffer.buffer(o.body()));
    }

    private void checkpoint(RoutingContext ctx) {
        if (authorised(ctx, Role.ADMIN) == null) {
            return;
        }
        Context context = Vertx.currentContext();
        updates.checkpoint(r -> context.runOnContext(v -> {
            if (r instanceof Checkpoints.Result c) {
                json.send(ctx, 200, g -> {
                    g.writeStartObject();
                    g.writeStringField("file", c.file().getFileName().toString());
                    g.writeNumberField("sequence", c.sequence());
                    g.writeNumberField("households", c.households());
                    g.writeNumberField("millis", c.millis());
                    g.writeNumberField("journal_segments_deleted", c.segmentsDeleted());
                    g.writeEndObject();
                });
            } else if (r instanceof UpdateService.FoldRunning f) {
                Problem.send(ctx, 409, "fold-running", "Conflict", f.getMessage());
            } else {
                Problem.send(ctx, 500, "checkpoint-failed", "Internal error", "the checkpoint could not be written: "
                        + r + "; every update is still in the journal");
            }
        }));
    }

    /** {@code POST /admin/compact}: 202 with the fold's status once started, 409 when one is running. */
    private void compact(RoutingContext ctx) {
        Folds folds = folds(ctx);
        if (folds == null) {
            return;
        }
        if (!folds.start()) {
            Problem.send(ctx, 409, "fold-running", "Conflict", "a fold into a new snapshot generation is running; "
                    + "GET " + COMPACT + " tells when it is done");
            return;
        }
        ctx.response().putHeader("Location", COMPACT);
        sendStatus(ctx, 202, folds.status());
    }

    /** {@code GET /admin/compact}: how the last (or the running) fold went. */
    private void compactStatus(RoutingContext ctx) {
        Folds folds = folds(ctx);
        if (folds != null) {
            sendStatus(ctx, 200, folds.status());
        }
    }

    private Folds folds(RoutingContext ctx) {
        if (authorised(ctx, Role.ADMIN) == null) {
            return null;
        }
        Folds folds = updates.folds();
        if (folds == null) {
            Problem.send(ctx, 503, "updates-off", "Service unavailable", "this server makes no snapshot generations");
        }
        return folds;
    }

    private void sendStatus(RoutingContext ctx, int status, Folds.Status s) {
        json.send(ctx, status, g -> {
            g.writeStartObject();
            g.writeStringField("state", s.state());
            g.writeNumberField("generation", s.generation());
            g.writeNumberField("position", s.position());
            g.writeNumberField("households", s.households());
            g.writeNumberField("folded", s.folded());
            g.writeNumberField("caught_up", s.caughtUp());
            g.writeNumberField("millis", s.millis());
            g.writeNumberField("folds", s.folds());
            if (s.snapshot() != null) {
                g.writeStringField("snapshot", s.snapshot());
            }
            if (s.error() != null) {
                g.writeStringField("error", s.error());
            }
            g.writeEndObject();
        });
    }
}
