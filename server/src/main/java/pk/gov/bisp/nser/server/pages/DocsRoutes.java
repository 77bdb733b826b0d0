package pk.gov.bisp.nser.server.pages;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.RouteGroup;

/**
 * {@code GET /docs}: Swagger UI (from its webjar, served at {@code /assets/}) on {@code /openapi.yaml}, with the
 * document's bearer scheme behind its Authorize button, so a partner can try a call with their key. No request
 * leaves for another host: the online validator is switched off and the policy allows this origin only.
 */
public final class DocsRoutes implements RouteGroup {

    public static final String DOCS = "/docs";

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'";

    private static final byte[] PAGE = ("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>NSER registry API</title>
            <link rel="stylesheet" href="/assets/swagger-ui.css">
            </head>
            <body>
            <noscript><p>This page needs JavaScript. The API is described in
            <a href="/openapi.yaml">/openapi.yaml</a> (OpenAPI 3).</p></noscript>
            <div id="swagger-ui"></div>
            <script src="/assets/swagger-ui-bundle.js"></script>
            <script src="/assets/docs.js"></script>
            </body>
            </html>
            """).getBytes(StandardCharsets.UTF_8);

    @Override
    public void mount(Router router) {
        router.get(DOCS).handler(this::docs);
    }

    private void docs(RoutingContext ctx) {
        Exchange.of(ctx).operation("docs");
        ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff");
        Exchange.end(ctx, 200, "text/html; charset=utf-8", Buffer.buffer(PAGE));
    }
}
