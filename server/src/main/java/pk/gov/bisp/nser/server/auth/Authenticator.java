package pk.gov.bisp.nser.server.auth;

import io.vertx.ext.web.RoutingContext;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import pk.gov.bisp.nser.server.caller.ApiKeys;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Organisation;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.Today;

/** Finds the user of a request's {@code Authorization: Bearer KEY}, or answers 401/403 itself. */
public final class Authenticator {

    private static final int MAX_KEY = 256;
    private static final int MAX_CACHED = 10_000;
    private final KeyDirectory keys;
    /**
     * The SHA-256 of keys already seen in the directory, so a known key skips the digest; bounded, only ever holds
     * keys that were once known. Only the digest is cached: the key's standing is looked up on every request, so a
     * revocation, suspension or expiry applies from the next request on.
     */
    private final Map<String, String> recent = new java.util.concurrent.ConcurrentHashMap<>();

    private final Bills bills;

    /** @param bills what each organisation has been billed this month (the ledger), for the monthly limits */
    public Authenticator(Map<String, User> usersByKeyHash, Bills bills) {
        this(KeyDirectory.of(usersByKeyHash), bills);
    }

    /**
     * @param keys  the live keys and agreements
     * @param bills what each organisation has been billed this month (the ledger), for the monthly limits
     */
    public Authenticator(KeyDirectory keys, Bills bills) {
        this.keys = keys;
        this.bills = bills;
    }

    /**
     * The authenticated user allowed {@code op} in one of {@code roles}, or null after sending 401 (no or bad
     * key) or 403 (role or operation not allowed).
     */
    public User require(RoutingContext ctx, Operation op, Role... roles) {
        return require(ctx, PROBLEM, op, roles);
    }

    /**
     * How a refusal is answered: problem+json for the native API, the DCI contract's own error body for its paths.
     * {@code slug} names the refusal ({@code unauthenticated}, {@code invalid-key}, {@code role-not-allowed},
     * {@code operation-not-allowed}, {@code organisation-limit-reached}).
     */
    @FunctionalInterface
    public interface Denial {
        void send(RoutingContext ctx, int status, String slug, String title, String detail);
    }

    /** The native API's refusals: {@link Problem#send}. */
    public static final Denial PROBLEM = Problem::send;

    /** As {@link #require(RoutingContext, Operation, Role...)}, refusing through {@code denial}. */
    public User require(RoutingContext ctx, Denial denial, Operation op, Role... roles) {
        Exchange.of(ctx).operation(op.key());
        String h = ctx.request().getHeader("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7) || h.length() <= 7) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"nser\"");
            denial.send(ctx, 401, "unauthenticated", "Unauthenticated",
                    "send the API key as 'Authorization: Bearer KEY'");
            return null;
        }
        KeyStanding k = standingOf(h.substring(7).trim());
        if (k == null) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"nser\", error=\"invalid_token\"");
            denial.send(ctx, 401, "invalid-key", "Unauthenticated", "the API key is not recognised");
            return null;
        }
        if (k.user() != null) {
            Exchange.of(ctx).user(k.user());
        }
        if (!k.ok()) {
            if (k.status() == 401) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"nser\", error=\"invalid_token\"");
            }
            Problem.send(ctx, k.status(), k.problem(), k.status() == 401 ? "Unauthenticated" : "Forbidden",
                    k.detail());
            return null;
        }
        User u = k.user();
        boolean roleOk = false;
        for (Role r : roles) {
            roleOk |= r == u.role();
        }
        if (!roleOk) {
            denial.send(ctx, 403, "role-not-allowed", "Forbidden", "role " + u.role().name().toLowerCase(java.util.Locale.ROOT)
                    + " may not use this endpoint");
            return null;
        }
        if (!u.may(op)) {
            denial.send(ctx, 403, "operation-not-allowed", "Forbidden", "user '" + u.id() + "' is not allowed the "
                    + op.key() + " operation");
            return null;
        }
        return withinLimits(ctx, u, denial) ? u : null;
    }

    /**
     * The user of the request's key, or null; answers and records nothing. For a route whose operation depends on
     * who asks, which then calls {@link #require} with that operation.
     */
    public User peek(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7) || h.length() <= 7) {
            return null;
        }
        KeyStanding k = standingOf(h.substring(7).trim());
        return k == null || !k.ok() ? null : k.user();
    }

    /**
     * True while the agreement {@code u} was allowed under is still active: for a stream between its batches, which
     * stops once the organisation's agreement is suspended, revoked or expired.
     */
    public boolean stillAllowed(User u) {
        return u.agreement() == null || keys.agreementActive(u.agreement());
    }

    private KeyStanding standingOf(String key) {
        if (key.length() > MAX_KEY) {
            return null;
        }
        String hash = recent.get(key);
        if (hash != null) {
            return keys.lookup(hash);
        }
        hash = ApiKeys.sha256(key);
        KeyStanding k = keys.lookup(hash);
        if (k != null) {
            if (recent.size() >= MAX_CACHED) {
                recent.clear();
            }
            recent.put(key, hash);
        }
        return k;
    }

    /** False after a 429 when the organisation has used its monthly budget or row quota. */
    private boolean withinLimits(RoutingContext ctx, User u, Denial denial) {
        Organisation o = u.organisation();
        if (o.monthlyBudgetPaisa() == 0 && o.monthlyRowQuota() == 0) {
            return true;
        }
        ZonedDateTime now = ZonedDateTime.now(Today.PAKISTAN);
        long[] billed = bills.billed(o.id(), YearMonth.from(now));
        String limit = null;
        if (o.monthlyRowQuota() > 0 && billed[0] >= o.monthlyRowQuota()) {
            limit = "monthly row quota of " + o.monthlyRowQuota() + " rows";
        } else if (o.monthlyBudgetPaisa() > 0 && billed[1] >= o.monthlyBudgetPaisa()) {
            limit = String.format(Locale.ROOT, "monthly budget of %d.%02d PKR", o.monthlyBudgetPaisa() / 100,
                    o.monthlyBudgetPaisa() % 100);
        }
        if (limit == null) {
            return true;
        }
        ZonedDateTime reset = now.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(Today.PAKISTAN);
        ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, reset.toEpochSecond() - now.toEpochSecond())));
        denial.send(ctx, 429, "organisation-limit-reached", "Too many requests", "organisation '" + o.id()
                + "' has used its " + limit + "; it resets at " + reset.toOffsetDateTime());
        return false;
    }
}
