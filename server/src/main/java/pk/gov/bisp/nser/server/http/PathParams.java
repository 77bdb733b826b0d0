package pk.gov.bisp.nser.server.http;

import io.vertx.ext.web.RoutingContext;
import pk.gov.bisp.nser.core.cnic.Cnic;

/** The path parameters the API shares, read and checked: each answers 400 with what is wrong, and returns -1. */
public final class PathParams {

    private PathParams() {
    }

    /** The CNIC path parameter ({@code :cnic}, or what a prefix route took), or -1 after answering 400. */
    public static long cnic(RoutingContext ctx) {
        String raw = ctx.pathParam("cnic");
        if (raw == null) {
            raw = PrefixRoutes.afterPrefix(ctx);
        }
        return cnic(ctx, raw);
    }

    /** A CNIC taken from the path, or -1 after answering 400 with what is wrong with it. */
    public static long cnic(RoutingContext ctx, String raw) {
        long cnic = Cnic.tryParse(raw);
        if (cnic < 0) {
            Problem.badRequest(ctx, "invalid-cnic", Cnic.explain(raw));
        }
        return cnic;
    }

    /** The NSER household id path parameter ({@code :id}), or -1 after answering 400 with what is wrong with it. */
    public static long householdId(RoutingContext ctx) {
        String raw = ctx.pathParam("id");
        if (raw == null || !raw.matches("[1-9][0-9]{0,17}")) {
            Problem.badRequest(ctx, "invalid-household-id", "household id '" + Problem.printable(raw)
                    + "' must be a positive whole number (the NSER household id, not a CNIC)");
            return -1;
        }
        return Long.parseLong(raw);
    }
}
