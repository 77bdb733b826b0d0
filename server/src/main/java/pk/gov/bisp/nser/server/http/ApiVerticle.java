package pk.gov.bisp.nser.server.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.server.audit.AccessLogRoutes;
import pk.gov.bisp.nser.server.eligibility.EligibilityRoutes;
import pk.gov.bisp.nser.server.feedback.FeedbackRoutes;
import pk.gov.bisp.nser.server.metering.UsageRoutes;
import pk.gov.bisp.nser.server.health.HealthRoutes;
import pk.gov.bisp.nser.server.health.RouteMetrics;
import pk.gov.bisp.nser.server.lookup.LookupRoutes;
import pk.gov.bisp.nser.server.publicstatus.PublicStatusRoutes;
import pk.gov.bisp.nser.server.search.SearchRoutes;
import pk.gov.bisp.nser.server.stats.StatsRoutes;
import pk.gov.bisp.nser.server.stats.WhatIfRoutes;
import pk.gov.bisp.nser.server.update.UpdateRoutes;

/**
 * One instance per event loop. Each instance builds its own router and feature handlers (which own reusable
 * buffers and flyweights), so nothing mutable is shared between event loops. Unmatched paths, wrong methods,
 * oversized bodies and unexpected failures all end in problem+json.
 */
public final class ApiVerticle extends VerticleBase {

    private static final Logger LOG = Logger.getLogger(ApiVerticle.class.getName());
    private final Services services;
    private final RouteMetrics metrics;
    private HttpServer server;

    public ApiVerticle(Services services, RouteMetrics metrics) {
        this.services = services;
        this.metrics = metrics;
    }

    /** The router with every route; also used by the OpenAPI completeness test. */
    public static Router router(io.vertx.core.Vertx vertx, Services services, RouteMetrics metrics) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            Exchange.begin(ctx, services.clientAddress().of(ctx.request()), services.accessLog(),
                    services.config().metering());
            metrics.start(ctx);
        });
        new HealthRoutes(services, metrics).mount(router);
        new SearchRoutes(services, metrics).mount(router);
        new UpdateRoutes(services).mount(router);
        new StatsRoutes(services).mount(router);
        new WhatIfRoutes(services).mount(router);
        new LookupRoutes(services).mount(router);
        new UsageRoutes(services).mount(router);
        new AccessLogRoutes(services).mount(router);
        new EligibilityRoutes(services).mount(router);
        new FeedbackRoutes(services).mount(router);
        new PublicStatusRoutes(services).mount(router);
        router.errorHandler(404, ctx -> Problem.sendNow(ctx, 404, "no-such-route", "Not found", "no endpoint at "
                + Problem.printable(ctx.request().path()) + "; see /openapi.yaml"));
        router.errorHandler(405, ctx -> Problem.sendNow(ctx, 405, "method-not-allowed", "Method not allowed",
                ctx.request().method() + " is not allowed on " + Problem.printable(ctx.request().path())));
        router.errorHandler(413, ctx -> Problem.sendNow(ctx, 413, "body-too-large", "Payload too large",
                "the request body is larger than " + services.config().maxBodyBytes() + " bytes"));
        router.errorHandler(400, ctx -> Problem.sendNow(ctx, 400, "bad-request", "Bad request",
                "the request could not be read"));
        router.errorHandler(500, ctx -> {
            String route = ctx.currentRoute() == null ? "unmatched" : String.valueOf(ctx.currentRoute().getPath());
            LOG.log(Level.WARNING, "unexpected failure on route " + route, ctx.failure());
            Problem.sendNow(ctx, 500, "internal-error", "Internal error",
                    "the server failed to answer; the failure is logged");
        });
        return router;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(services.config().host())
                .setPort(services.config().port())
                .setMaxInitialLineLength(8_192)
                .setMaxHeaderSize(16_384)
                .setCompressionSupported(false);
        if (services.config().tlsCert() != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(services.config().tlsCert().toString())
                    .setKeyPath(services.config().tlsKey().toString()));
        }
        server = vertx.createHttpServer(options).requestHandler(router(vertx, services, metrics));
        return server.listen();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.shutdown(Duration.ofSeconds(10));
    }
}
