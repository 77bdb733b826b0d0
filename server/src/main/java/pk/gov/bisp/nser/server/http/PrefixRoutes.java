package pk.gov.bisp.nser.server.http;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** GET routes matched by a constant prefix instead of a regular expression, for the hottest point lookups. */
public final class PrefixRoutes {

    private PrefixRoutes() {
    }

    /**
     * Mounts a GET route for {@code template} ({@code /a/b/:cnic}, {@code /a/:x/:y}) on the constant prefix before
     * its first parameter ({@code /a/b/*}, {@code /a/*}), named {@code template}. The router matches a
     * parameterised path with a regular expression (a matcher, its groups and a parameter map for every such route
     * it tries, hit or miss) but a prefix with {@code startsWith}; the hottest point lookups are mounted so. The
     * handler reads what follows the prefix with {@link #afterPrefix} (and, for more than one parameter, splits it
     * itself); metrics, the 405 check and the OpenAPI test go by {@link #template}.
     */
    public static Route get(Router router, String template) {
        int param = template.indexOf("/:");
        if (param < 0) {
            throw new IllegalArgumentException("route " + template + " has no parameter");
        }
        return router.get(template.substring(0, param + 1) + "*").setName(template);
    }

    /** The path template a route serves: its name when it has one ({@link #get}), else its path. */
    public static String template(Route route) {
        return route.getName() != null && route.getName().startsWith("/") ? route.getName() : route.getPath();
    }

    /**
     * What a prefix route ({@link #get}) took after its prefix, decoded: empty for nothing, one trailing slash
     * dropped (as the router allows after a parameter).
     */
    public static String afterPrefix(RoutingContext ctx) {
        String rest = ctx.pathParam("*");
        if (rest == null || rest.isEmpty() || rest.equals("/")) {
            return "";
        }
        return rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
    }
}
