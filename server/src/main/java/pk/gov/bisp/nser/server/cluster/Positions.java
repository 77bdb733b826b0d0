package pk.gov.bisp.nser.server.cluster;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import pk.gov.bisp.nser.server.http.Problem;

/**
 * The update log position on a replica's answers (issue 27): every answer carries {@value #POSITION}, the position
 * this replica has applied; a request with {@value #MIN_POSITION} waits (on timers, never blocking its event loop)
 * until this replica has applied that position, so a client reads its own writes on any replica, and is answered
 * 503 with {@code Retry-After} when the bound ({@code cluster.min_position_wait_ms}) passes first.
 */
public final class Positions {

    public static final String POSITION = "Registry-Position";
    public static final String MIN_POSITION = "Registry-Min-Position";
    /** How often a waiting request looks at the position again. */
    private static final long POLL_MILLIS = 2;

    private final LongSupplier applied;
    private final long waitNanos;

    /** @param applied the position applied (never blocking) */
    public Positions(LongSupplier applied, int waitMillis) {
        this.applied = applied;
        this.waitNanos = TimeUnit.MILLISECONDS.toNanos(waitMillis);
    }

    /** Puts the position on the answer and passes the request on once the position it asks for is applied. */
    public void handle(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> ctx.response().putHeader(POSITION, Long.toString(Math.max(0,
                applied.getAsLong()))));
        String min = ctx.request().getHeader(MIN_POSITION);
        if (min == null) {
            ctx.next();
            return;
        }
        if (!min.matches("[0-9]{1,18}")) {
            Problem.badRequest(ctx, "invalid-min-position", MIN_POSITION + " must be a log position (a whole number "
                    + "from a " + POSITION + " header), got '" + Problem.printable(min) + "'");
            return;
        }
        long want = Long.parseLong(min);
        if (applied.getAsLong() >= want) {
            ctx.next();
            return;
        }
        await(ctx, want, System.nanoTime() + waitNanos);
    }

    private void await(RoutingContext ctx, long want, long deadline) {
        ctx.vertx().setTimer(POLL_MILLIS, id -> {
            long now = applied.getAsLong();
            if (now >= want) {
                ctx.next();
            } else if (System.nanoTime() - deadline >= 0) {
                ctx.response().putHeader("Retry-After", "1");
                Problem.send(ctx, 503, "position-not-reached", "Service unavailable", "this replica has applied update "
                        + "log position " + Math.max(0, now) + ", not yet " + want + " (" + MIN_POSITION + "); retry "
                        + "shortly, or ask another replica");
            } else {
                await(ctx, want, deadline);
            }
        });
    }
}
