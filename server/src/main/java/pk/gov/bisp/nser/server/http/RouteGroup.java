package pk.gov.bisp.nser.server.http;

import io.vertx.ext.web.Router;

/**
 * What a feature mounts on the router: its routes and their handlers. The composition root makes every group once
 * per event loop, with what it needs passed to its constructor, and mounts them in order (the router tries routes in
 * the order they were mounted, so the hottest come first).
 */
@FunctionalInterface
public interface RouteGroup {

    void mount(Router router);
}
