package pk.gov.bisp.nser.server.health;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.JsonResponse;
import pk.gov.bisp.nser.server.http.Services;
import pk.gov.bisp.nser.server.update.UpdateService;

/** {@code /health/live}, {@code /health/ready}, {@code /metrics}, {@code /openapi.yaml}. */
public final class HealthRoutes {

    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    public static final String METRICS = "/metrics";
    public static final String OPENAPI = "/openapi.yaml";
    private static final Buffer LIVE_BODY = Buffer.buffer("{\"status\":\"UP\"}");
    private static final Buffer OPENAPI_BODY = load();

    private final Services services;
    private final RouteMetrics metrics;
    private final JsonResponse json = new JsonResponse();

    public HealthRoutes(Services services, RouteMetrics metrics) {
        this.services = services;
        this.metrics = metrics;
    }

    public void mount(Router router) {
        router.get(LIVE).handler(ctx -> {
            Exchange.of(ctx).operation("health");
            Exchange.end(ctx, 200, "application/json", LIVE_BODY);
        });
        router.get(READY).handler(this::ready);
        router.get(METRICS).handler(ctx -> Exchange.end(ctx, 200, "text/plain; version=0.0.4; charset=utf-8",
                Buffer.buffer(metrics.scrape() + journals() + updates())));
        router.get(OPENAPI).handler(ctx -> Exchange.end(ctx, 200, "application/yaml", OPENAPI_BODY));
    }

    /**
     * Records the access journal lost to damage, found when it was opened (those of the update and feedback
     * journals stop the start instead).
     */
    private String journals() {
        return "# HELP nser_journal_lost_records Records a journal had lost to damage when it was opened.\n"
                + "# TYPE nser_journal_lost_records gauge\nnser_journal_lost_records{journal=\"access\"} "
                + services.accessLog().lostRecords() + "\n";
    }

    /** The live-update gauges, when this server takes updates and the registry is open. */
    private String updates() {
        UpdateService u = services.updates();
        if (u == null || !services.registry().ready()) {
            return "";
        }
        return "# HELP nser_updates_applied_total Live updates applied since start.\n"
                + "# TYPE nser_updates_applied_total counter\nnser_updates_applied_total " + u.applied() + "\n"
                + "# HELP nser_updates_journal_sequence Update journal sequence of the last applied update.\n"
                + "# TYPE nser_updates_journal_sequence gauge\nnser_updates_journal_sequence " + u.appliedSequence()
                + "\n# HELP nser_households_changed Households changed or added since the snapshot was built.\n"
                + "# TYPE nser_households_changed gauge\nnser_households_changed "
                + services.registry().snapshot().updatedCount() + "\n";
    }

    private void ready(RoutingContext ctx) {
        boolean ready = services.registry().ready();
        Throwable failure = services.registry().failure();
        json.send(ctx, ready ? 200 : 503, g -> {
            g.writeStartObject();
            g.writeStringField("status", ready ? "READY" : failure != null ? "FAILED" : "WARMING");
            g.writeNumberField("warmed_bytes", services.registry().warmedBytes());
            g.writeNumberField("locked_bytes", services.registry().lockedBytes());
            if (ready) {
                g.writeNumberField("households", services.registry().snapshot().householdCount());
            }
            g.writeEndObject();
        });
    }

    private static Buffer load() {
        try (InputStream in = HealthRoutes.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml missing from the server jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
