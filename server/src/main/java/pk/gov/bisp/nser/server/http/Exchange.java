package pk.gov.bisp.nser.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.accesslog.AccessLog;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.vertx.VertxInternals;

/**
 * One request on its way through the server: who asked, for what, and what they were given. Created by the
 * first handler; every response ends through {@link #end}, which hands the finished request to the access log
 * and releases the response only once the log has it. Event-loop confined.
 */
public final class Exchange {

    /** The access log's reason for a household outside the caller's area, answered as not found. */
    public static final String OUTSIDE_AREA = "outside-area-scope";

    private static final String KEY = "nser.exchange";
    private static final Logger LOG = Logger.getLogger(Exchange.class.getName());
    private static final int MAX_QUERY = 1_024;
    /** The status logged for a request whose client left before it was answered (nginx's convention). */
    static final int CLIENT_CLOSED = 499;
    private static final AsciiString BILLED_ROWS = AsciiString.cached("Billed-Rows");
    private static final AsciiString BILLED_AMOUNT = AsciiString.cached("Billed-Amount");
    /** Rows up to 1,000 (a point answer bills 0 or 1) and amounts up to 500 PKR. */
    private static final NumberTexts ROWS_TEXT = new NumberTexts(1_001, Long::toString);
    private static final NumberTexts AMOUNT_TEXT = new NumberTexts(50_001, Exchange::amount);
    private static final String[] ROLE_KEYS = java.util.Arrays.stream(pk.gov.bisp.nser.server.caller.Role.values())
            .map(r -> r.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    private final AccessLog log;
    private final Tariff tariff;
    private final RoutingContext ctx;

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
    String reason;
    /** The consent and purposes a DCI request carried, for its access record (empty: none). */
    java.util.List<AccessRecord.Purpose> purposes = java.util.List.of();

    private Exchange(RoutingContext ctx, Context context, String clientIp, AccessLog log, Tariff tariff) {
        this.ctx = ctx;
        this.log = log;
        this.tariff = tariff;
        this.requestId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        this.startNanos = System.nanoTime();
        this.startMillis = System.currentTimeMillis();
        this.context = context;
        this.clientIp = clientIp;
    }

    /** Starts the exchange of a request (the first handler). */
    public static Exchange begin(RoutingContext ctx, String clientIp, AccessLog log, Tariff tariff) {
        Exchange x = new Exchange(ctx, ctx.vertx().getOrCreateContext(), clientIp, log, tariff);
        ctx.put(KEY, x);
        ctx.response().putHeader("X-Request-Id", x.requestId);
        return x;
    }

    /** Whether the first handler began this request's exchange (not when routing failed before it ran). */
    public static boolean begun(RoutingContext ctx) {
        return ctx.get(KEY) != null;
    }

    /** The client's address as the first handler found it (the peer, or X-Forwarded-For from a trusted proxy). */
    public String clientIp() {
        return clientIp;
    }

    /** The exchange of this request. */
    public static Exchange of(RoutingContext ctx) {
        Exchange x = ctx.get(KEY);
        if (x == null) {
            throw new IllegalStateException("no exchange: the first handler did not run");
        }
        return x;
    }

    public Exchange user(User u) {
        this.user = u;
        return this;
    }

    /** The operation recorded so far (what {@link #operation(String)} set). */
    public String operationKey() {
        return operation;
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

    /**
     * Why the answer is what it is, for the access log only (the caller is not told): e.g. {@code outside-area-scope}
     * when a household outside the organisation's area is answered exactly as a missing one.
     */
    public Exchange reason(String why) {
        this.reason = why;
        return this;
    }

    /** The consents and purposes of a DCI request's search criteria, written into its access record. */
    public Exchange purposes(java.util.List<AccessRecord.Purpose> p) {
        this.purposes = p;
        return this;
    }

    /** Household rows in the response and the classes of the fields they carry (bits, as projection.FieldClasses). */
    public Exchange rows(long n, int classes) {
        this.rows = n;
        this.fieldClasses |= classes;
        return this;
    }

    /**
     * Ends the response with {@code body} once its access record is journaled, unless a response was already
     * started or the client has gone. The response carries its bill in {@code Billed-Rows} and
     * {@code Billed-Amount} (PKR).
     */
    public static void end(RoutingContext ctx, int status, String contentType, Buffer body) {
        end(ctx, status, contentType, body, null);
    }

    /**
     * As {@link #end(RoutingContext, int, String, Buffer)}, for a body in a pooled direct buffer, which this takes
     * over: Netty writes it to the socket as it is (a heap body is first copied into a direct buffer), and it goes
     * back to the pool once written, or at once when it is not sent (response already started, client gone, record
     * refused).
     */
    public static void end(RoutingContext ctx, int status, String contentType, ByteBuf owned) {
        end(ctx, status, contentType, VertxInternals.buffer(owned), owned);
    }

    private static void end(RoutingContext ctx, int status, String contentType, Buffer body, ByteBuf owned) {
        HttpServerResponse res = ctx.response();
        if (res.headWritten() || res.ended()) {
            release(owned);
            return;
        }
        if (res.closed()) {
            release(owned);
            clientGone(ctx);
            return;
        }
        res.setStatusCode(status).putHeader("Content-Type", contentType);
        if (!res.headers().contains("Cache-Control")) {
            res.putHeader("Cache-Control", "no-store");
        }
        Exchange x = ctx.get(KEY);
        if (x == null) {
            send(res, body, owned);
            return;
        }
        long billed = status / 100 == 2 && x.user != null ? x.rows : 0;
        AccessRecord r = x.record(status, x.rows, billed, false);
        x.bill(billed, r.amountPaisa());
        try {
            x.log.record(AccessRecord.REQUEST, r, x.context, () -> send(res, body, owned), t -> {
                release(owned);
                x.refused(t);
            });
        } catch (RuntimeException | Error e) { // refused before it was taken: neither callback will run
            release(owned);
            throw e;
        }
    }

    /** Ends {@code res} with {@code body}; a pooled body ({@code owned}) is released once written or failed. */
    private static void send(HttpServerResponse res, Buffer body, ByteBuf owned) {
        if (owned == null) {
            res.end(body);
            return;
        }
        Future<Void> written;
        try {
            written = res.end(body);
        } catch (RuntimeException | Error e) { // e.g. a response ended meanwhile: the body is not sent
            owned.release();
            throw e;
        }
        written.onComplete(ar -> owned.release());
    }

    private static void release(ByteBuf owned) {
        if (owned != null) {
            owned.release();
        }
    }

    /**
     * Ends the response at once, then journals its record: only for the router's own errors (no such route,
     * wrong method, body too large, unreadable request, internal error), which Vert.x Web requires to be ended
     * before the error handler returns. They carry no data and bill nothing.
     */
    public static void endNow(RoutingContext ctx, int status, String contentType, Buffer body) {
        HttpServerResponse res = ctx.response();
        if (res.headWritten() || res.ended() || res.closed()) {
            return;
        }
        res.setStatusCode(status).putHeader("Content-Type", contentType).putHeader("Cache-Control", "no-store")
                .putHeader("Billed-Rows", "0").putHeader("Billed-Amount", "0.00").end(body);
        Exchange x = ctx.get(KEY);
        if (x != null) {
            x.logOnly(status);
        }
    }

    /**
     * Starts a stream of {@code plannedRows} rows: its access record (billed nothing yet) is journaled, then
     * {@code start} sends the head and the rows. The headers announce the bill of the whole stream; the ledger
     * bills the rows actually sent ({@link #endStream}).
     */
    public static void startStream(RoutingContext ctx, long plannedRows, int classes, Runnable start) {
        Exchange x = of(ctx);
        x.rows(plannedRows, classes);
        AccessRecord r = x.record(200, plannedRows, 0, true);
        x.bill(plannedRows, plannedRows * x.rate());
        x.log.record(AccessRecord.REQUEST, r, x.context, start, x::refused);
    }

    /**
     * Ends a stream that sent {@code sentRows}: their bill is journaled, then {@code release} (null when the
     * client is gone) ends the response. If the record cannot be journaled the connection is reset and
     * {@code discard} (null: nothing) runs instead of {@code release}, e.g. to give back the last chunk's buffer.
     */
    public static void endStream(RoutingContext ctx, long sentRows, Runnable release, Runnable discard) {
        Exchange x = of(ctx);
        AccessRecord r = x.record(200, sentRows, x.user == null ? 0 : sentRows, true);
        try {
            x.log.record(AccessRecord.STREAM_END, r, x.context, release == null ? () -> { } : release, t -> {
                LOG.log(Level.SEVERE, "the end of stream " + x.requestId + " (" + sentRows + " rows) was not journaled",
                        t);
                ctx.response().reset();
                if (discard != null) {
                    discard.run();
                }
            });
        } catch (RuntimeException | Error e) { // refused before it was taken: neither callback will run
            if (discard != null) {
                discard.run();
            }
            throw e;
        }
    }

    /** The client left before the answer: the request is still logged, as 499 (client closed), billed nothing. */
    private static void clientGone(RoutingContext ctx) {
        Exchange x = ctx.get(KEY);
        if (x != null) {
            x.logOnly(CLIENT_CLOSED);
        }
    }

    /** Journals a record with nothing billed and no response waiting on it (already sent, or none to send). */
    private void logOnly(int status) {
        log.record(AccessRecord.REQUEST, record(status, 0, 0, false), context, () -> { },
                t -> LOG.log(Level.SEVERE, "request " + requestId + " (" + status + ") was not logged", t));
    }

    private void bill(long rows, long paisa) {
        ctx.response().putHeader(BILLED_ROWS, billedRows(rows)).putHeader(BILLED_AMOUNT, billedAmount(paisa));
    }

    /** {@code Billed-Rows}' text. */
    static CharSequence billedRows(long rows) {
        return ROWS_TEXT.of(rows);
    }

    /** {@code Billed-Amount}'s text, PKR with two decimals. */
    static CharSequence billedAmount(long paisa) {
        return AMOUNT_TEXT.of(paisa);
    }

    private static String amount(long paisa) {
        long cents = paisa % 100;
        return (paisa / 100) + (cents < 10 ? ".0" : ".") + cents;
    }

    private long rate() {
        return user == null ? 0 : tariff.ratePaisa(operation, user.organisation().type());
    }

    private AccessRecord record(int status, long rowCount, long billed, boolean streamed) {
        String q = ctx.request().query();
        if (q != null && q.length() > MAX_QUERY) {
            q = q.substring(0, MAX_QUERY) + "...";
        }
        String role = user == null ? null : ROLE_KEYS[user.role().ordinal()];
        return new AccessRecord(requestId, startMillis, clientIp, user == null ? null : user.id(),
                user == null ? null : user.name(), user == null ? null : user.organisation().id(),
                user == null ? null : user.organisation().type().key(), role, operation,
                ctx.request().method().name(), ctx.request().path(), q, cnic < 0 ? null : Cnic.format(cnic),
                rowCount, fieldClasses, status, (System.nanoTime() - startNanos) / 1_000, streamed, billed,
                billed * rate(), reason, user == null ? null : user.agreement(), purposes);
    }

    /** The record could not be journaled: the response is not released; the caller gets a 503 instead. */
    private void refused(Throwable cause) {
        LOG.log(Level.SEVERE, "request " + requestId + " could not be logged; answering 503", cause);
        HttpServerResponse res = ctx.response();
        if (res.headWritten() || res.ended() || res.closed()) {
            res.reset();
            return;
        }
        res.setStatusCode(503).putHeader("Content-Type", Problem.CONTENT_TYPE).putHeader("Retry-After", "1")
                .putHeader("Billed-Rows", "0").putHeader("Billed-Amount", "0.00")
                .end(Problem.body(503, "access-log-unavailable", "Service unavailable",
                        "the access log could not record this request, so it is not answered; try again"));
    }
}
