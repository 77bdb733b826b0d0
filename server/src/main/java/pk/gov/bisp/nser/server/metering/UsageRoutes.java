package pk.gov.bisp.nser.server.metering;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Organisation;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.JsonResponse;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.RouteGroup;
import pk.gov.bisp.nser.server.http.Today;

/**
 * {@code GET /v1/usage?month=YYYY-MM} (the caller's organisation, JSON or {@code format=csv}) and
 * {@code GET /admin/usage?month=YYYY-MM} (every organisation; admin role), from the {@link Ledger}. Both say how
 * many access records of the month the journal lost to damage ({@code lost_records}, journal-wide: their
 * organisation cannot be read, so any organisation's figures may lack them); the CSV has them per day.
 */
public final class UsageRoutes implements RouteGroup {

    public static final String USAGE = "/v1/usage";
    public static final String ADMIN_USAGE = "/admin/usage";

    private final Authenticator auth;
    private final Ledger ledger;
    private final Collection<Organisation> organisations;
    private final JsonResponse json = new JsonResponse();
    /** The whole cluster's usage (audit database, issue 28), or null: this server's ledger. */
    private final UsageStore cluster;

    /** @param organisations every configured organisation, in the order the admin's usage lists them */
    public UsageRoutes(Authenticator auth, Ledger ledger, Collection<Organisation> organisations) {
        this(auth, ledger, organisations, null);
    }

    /**
     * @param cluster the whole cluster's usage, answered instead of this server's ledger (with the records every
     *                replica's journal lost to damage, as their shippers found them); null: none
     */
    public UsageRoutes(Authenticator auth, Ledger ledger, Collection<Organisation> organisations,
                       UsageStore cluster) {
        this.auth = auth;
        this.ledger = ledger;
        this.organisations = organisations;
        this.cluster = cluster;
    }

    /** Answers {@code then} with the month's usage of {@code organisation} (null: all), from the ledger or the cluster. */
    private void withUsage(RoutingContext ctx, YearMonth m, String organisation,
                           java.util.function.BiConsumer<Map<String, Ledger.Usage>, long[]> then) {
        if (cluster == null) {
            Map<String, Ledger.Usage> all = organisation == null ? ledger.month(m)
                    : Map.of(organisation, ledger.usage(organisation, m));
            then.accept(all, ledger.lostByDay(m));
            return;
        }
        ctx.vertx().executeBlocking(() -> Map.entry(cluster.month(m, organisation), cluster.lostByDay(m)), false)
                .onComplete(ar -> {
            if (ar.failed()) {
                java.util.logging.Logger.getLogger(UsageRoutes.class.getName()).warning(
                        "reading usage from the audit database failed: " + ar.cause());
                ctx.response().putHeader("Retry-After", "5");
                Problem.send(ctx, 503, "audit-database-unavailable", "Service unavailable",
                        "the cluster's usage cannot be read now; try again shortly");
                return;
            }
            then.accept(ar.result().getKey(), ar.result().getValue());
        });
    }

    @Override
    public void mount(Router router) {
        router.get(USAGE).handler(this::usage);
        router.get(ADMIN_USAGE).handler(this::adminUsage);
    }

    private void usage(RoutingContext ctx) {
        User u = auth.require(ctx, Operation.USAGE, Role.POWER, Role.STANDARD, Role.BASIC, Role.POS,
                Role.ADMIN);
        YearMonth m = u == null ? null : month(ctx);
        if (m == null) {
            return;
        }
        Organisation o = u.organisation();
        withUsage(ctx, m, o.id(), (all, lost) -> usage(ctx, o, m, all.getOrDefault(o.id(), new Ledger.Usage()), lost));
    }

    private void usage(RoutingContext ctx, Organisation o, YearMonth m, Ledger.Usage usage, long[] lost) {
        if ("csv".equals(ctx.queryParams().get("format"))) {
            StringBuilder b = new StringBuilder("organisation,month,day,requests,rows,charge_pkr,lost_records\r\n");
            for (int d = 1; d <= m.lengthOfMonth(); d++) {
                long[] c = usage.byDay[d];
                b.append(o.id()).append(',').append(m).append(',').append(m.atDay(d)).append(',').append(c[0])
                        .append(',').append(c[1]).append(',').append(pkr(c[2])).append(',').append(lost[d])
                        .append("\r\n");
            }
            Exchange.end(ctx, 200, "text/csv; charset=utf-8", Buffer.buffer(b.toString()));
            return;
        }
        long lostRecords = java.util.Arrays.stream(lost).sum();
        json.send(ctx, 200, g -> write(g, o, m, usage, true, lostRecords));
    }

    private void adminUsage(RoutingContext ctx) {
        User u = auth.require(ctx, Operation.USAGE, Role.ADMIN);
        YearMonth m = u == null ? null : month(ctx);
        if (m == null) {
            return;
        }
        withUsage(ctx, m, null, (all, lostByDay) -> adminUsage(ctx, m, all,
                java.util.Arrays.stream(lostByDay).sum()));
    }

    private void adminUsage(RoutingContext ctx, YearMonth m, Map<String, Ledger.Usage> all, long lost) {
        json.send(ctx, 200, g -> {
            g.writeStartObject();
            g.writeStringField("month", m.toString());
            g.writeNumberField("lost_records", lost);
            g.writeArrayFieldStart("organisations");
            for (Organisation o : organisations) {
                write(g, o, m, all.getOrDefault(o.id(), new Ledger.Usage()), false, -1);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** The month asked for (default: this month in Pakistan), or null after a 400. */
    private static YearMonth month(RoutingContext ctx) {
        String raw = ctx.queryParams().get("month");
        if (raw == null) {
            return YearMonth.from(ZonedDateTime.now(Today.PAKISTAN));
        }
        try {
            return YearMonth.parse(raw);
        } catch (DateTimeParseException e) {
            Problem.badRequest(ctx, "invalid-month", "month='" + Problem.printable(raw) + "' must look like 2026-11");
            return null;
        }
    }

    /** One organisation's month; {@code lost} records lost to damage in the month, or -1 to leave them out. */
    private static void write(JsonGenerator g, Organisation o, YearMonth m, Ledger.Usage u, boolean days, long lost)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("organisation", o.id());
        g.writeStringField("organisation_type", o.type().key());
        g.writeStringField("month", m.toString());
        g.writeNumberField("requests", u.total[0]);
        g.writeNumberField("rows", u.total[1]);
        g.writeFieldName("charge_pkr");
        g.writeNumber(pkr(u.total[2]));
        if (lost >= 0) {
            g.writeNumberField("lost_records", lost);
        }
        if (days) {
            g.writeArrayFieldStart("by_day");
            for (int d = 1; d <= m.lengthOfMonth(); d++) {
                long[] c = u.byDay[d];
                if (c[0] + c[1] + c[2] > 0) {
                    g.writeStartObject();
                    g.writeStringField("day", m.atDay(d).toString());
                    counters(g, c);
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
        }
        g.writeArrayFieldStart("by_operation");
        for (Map.Entry<String, long[]> e : u.byOperation.entrySet()) {
            g.writeStartObject();
            g.writeStringField("operation", e.getKey());
            counters(g, e.getValue());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void counters(JsonGenerator g, long[] c) throws IOException {
        g.writeNumberField("requests", c[0]);
        g.writeNumberField("rows", c[1]);
        g.writeFieldName("charge_pkr");
        g.writeNumber(pkr(c[2]));
    }

    static String pkr(long paisa) {
        return String.format(Locale.ROOT, "%d.%02d", paisa / 100, paisa % 100);
    }
}
