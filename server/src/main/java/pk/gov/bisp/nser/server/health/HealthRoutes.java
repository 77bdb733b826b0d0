package pk.gov.bisp.nser.server.health;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import pk.gov.bisp.nser.server.accesslog.AccessLog;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.JsonResponse;
import pk.gov.bisp.nser.server.http.RouteGroup;
import pk.gov.bisp.nser.server.registry.Registry;
import pk.gov.bisp.nser.server.update.UpdateService;

/** {@code /health/live}, {@code /health/ready}, {@code /metrics}, {@code /openapi.yaml}. */
public final class HealthRoutes implements RouteGroup {

    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    public static final String METRICS = "/metrics";
    public static final String OPENAPI = "/openapi.yaml";
    private static final Buffer LIVE_BODY = Buffer.buffer("{\"status\":\"UP\"}");
    private static final Buffer OPENAPI_BODY = load();

    private final Registry registry;
    private final AccessLog accessLog;
    private final UpdateService updates;
    private final RouteMetrics metrics;
    private final JsonResponse json = new JsonResponse();
    private final long maxReadyLag;

    /** @param updates the live updates, or null when this server takes none */
    public HealthRoutes(Registry registry, AccessLog accessLog, UpdateService updates, RouteMetrics metrics) {
        this(registry, accessLog, updates, metrics, Long.MAX_VALUE);
    }

    /** @param maxReadyLag on a replica, the update log records it may be behind and still be ready */
    public HealthRoutes(Registry registry, AccessLog accessLog, UpdateService updates, RouteMetrics metrics,
                        long maxReadyLag) {
        this.maxReadyLag = maxReadyLag;
        this.registry = registry;
        this.accessLog = accessLog;
        this.updates = updates;
        this.metrics = metrics;
    }

    @Override
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
                + accessLog.lostRecords() + "\n";
    }

    /** The live-update gauges, when this server takes updates and the registry is open. */
    private String updates() {
        UpdateService u = updates;
        if (u == null || !registry.ready()) {
            return "";
        }
        return "# HELP nser_updates_applied_total Live updates applied since start.\n"
                + "# TYPE nser_updates_applied_total counter\nnser_updates_applied_total " + u.applied() + "\n"
                + "# HELP nser_updates_journal_sequence Update journal sequence of the last applied update.\n"
                + "# TYPE nser_updates_journal_sequence gauge\nnser_updates_journal_sequence " + u.appliedSequence()
                + "\n# HELP nser_households_changed Households changed or added since the snapshot was built.\n"
                + "# TYPE nser_households_changed gauge\nnser_households_changed "
                + registry.snapshot().updatedCount() + "\n" + replica(u);
    }

    /** A replica's update log gauges (issue 27), or nothing on a single server. */
    private static String replica(UpdateService u) {
        if (!u.replicated()) {
            return "";
        }
        return "# HELP nser_update_log_position Update log position this replica has applied.\n"
                + "# TYPE nser_update_log_position gauge\nnser_update_log_position " + u.position() + "\n"
                + "# HELP nser_update_log_lag Update log records this replica has yet to apply (-1: not known yet).\n"
                + "# TYPE nser_update_log_lag gauge\nnser_update_log_lag " + u.lag() + "\n" + u.applyLagMetrics();
    }

    private void ready(RoutingContext ctx) {
        boolean open = registry.ready();
        boolean replica = updates != null && updates.replicated();
        long lag = replica ? updates.lag() : 0;
        boolean behind = replica && (lag < 0 || lag > maxReadyLag); // a replica still catching up on the log
        boolean ready = open && !behind;
        Throwable failure = registry.failure();
        json.send(ctx, ready ? 200 : 503, g -> {
            g.writeStartObject();
            g.writeStringField("status", ready ? "READY" : failure != null ? "FAILED" : open ? "CATCHING_UP"
                    : "WARMING");
            g.writeNumberField("warmed_bytes", registry.warmedBytes());
            g.writeNumberField("locked_bytes", registry.lockedBytes());
            if (open) {
                g.writeNumberField("households", registry.snapshot().householdCount());
            }
            if (replica) {
                g.writeNumberField("update_log_position", Math.max(0, updates.position()));
                g.writeNumberField("update_log_lag", lag);
                g.writeNumberField("max_ready_lag", maxReadyLag);
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
