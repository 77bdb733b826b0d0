package pk.gov.bisp.nser.server.audit;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.journal.JournalDamage;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.core.journal.ReadReport;
import pk.gov.bisp.nser.server.accesslog.AccessLog;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.Problem;
import pk.gov.bisp.nser.server.http.RouteGroup;

/**
 * {@code GET /admin/access-log} (admin role, audit operation): access records filtered by {@code user},
 * {@code organisation}, {@code operation}, {@code cnic} (the CNIC searched) and a time range {@code from} /
 * {@code to} (ISO instants), the latest {@code limit} (default 1,000, at most 10,000), read from the journal
 * on a worker thread. Stream ends appear as records with {@code "kind": "stream-end"}.
 */
public final class AccessLogRoutes implements RouteGroup {

    public static final String ACCESS_LOG = "/admin/access-log";
    private static final Logger LOG = Logger.getLogger(AccessLogRoutes.class.getName());
    private static final int MAX_LIMIT = 10_000;

    private final Authenticator auth;
    private final AccessLog accessLog;
    /** The whole cluster's records (audit database, issue 28), or null: this server's journal. */
    private final AccessLogStore cluster;

    public AccessLogRoutes(Authenticator auth, AccessLog accessLog) {
        this(auth, accessLog, null);
    }

    /** @param cluster the whole cluster's records, answered instead of this server's journal; null: none */
    public AccessLogRoutes(Authenticator auth, AccessLog accessLog, AccessLogStore cluster) {
        this.auth = auth;
        this.accessLog = accessLog;
        this.cluster = cluster;
    }

    @Override
    public void mount(Router router) {
        router.get(ACCESS_LOG).handler(this::accessLog);
    }

    /** What the records asked for match: each null (or the range's end) when not asked for. */
    public record Filter(String user, String organisation, String operation, String cnic, long from, long to) {
        boolean matches(AccessRecord r) {
            return (user == null || user.equals(r.userId()))
                    && (organisation == null || organisation.equals(r.organisation()))
                    && (operation == null || operation.equals(r.operation()))
                    && (cnic == null || cnic.equals(r.cnic()))
                    && r.epochMillis() >= from && r.epochMillis() <= to;
        }
    }

    private void accessLog(RoutingContext ctx) {
        if (auth.require(ctx, Operation.AUDIT, Role.ADMIN) == null) {
            return;
        }
        var q = ctx.queryParams();
        Filter f;
        int limit;
        try {
            String cnic = q.get("cnic");
            if (cnic != null) {
                long c = Cnic.tryParse(cnic);
                if (c < 0) {
                    throw new IllegalArgumentException(Cnic.explain(cnic));
                }
                cnic = Cnic.format(c);
            }
            f = new Filter(q.get("user"), q.get("organisation"), q.get("operation"), cnic, instant(q.get("from"), 0),
                    instant(q.get("to"), Long.MAX_VALUE));
            limit = q.get("limit") == null ? 1_000 : Integer.parseInt(q.get("limit"));
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            Problem.badRequest(ctx, "invalid-filter", Problem.printable(e.getMessage())
                    + "; filters: user, organisation, operation, cnic, from, to (ISO instants), limit");
            return;
        }
        int max = limit;
        if (cluster != null) {
            ctx.vertx().executeBlocking(() -> cluster.read(f, max), false).onComplete(ar -> {
                if (ar.failed()) {
                    LOG.log(Level.WARNING, "reading the audit database failed: " + ar.cause());
                    ctx.response().putHeader("Retry-After", "5");
                    Problem.send(ctx, 503, "audit-database-unavailable", "Service unavailable",
                            "the cluster's access log cannot be read now; try again shortly");
                    return;
                }
                Exchange.end(ctx, 200, "application/json", ar.result());
            });
            return;
        }
        if (accessLog.directory() == null) {
            Problem.send(ctx, 404, "no-access-log", "Not found", "the access log is off on this server");
            return;
        }
        ctx.vertx().executeBlocking(() -> read(f, max), false).onComplete(ar -> {
            if (ar.failed()) {
                LOG.log(Level.WARNING, "reading the access log failed", ar.cause());
                Problem.send(ctx, 500, "internal-error", "Internal error", "the access log could not be read");
                return;
            }
            Exchange.end(ctx, 200, "application/json", ar.result());
        });
    }

    private static long instant(String raw, long dflt) {
        return raw == null ? dflt : Instant.parse(raw).toEpochMilli();
    }

    /** The latest {@code limit} matching records as {@code {"records": [...], "truncated": bool, "damage": [...]}}. */
    private Buffer read(Filter f, int limit) throws IOException {
        Deque<byte[]> kept = new ArrayDeque<>();
        long[] matched = new long[1];
        AccessRecord.Encoder encoder = new AccessRecord.Encoder();
        ReadReport report = JournalReader.read(accessLog.directory(), (seq, kind, data, off, len) -> {
            AccessRecord r;
            try {
                r = AccessRecord.decode(data, off, len);
            } catch (IOException e) {
                return;
            }
            if (f.matches(r)) {
                matched[0]++;
                byte[] json = encoder.encode(r);
                String k = kind == AccessRecord.STREAM_END ? "stream-end" : "request";
                byte[] line = ("{\"sequence\":" + seq + ",\"kind\":\"" + k + "\",\"record\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                byte[] all = new byte[line.length + json.length + 1];
                System.arraycopy(line, 0, all, 0, line.length);
                System.arraycopy(json, 0, all, line.length, json.length);
                all[all.length - 1] = '}';
                kept.addLast(all);
                if (kept.size() > limit) {
                    kept.removeFirst();
                }
            }
        });
        Buffer out = Buffer.buffer(256 * kept.size() + 64).appendString("{\"records\":[");
        boolean first = true;
        for (byte[] b : kept) {
            out.appendString(first ? "" : ",").appendBytes(b);
            first = false;
        }
        return out.appendString("],\"matched\":" + matched[0] + ",\"truncated\":" + (matched[0] > kept.size())
                + ",\"damaged_segments\":" + report.damage().stream().map(JournalDamage::file).distinct().count()
                + ",\"lost_records\":" + report.lostRecords() + "}");
    }
}
