package pk.gov.bisp.nser.server.publicstatus;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import pk.gov.bisp.nser.server.http.ClientAddress;
import pk.gov.bisp.nser.server.http.Exchange;

/**
 * The fair-usage limit of keyless callers (the public status page, keyless statistics), per client address. One
 * for the whole server: its buckets are shared by every event loop.
 */
public final class Admission {

    private final FairUsage fairUsage;
    private final ClientAddress clientAddress;

    public Admission(FairUsage fairUsage, ClientAddress clientAddress) {
        this.fairUsage = fairUsage;
        this.clientAddress = clientAddress;
    }

    /**
     * Takes a fair-usage token for the caller and sets the RateLimit headers (and Retry-After on refusal); the
     * caller answers the refusal in its own form.
     */
    public FairUsage.Decision admit(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String client = Exchange.begun(ctx) ? Exchange.of(ctx).clientIp() : clientAddress.of(req);
        FairUsage.Decision d = fairUsage.take(client, System.nanoTime());
        req.response().putHeader("RateLimit-Limit", Integer.toString(d.limit()))
                .putHeader("RateLimit-Remaining", Integer.toString(d.remaining()))
                .putHeader("RateLimit-Reset", Long.toString(d.resetSeconds()))
                .putHeader("RateLimit-Policy", d.limit() + ";w=60");
        if (!d.allowed()) {
            req.response().putHeader("Retry-After", Long.toString(d.retryAfterSeconds()));
        }
        return d;
    }

    /** Forgets the buckets of clients idle long enough to be full again (every minute, off the event loops). */
    public void sweep(long nowNanos) {
        fairUsage.sweep(nowNanos);
    }
}
