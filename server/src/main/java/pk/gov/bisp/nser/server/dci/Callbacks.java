package pk.gov.bisp.nser.server.dci;

import io.vertx.core.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.accesslog.AccessLog;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.caller.AgreementCheck;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.config.ServerConfig;
import pk.gov.bisp.nser.server.http.Tariff;

/**
 * Delivers the answers of asynchronous DCI requests: POSTs each to its callback URL on threads of its own, never
 * on an event loop, retried with exponential backoff ({@code dci.callback_attempts} attempts, the first retry
 * after {@code dci.callback_backoff_ms}, then doubling, with jitter). Only URLs at an origin registered for the
 * caller's organisation are ever built ({@link #url}), and redirects are not followed, so no request can make the
 * registry call an address of its choosing. Each delivery is written to the access log, as a request is: the rows
 * it carried are billed once it is delivered (a 2xx from the receiver), nothing if it never is (reason
 * {@code callback-undelivered}). Shared by the event loops.
 */
public final class Callbacks implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Callbacks.class.getName());
    private static final String UNDELIVERED = "callback-undelivered";
    /** The access record's reason for a callback not sent because the organisation's agreement stopped. */
    public static final String AGREEMENT_INACTIVE = "agreement-no-longer-active";
    private static final String[] ROLE_KEYS = java.util.Arrays.stream(pk.gov.bisp.nser.server.caller.Role.values())
            .map(r -> r.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    private final AccessLog log;
    private final AgreementCheck agreements;
    private final Tariff tariff;
    private final int attempts;
    private final long backoffMillis;
    private final UnaryOperator<byte[]> signer;
    private final ExecutorService senders;
    private final ScheduledExecutorService timer;
    private final HttpClient client;

    /**
     * A callback to send: its URL and body, who it is for and what it bills ({@code operation}, {@code rows},
     * field {@code classes}), the CNIC looked up (or -1), the caller's address, the criteria's purposes, and the
     * event-loop context of the request (where the access log releases).
     */
    public record Delivery(String url, byte[] body, User user, String operation, long rows, int classes, long cnic,
                           String clientIp, List<AccessRecord.Purpose> purposes, Context context,
                           java.util.function.BooleanSupplier wanted) {

        /** A delivery wanted until it is sent (an answer to a request). */
        public Delivery(String url, byte[] body, User user, String operation, long rows, int classes, long cnic,
                        String clientIp, List<AccessRecord.Purpose> purposes, Context context) {
            this(url, body, user, operation, rows, classes, cnic, clientIp, purposes, context, () -> true);
        }
    }

    /** The access record's reason for a notification not sent because its subscription was cancelled. */
    static final String UNSUBSCRIBED = "subscription-cancelled";
    /** The longest wait between two attempts. */
    static final long MAX_BACKOFF_MILLIS = 600_000;

    /**
     * @param signer     signs a callback body, giving the {@code signature} text to put in it (null: not signed)
     * @param agreements  whether the caller's organisation may still be served: a callback (each attempt of it) to an
     *                    organisation whose agreement was suspended, revoked or has expired since its request is not
     *                    sent, and logged unbilled ({@code agreement-no-longer-active})
     */
    public Callbacks(AccessLog log, Tariff tariff, int attempts, long backoffMillis, UnaryOperator<byte[]> signer,
                     AgreementCheck agreements) {
        this.log = log;
        this.agreements = agreements;
        this.tariff = tariff;
        this.attempts = attempts;
        this.backoffMillis = backoffMillis;
        this.signer = signer;
        this.senders = Executors.newFixedThreadPool(2, daemon("dci-callback"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("dci-callback-timer"));
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5))
                .executor(senders).build();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The callback URL for {@code senderUri}, or null when it is not at one of {@code origins}: the sender URI
     * itself when its path already ends with the callback's last segment (e.g.
     * {@code https://spmis.example.org/ns/callback/on-search}), otherwise {@code callbackPath} appended to it
     * (a base such as {@code http://127.0.0.1:9000} gives {@code http://127.0.0.1:9000/registry/on-search}).
     */
    public static String url(String senderUri, String callbackPath, Set<String> origins) {
        String origin = ServerConfig.origin(senderUri);
        if (origin == null || !origins.contains(origin)) {
            return null;
        }
        URI u = URI.create(senderUri);
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            return null;
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        String last = callbackPath.substring(callbackPath.lastIndexOf('/'));
        String full = path.endsWith(last) ? path : (path.endsWith("/") ? path.substring(0, path.length() - 1) : path)
                + callbackPath;
        return origin + full;
    }

    /** Sends {@code d}, at once and then with backoff until delivered or out of attempts. */
    public void deliver(Delivery d) {
        send(d, attempts, status -> { });
    }

    /**
     * Sends {@code d} as {@link #deliver} does, in at most {@code maxAttempts} attempts (the wait between two
     * growing to {@link #MAX_BACKOFF_MILLIS}), then tells {@code done} the last status (2xx: delivered; 0: no
     * answer, or not sent as the organisation's agreement stopped or {@code d} is no longer wanted), once it is
     * logged or its logging failed.
     */
    void send(Delivery d, int maxAttempts, java.util.function.IntConsumer done) {
        byte[] body = d.body();
        if (signer != null) {
            body = signer.apply(body);
        }
        byte[] signed = body;
        long start = System.nanoTime();
        senders.execute(() -> attempt(d, signed, 1, start, maxAttempts, done));
    }

    private void attempt(Delivery d, byte[] body, int n, long start, int maxAttempts,
                         java.util.function.IntConsumer finished) {
        if (!agreements.active(d.user().organisation().id())) {
            done(d, 0, n - 1, start, AGREEMENT_INACTIVE, finished);
            return;
        }
        if (!d.wanted().getAsBoolean()) {
            done(d, 0, n - 1, start, UNSUBSCRIBED, finished);
            return;
        }
        HttpRequest req;
        try {
            req = HttpRequest.newBuilder(URI.create(d.url())).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IllegalArgumentException e) {
            done(d, 0, n, start, UNDELIVERED, finished);
            return;
        }
        client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((res, err) -> {
            int status = err == null ? res.statusCode() : 0;
            if (status / 100 == 2 || n >= maxAttempts) {
                done(d, status, n, start, UNDELIVERED, finished);
                return;
            }
            long delay = Math.min(backoffMillis << Math.min(n - 1, 16), Math.max(backoffMillis, MAX_BACKOFF_MILLIS));
            delay += ThreadLocalRandom.current().nextLong(Math.max(1, delay / 4));
            try {
                timer.schedule(() -> senders.execute(() -> attempt(d, body, n + 1, start, maxAttempts, finished)),
                        delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                LOG.info("DCI callback to " + d.url() + " left at shutdown after " + n + " attempts");
            }
        });
    }

    /** Writes the delivery's access record: billed when delivered, not when it never was. */
    private void done(Delivery d, int status, int attemptsMade, long start, String undelivered,
                      java.util.function.IntConsumer finished) {
        boolean delivered = status / 100 == 2;
        User u = d.user();
        long billed = delivered ? d.rows() : 0;
        String path = URI.create(d.url()).getRawPath();
        AccessRecord r = new AccessRecord(Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE),
                System.currentTimeMillis(), d.clientIp(), u.id(), u.name(), u.organisation().id(),
                u.organisation().type().key(), ROLE_KEYS[u.role().ordinal()], d.operation(), "POST", path,
                "callback=" + d.url() + "&attempts=" + attemptsMade, d.cnic() < 0 ? null : Cnic.format(d.cnic()),
                d.rows(), delivered ? d.classes() : 0, status == 0 ? 599 : status,
                (System.nanoTime() - start) / 1_000, false, billed,
                billed * tariff.ratePaisa(d.operation(), u.organisation().type()),
                delivered ? null : undelivered, u.agreement(), d.purposes());
        // journaled from the request's event loop, as every access record is (only the sending runs off the loops)
        d.context().runOnContext(v -> log.record(AccessRecord.REQUEST, r, d.context(),
                () -> finished.accept(delivered ? status : 0), t -> {
                    LOG.log(Level.SEVERE, "the DCI callback to " + d.url() + " was not logged", t);
                    finished.accept(delivered ? status : 0);
                }));
        if (!delivered && !UNSUBSCRIBED.equals(undelivered)) {
            LOG.warning("DCI callback to " + d.url() + " not delivered after " + attemptsMade
                    + " attempts (last status " + status + ")");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        senders.shutdownNow();
    }
}
