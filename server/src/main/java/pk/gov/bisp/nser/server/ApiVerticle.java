package pk.gov.bisp.nser.server;

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
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.HeaderTimeouts;
import pk.gov.bisp.nser.server.http.LogRedaction;
import pk.gov.bisp.nser.server.http.PrefixRoutes;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.RouteGroup;

/**
 * One instance per event loop. Each instance builds its own router and route groups ({@link Wiring#groups()}: the
 * features own reusable buffers and flyweights), so nothing mutable is shared between event loops. Unmatched
 * paths, wrong methods, oversized bodies and unexpected failures all end in problem+json.
 */
public final class ApiVerticle extends VerticleBase {

    private static final Logger LOG = Logger.getLogger(ApiVerticle.class.getName());
    private final Wiring wiring;
    private HttpServer server;

    ApiVerticle(Wiring wiring) {
        this.wiring = wiring;
    }

    private static final CharSequence KEEP_ALIVE = io.vertx.core.http.HttpHeaders.createOptimized("Keep-Alive");

    /** The router with every route; also used by the OpenAPI completeness test. */
    static Router router(io.vertx.core.Vertx vertx, Wiring wiring) {
        Router router = Router.router(vertx);
        // how long a connection is kept waiting for its next request (the idle timeout, or the head timeout that
        // starts at each answer's end, whichever is shorter): a client that reads it (HttpURLConnection, Node's
        // agent) closes its idle connections first, instead of sending a request on one the server is closing
        CharSequence keepAlive = io.vertx.core.http.HttpHeaders.createOptimized("timeout=" + Math.min(
                wiring.config().connections().idleTimeoutSeconds(), wiring.config().connections()
                        .headerTimeoutSeconds()));
        router.route().handler(ctx -> {
            if (ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) { // no connection headers in h2
                ctx.response().headers().add(KEEP_ALIVE, keepAlive);
            }
            begin(ctx, wiring);
            wiring.metrics().start(ctx);
            wiring.registry().pin(ctx); // the generation read is not closed before the response ends (issue 29)
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
            } else if (wiring.positions() != null) { // a replica: the update log position (issue 27)
                wiring.positions().handle(ctx);
            } else {
                ctx.next();
            }
        });
        for (RouteGroup g : wiring.groups()) { // in order: see Wiring.groups
            g.mount(router);
        }
        // Everything below answers through Exchange.end, after the access record is journaled: a path no route
        // takes (404, or 405 when another method takes it), and a handler's failure (413 body too large, 400, 500).
        router.route().handler(ctx -> unmatched(ctx, router));
        router.route().failureHandler(ctx -> {
            if (!Exchange.begun(ctx)) { // routing failed before the first handler (e.g. a path it cannot read)
                begin(ctx, wiring);
            }
            failed(ctx, wiring.config().maxBodyBytes());
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

    private static void begin(RoutingContext ctx, Wiring wiring) {
        Exchange.begin(ctx, wiring.clientAddress().of(ctx.request()), wiring.accessLog(),
                wiring.config().metering());
    }

    /** No route took the request: 405 (with Allow) if a route takes its path with another method, else 404. */
    private static void unmatched(RoutingContext ctx, Router router) {
        String path = ctx.normalizedPath();
        String trimmed = path != null && path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1)
                : path;
        TreeSet<String> allowed = new TreeSet<>();
        for (Route r : router.getRoutes()) {
            if (r.getPath() != null && r.methods() != null && takes(PrefixRoutes.template(r), trimmed)) {
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
                .setHost(wiring.config().host())
                .setPort(wiring.config().port())
                .setMaxInitialLineLength(8_192)
                .setMaxHeaderSize(16_384)
                .setCompressionSupported(false)
                .setHttp2ClearTextEnabled(false) // see HeaderTimeouts: connections are handed over at once
                .setIdleTimeout(wiring.config().connections().idleTimeoutSeconds())
                .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
        if (wiring.config().tlsCert() != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(wiring.config().tlsCert().toString())
                    .setKeyPath(wiring.config().tlsKey().toString()));
        }
        Router router = router(vertx, wiring);
        HeaderTimeouts heads = new HeaderTimeouts(vertx, wiring.config().connections().headerTimeoutSeconds() * 1_000L);
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
