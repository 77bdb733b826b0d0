package pk.gov.bisp.nser.server.pages;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.PrefixRoutes;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.RouteGroup;

/**
 * {@code GET /assets/{file}}: what the pages load (see {@link Assets}), gzipped for a client that accepts it,
 * cacheable for a day. No key and no fair-usage token: the files are public and the same for everyone.
 */
public final class AssetRoutes implements RouteGroup {

    public static final String ASSET = "/assets/:file";
    private static final String MAX_AGE = "public, max-age=86400";

    private final Assets assets;

    public AssetRoutes(Assets assets) {
        this.assets = assets;
    }

    @Override
    public void mount(Router router) {
        PrefixRoutes.get(router, ASSET).handler(this::asset);
    }

    private void asset(RoutingContext ctx) {
        Exchange.of(ctx).operation("asset");
        String name = PrefixRoutes.afterPrefix(ctx);
        Assets.Asset a = assets.get(name);
        if (a == null) {
            Problem.send(ctx, 404, "no-such-asset", "Not found", "no asset named " + Problem.printable(name)
                    + "; the pages' assets are " + String.join(", ", assets.names()));
            return;
        }
        HttpServerResponse res = ctx.response();
        res.putHeader("Cache-Control", MAX_AGE).putHeader("X-Content-Type-Options", "nosniff");
        byte[] body = a.bytes();
        if (a.gzipped() != null) {
            res.putHeader("Vary", "Accept-Encoding");
            String accept = ctx.request().getHeader("Accept-Encoding");
            if (accept != null && accept.contains("gzip")) {
                res.putHeader("Content-Encoding", "gzip");
                body = a.gzipped();
            }
        }
        Exchange.end(ctx, 200, a.contentType(), Buffer.buffer(body));
    }
}
