package pk.gov.bisp.nser.server.http;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import pk.gov.bisp.nser.server.config.User;

/**
 * One request on its way through the server: who asked, for what, and what they were given. Created by the
 * first handler; every response ends through {@link #end}, which hands the finished request to the access log
 * and releases the response only once the log has it. Event-loop confined.
 */
public final class Exchange {

    /** Field classes of the data-sharing plan (6.3), as bits. */
    public static final int PUBLIC = 1;
    public static final int CONFIDENTIAL = 2;
    public static final int SECRET = 4;

    private static final String KEY = "nser.exchange";

    final String requestId;
    final long startNanos;
    final long startMillis;
    final Context context;
    final String clientIp;
    User user;
    String operation = "other";
    long cnic = -1;
    long rows;
    int fieldClasses;
    boolean stream;

    private Exchange(Context context, String clientIp) {
        this.requestId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        this.startNanos = System.nanoTime();
        this.startMillis = System.currentTimeMillis();
        this.context = context;
        this.clientIp = clientIp;
    }

    /** Starts the exchange of a request (the first handler). */
    public static Exchange begin(RoutingContext ctx, String clientIp) {
        Exchange x = new Exchange(ctx.vertx().getOrCreateContext(), clientIp);
        ctx.put(KEY, x);
        ctx.response().putHeader("X-Request-Id", x.requestId);
        return x;
    }

    /** The exchange of this request. */
    public static Exchange of(RoutingContext ctx) {
        Exchange x = ctx.get(KEY);
        if (x == null) {
            throw new IllegalStateException("no exchange: the first handler did not run");
        }
        return x;
    }

    public String requestId() {
        return requestId;
    }

    public void user(User u) {
        this.user = u;
    }

    public User user() {
        return user;
    }

    /** The type of search (lookup, eligibility, search, stats, public-status, ...). */
    public Exchange operation(String op) {
        this.operation = op;
        return this;
    }

    public Exchange cnic(long searched) {
        this.cnic = searched;
        return this;
    }

    /** Household rows in the response and the classes of the fields they carry. */
    public Exchange rows(long n, int classes) {
        this.rows = n;
        this.fieldClasses |= classes;
        return this;
    }

    public long rows() {
        return rows;
    }

    public Exchange stream() {
        this.stream = true;
        return this;
    }

    /** Ends the response with {@code body}, unless one was already started or the client has gone. */
    public static void end(RoutingContext ctx, int status, String contentType, Buffer body) {
        HttpServerResponse res = ctx.response();
        if (res.headWritten() || res.ended() || res.closed()) {
            return;
        }
        res.setStatusCode(status).putHeader("Content-Type", contentType);
        if (!res.headers().contains("Cache-Control")) {
            res.putHeader("Cache-Control", "no-store");
        }
        res.end(body);
    }
}
