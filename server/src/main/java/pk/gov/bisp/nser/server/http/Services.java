package pk.gov.bisp.nser.server.http;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Semaphore;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.audit.AccessLog;
import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.config.ServerConfig;
import pk.gov.bisp.nser.server.feedback.PurchaseStore;
import pk.gov.bisp.nser.server.metering.Ledger;
import pk.gov.bisp.nser.server.publicstatus.FairUsage;
import pk.gov.bisp.nser.server.registry.Registry;
import pk.gov.bisp.nser.server.update.UpdateService;

/**
 * What every verticle instance shares: configuration, registry, authentication, fair-usage buckets, the date, the
 * access log and ledger, the purchases posted back by points of sale, and the what-if gate: one what-if
 * computation at a time, since each already runs on every core.
 */
public record Services(ServerConfig config, Registry registry, Authenticator auth, FairUsage fairUsage,
                       ClientAddress clientAddress, Today today, AccessLog accessLog, Ledger ledger,
                       UpdateService updates, PurchaseStore purchases, Semaphore whatIfGate) {

    /** Services without an access log (for tests of routing alone). */
    public static Services of(ServerConfig config, Registry registry) {
        return of(config, registry, AccessLog.NONE, new Ledger());
    }

    public static Services of(ServerConfig config, Registry registry, AccessLog accessLog, Ledger ledger) {
        return of(config, registry, accessLog, ledger, null);
    }

    /** Services with live updates ({@code updates} null: this server takes none). */
    public static Services of(ServerConfig config, Registry registry, AccessLog accessLog, Ledger ledger,
                              UpdateService updates) {
        return new Services(config, registry, new Authenticator(config.usersByKeyHash(), ledger),
                new FairUsage(config.publicPerMinute(), config.publicBurst()),
                new ClientAddress(config.trustedProxies()), new Today(), accessLog, ledger, updates,
                PurchaseStore.unavailable(), new Semaphore(1));
    }

    /** A copy whose purchase feedback goes to {@code store}. */
    public Services withPurchases(PurchaseStore store) {
        return new Services(config, registry, auth, fairUsage, clientAddress, today, accessLog, ledger, updates,
                store, whatIfGate);
    }

    /**
     * Mounts a GET route for {@code template} ({@code /a/b/:cnic}, {@code /a/:x/:y}) on the constant prefix before
     * its first parameter ({@code /a/b/*}, {@code /a/*}), named {@code template}. The router matches a
     * parameterised path with a regular expression (a matcher, its groups and a parameter map for every such route
     * it tries, hit or miss) but a prefix with {@code startsWith}; the hottest point lookups are mounted so. The
     * handler reads what follows the prefix with {@link #afterPrefix} (and, for more than one parameter, splits it
     * itself); metrics, the 405 check and the OpenAPI test go by {@link #template}.
     */
    public static Route getByPrefix(Router router, String template) {
        int param = template.indexOf("/:");
        if (param < 0) {
            throw new IllegalArgumentException("route " + template + " has no parameter");
        }
        return router.get(template.substring(0, param + 1) + "*").setName(template);
    }

    /** The path template a route serves: its name when it has one ({@link #getByPrefix}), else its path. */
    public static String template(Route route) {
        return route.getName() != null && route.getName().startsWith("/") ? route.getName() : route.getPath();
    }

    /**
     * What a prefix route ({@link #getByPrefix}) took after its prefix, decoded: empty for nothing, one trailing
     * slash dropped (as the router allows after a parameter).
     */
    public static String afterPrefix(RoutingContext ctx) {
        String rest = ctx.pathParam("*");
        if (rest == null || rest.isEmpty() || rest.equals("/")) {
            return "";
        }
        return rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
    }

    /** The CNIC path parameter, or -1 after answering 400 with what is wrong with it. */
    public static long cnicParam(RoutingContext ctx) {
        String raw = ctx.pathParam("cnic");
        if (raw == null) {
            raw = afterPrefix(ctx);
        }
        return cnic(ctx, raw);
    }

    /** A CNIC taken from the path, or -1 after answering 400 with what is wrong with it. */
    public static long cnic(RoutingContext ctx, String raw) {
        long cnic = Cnic.tryParse(raw);
        if (cnic < 0) {
            Problem.badRequest(ctx, "invalid-cnic", Cnic.explain(raw));
        }
        return cnic;
    }

    /** The NSER household id path parameter ({@code :id}), or -1 after answering 400 with what is wrong with it. */
    public static long householdIdParam(RoutingContext ctx) {
        String raw = ctx.pathParam("id");
        if (raw == null || !raw.matches("[1-9][0-9]{0,17}")) {
            Problem.badRequest(ctx, "invalid-household-id", "household id '" + Problem.printable(raw)
                    + "' must be a positive whole number (the NSER household id, not a CNIC)");
            return -1;
        }
        return Long.parseLong(raw);
    }

    /** Reads the household of {@code cnic} into {@code into}; false when no household has it. */
    public boolean readByCnic(long cnic, HouseholdRecord into) {
        Snapshot s = registry.snapshot();
        int ordinal = s.ordinalOfCnic(cnic);
        return ordinal >= 0 && s.read(ordinal, into);
    }

    /** True when the registry can answer; otherwise sends 503 and returns false. */
    public boolean ready(RoutingContext ctx) {
        if (registry.ready()) {
            return true;
        }
        ctx.response().putHeader("Retry-After", "5");
        Problem.send(ctx, 503, "not-ready", "Not ready", "the registry snapshot is still being verified and warmed");
        return false;
    }
}
