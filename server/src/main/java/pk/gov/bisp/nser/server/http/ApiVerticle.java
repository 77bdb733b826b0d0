package pk.gov.bisp.nser.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.Duration;
import java.util.TreeSet;
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
            begin(ctx, services);
            metrics.start(ctx);
            // a path the router cannot decode would fail while routes are matched, in Vert.x Web's error handler,
            // which must answer at once: refused here instead, so that it too waits for its access record
            // the same for a query string: a malformed escape (%zz) would otherwise fail in the route's handler, when
            // it first reads a parameter, as an unexpected failure
            String query = ctx.request().query();
            if (!decodable(ctx.request().path())) {
                Problem.send(ctx, 400, "bad-path", "Bad request", "the path " + Problem.printable(ctx.request().path())
                        + " is not valid percent-encoded UTF-8");
            } else if (query != null && !decodable(query)) {
                Problem.send(ctx, 400, "bad-query", "Bad request", "the query string is not valid percent-encoded "
                        + "UTF-8 (each % must be followed by two hex digits, and the bytes must be UTF-8)");
            } else {
                ctx.next();
            }
        });
        // the hottest routes first: the router tries routes in order, matching parameterised paths by regex (a
        // matcher each, whatever the request's method)
        new HealthRoutes(services, metrics).mount(router);
        LookupRoutes lookups = new LookupRoutes(services); // by prefix, not regex: Services.getByPrefix
        lookups.mount(router);
        new PublicStatusRoutes(services).mount(router); // by prefix too
        EligibilityRoutes eligibility = new EligibilityRoutes(services);
        eligibility.mount(router);
        eligibility.mountBatch(router); // POST, after the GET lookups: see mountBatch
        new SearchRoutes(services, metrics).mount(router);
        lookups.mountById(router);
        new UpdateRoutes(services).mount(router);
        new StatsRoutes(services).mount(router);
        new WhatIfRoutes(services).mount(router);
        new UsageRoutes(services).mount(router);
        new AccessLogRoutes(services).mount(router);
        new FeedbackRoutes(services).mount(router);
        // Everything below answers through Exchange.end, after the access record is journaled: a path no route
        // takes (404, or 405 when another method takes it), and a handler's failure (413 body too large, 400, 500).
        router.route().handler(ctx -> unmatched(ctx, router));
        router.route().failureHandler(ctx -> {
            if (!Exchange.begun(ctx)) { // routing failed before the first handler (e.g. a path it cannot read)
                begin(ctx, services);
            }
            failed(ctx, services.config().maxBodyBytes());
        });
        // The catch-all route leaves Vert.x Web no 404 or 405 of its own. What is left to its error handlers is a
        // failure while routes are matched, or in the failure handler itself: it requires them ended before the
        // handler returns, so these are sent at once and journaled just after (Exchange.endNow).
        router.errorHandler(400, ctx -> Problem.sendNow(ctx, 400, "bad-request", "Bad request",
                "the request could not be read"));
        router.errorHandler(500, ctx -> {
            LOG.log(Level.WARNING, "unexpected failure before routing", LogRedaction.throwable(ctx.failure()));
            Problem.sendNow(ctx, 500, "internal-error", "Internal error",
                    "the server failed to answer; the failure is logged");
        });
        return router;
    }

    private static void begin(RoutingContext ctx, Services services) {
        Exchange.begin(ctx, services.clientAddress().of(ctx.request()), services.accessLog(),
                services.config().metering());
    }

    /** No route took the request: 405 (with Allow) if a route takes its path with another method, else 404. */
    private static void unmatched(RoutingContext ctx, Router router) {
        String path = ctx.normalizedPath();
        String trimmed = path != null && path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1)
                : path;
        TreeSet<String> allowed = new TreeSet<>();
        for (Route r : router.getRoutes()) {
            if (r.getPath() != null && r.methods() != null && takes(Services.template(r), trimmed)) {
                r.methods().forEach(m -> allowed.add(m.name()));
            }
        }
        if (!allowed.isEmpty()) {
            ctx.response().putHeader("Allow", String.join(", ", allowed));
            Problem.send(ctx, 405, "method-not-allowed", "Method not allowed", ctx.request().method()
                    + " is not allowed on " + Problem.printable(path) + "; allowed: " + String.join(", ", allowed));
            return;
        }
        Problem.send(ctx, 404, "no-such-route", "Not found", "no endpoint at " + Problem.printable(path)
                + "; see /openapi.yaml");
    }

    /** Whether {@code rawPath} is percent-encoded UTF-8 ({@code %} and two hex digits, decoding to valid UTF-8). */
    static boolean decodable(String rawPath) {
        if (rawPath == null || rawPath.indexOf('%') < 0) {
            return rawPath != null;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c != '%') {
                if (c > 0x7F) {
                    return false; // a raw request line is ASCII
                }
                bytes.write(c);
                continue;
            }
            if (i + 2 >= rawPath.length() || Character.digit(rawPath.charAt(i + 1), 16) < 0
                    || Character.digit(rawPath.charAt(i + 2), 16) < 0) {
                return false;
            }
            bytes.write(Character.digit(rawPath.charAt(i + 1), 16) * 16 + Character.digit(rawPath.charAt(i + 2), 16));
            i += 2;
        }
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** Whether a route template such as {@code /v1/households/by-cnic/:cnic} takes {@code path}. */
    static boolean takes(String template, String path) {
        if (path == null) {
            return false;
        }
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith(":") ? p[i].isEmpty() : !t[i].equals(p[i])) {
                return false;
            }
        }
        return true;
    }

    /** A handler failed: the body was too large or unreadable, or something unexpected (logged) happened. */
    private static void failed(RoutingContext ctx, long maxBodyBytes) {
        HttpServerResponse res = ctx.response();
        if (res.headWritten()) { // a stream that broke after its head: nothing can be said any more
            if (!res.ended()) {
                res.reset();
            }
            return;
        }
        int status = ctx.statusCode();
        if (res.closed() || ctx.failure() instanceof HttpClosedException) { // the client left mid-request: a 499
            Problem.send(ctx, 400, "bad-request", "Bad request", "the connection closed before the request was read");
        } else if (status == 413) {
            Problem.send(ctx, 413, "body-too-large", "Payload too large",
                    "the request body is larger than " + maxBodyBytes + " bytes");
        } else if (clientError(ctx.failure(), status)) { // e.g. 400 unreadable, 417 Expect, a query it cannot decode
            int s = ctx.failure() instanceof HttpException h ? h.getStatusCode() : status;
            Problem.send(ctx, s, "bad-request", HttpResponseStatus.valueOf(s).reasonPhrase(),
                    "the request could not be read (" + s + ")");
        } else {
            LOG.log(Level.WARNING, "unexpected failure answering " + ctx.request().method() + " "
                    + LogRedaction.text(Problem.printable(ctx.request().path())), LogRedaction.throwable(ctx.failure()));
            Problem.send(ctx, 500, "internal-error", "Internal error",
                    "the server failed to answer; the failure is logged");
        }
    }

    /**
     * Whether a handler's failure is the caller's: a status of 400-499 with no exception, or Vert.x Web's own
     * {@link HttpException} with such a status (what reading a malformed query or body throws).
     */
    static boolean clientError(Throwable failure, int status) {
        if (failure instanceof HttpException h) {
            return h.getStatusCode() >= 400 && h.getStatusCode() < 500;
        }
        return failure == null && status >= 400 && status < 500;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(services.config().host())
                .setPort(services.config().port())
                .setMaxInitialLineLength(8_192)
                .setMaxHeaderSize(16_384)
                .setCompressionSupported(false)
                .setHttp2ClearTextEnabled(false) // see HeaderTimeouts: connections are handed over at once
                .setIdleTimeout(services.config().connections().idleTimeoutSeconds())
                .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
        if (services.config().tlsCert() != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(services.config().tlsCert().toString())
                    .setKeyPath(services.config().tlsKey().toString()));
        }
        Router router = router(vertx, services, metrics);
        HeaderTimeouts heads = new HeaderTimeouts(vertx, services.config().connections().headerTimeoutSeconds() * 1_000L);
        // first of all: the end of each answer starts the wait for the connection's next request head
        router.route().order(-1).handler(ctx -> {
            io.vertx.core.http.HttpConnection c = ctx.request().connection();
            ctx.addEndHandler(ar -> heads.answered(c));
            ctx.next();
        });
        server = vertx.createHttpServer(options).connectionHandler(heads::opened).requestHandler(req -> {
            heads.headRead(req.connection());
            router.handle(req);
        });
        return server.listen();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.shutdown(Duration.ofSeconds(10));
    }
}
