package pk.gov.bisp.nser.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends a scenario's requests to a target. Open loop: request i is due at {@code start + i / rate}; its
 * latency runs from that due time to the end of the response, so a stalled server is charged for every
 * request it delayed (no coordinated omission). Closed loop: each connection sends its next request when the
 * previous response ends; latency runs from send. Both stop by themselves after the duration.
 */
public final class LoadGenerator implements AutoCloseable {

    private final Vertx vertx;
    private final HttpClient client;
    /**
     * How far past the end of an open-loop run the sender still sends requests that were due before it: a sender
     * descheduled for a few milliseconds must not drop the last requests (their latency, counted from when they
     * were due, shows the delay).
     */
    private static final long LATE_NANOS = 1_000_000_000L;
    private final URI target;
    /** The target's path without its trailing slash, put before each request's path. */
    private final String basePath;

    public LoadGenerator(URI target, int connections) {
        this.target = target;
        String p = target.getPath() == null ? "" : target.getPath();
        this.basePath = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        this.vertx = Vertx.vertx();
        HttpClientOptions options = new HttpClientOptions().setDefaultHost(target.getHost())
                .setDefaultPort(target.getPort()).setKeepAlive(true).setConnectTimeout(5_000)
                .setIdleTimeout(30).setSsl("https".equals(target.getScheme())).setTrustAll(true)
                .setVerifyHost(false);
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(connections)
                .setMaxWaitQueueSize(-1));
    }

    /**
     * Open loop at {@code rate} requests per second for {@code duration}. A sender thread parks until each
     * request's due time and hands it to the event loop; responses are recorded there. Every request due within
     * the duration is sent, late if need be; only a sender more than a second behind at the end gives up, and
     * counts the rest as never sent.
     */
    public RunResult openLoop(String label, Scenario scenario, IdPool ids, String key, double rate,
                              Duration duration, long seed) throws Exception {
        RunResult result = new RunResult(label);
        SplittableRandom rnd = new SplittableRandom(seed);
        io.vertx.core.Context loop = vertx.getOrCreateContext();
        long start = System.nanoTime() + 10_000_000L;
        long end = start + duration.toNanos();
        double intervalNanos = 1e9 / rate;
        long total = (long) (duration.toNanos() / intervalNanos);
        java.util.concurrent.atomic.AtomicLong outstanding = new java.util.concurrent.atomic.AtomicLong();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        boolean[] allSent = {false};
        long sent = 0;
        for (long i = 0; i < total; i++) {
            long due = start + (long) (i * intervalNanos);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(Math.min(wait, 1_000_000L));
            }
            if (System.nanoTime() > end + LATE_NANOS) {
                break; // hopelessly behind: what is left is counted as never sent
            }
            Scenario.Request req = scenario.next(ids, rnd, key);
            outstanding.incrementAndGet();
            sent++;
            loop.runOnContext(v -> {
                result.sendLag.recordValue(Math.min(result.sendLag.getHighestTrackableValue(),
                        Math.max(1, (System.nanoTime() - due) / 1_000)));
                send(req).onComplete(ar -> {
                    record(result, ar.succeeded() ? ar.result() : -1, System.nanoTime() - due);
                    if (outstanding.decrementAndGet() == 0 && allSent[0]) {
                        drained.complete(null);
                    }
                });
            });
        }
        long sentTotal = sent;
        loop.runOnContext(v -> {
            result.sent = sentTotal;
            result.backlog = total - sentTotal;
            allSent[0] = true;
            if (outstanding.get() == 0) {
                drained.complete(null);
            }
        });
        try {
            drained.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // responses still missing after 30 s count as failures below
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.runOnContext(v -> {
            result.failures += outstanding.get();
            result.seconds = (System.nanoTime() - start) / 1e9;
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
        return result;
    }

    /** Closed loop with {@code connections} concurrent requests for {@code duration}. */
    public RunResult closedLoop(String label, Scenario scenario, IdPool ids, String key, int connections,
                                Duration duration, long seed) throws Exception {
        RunResult result = new RunResult(label);
        SplittableRandom rnd = new SplittableRandom(seed);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        CompletableFuture<Void> done = new CompletableFuture<>();
        int[] active = {connections};
        vertx.runOnContext(v -> {
            for (int c = 0; c < connections; c++) {
                loop(scenario, ids, key, rnd, result, end, () -> {
                    if (--active[0] == 0) {
                        result.seconds = (System.nanoTime() - start) / 1e9;
                        done.complete(null);
                    }
                });
            }
        });
        done.get(duration.toSeconds() + 30, TimeUnit.SECONDS);
        return result;
    }

    private void loop(Scenario scenario, IdPool ids, String key, SplittableRandom rnd, RunResult result, long end,
                      Runnable finished) {
        if (System.nanoTime() >= end) {
            finished.run();
            return;
        }
        long sent = System.nanoTime();
        result.sent++;
        send(scenario.next(ids, rnd, key)).onComplete(ar -> {
            record(result, ar.succeeded() ? ar.result() : -1, System.nanoTime() - sent);
            loop(scenario, ids, key, rnd, result, end, finished);
        });
    }

    private static void record(RunResult r, int status, long nanos) {
        if (status < 0) {
            r.failures++;
            return;
        }
        r.statuses.merge(status, 1L, Long::sum);
        r.latency.recordValue(Math.min(r.latency.getHighestTrackableValue(), Math.max(1, nanos / 1_000)));
    }

    /** Sends one request and completes with its status once the whole body has arrived (read, not kept). */
    private Future<Integer> send(Scenario.Request req) {
        // An idle timeout only: setTimeout would also arm a connect (pool acquire) timer per request that is not
        // cancelled when the connection is handed over, so every request's pool entry, timer and context stayed
        // on the heap for the full 30 s (~650k objects of each at 20k req/s), and the generator's collector took
        // most of a core by the third round of a closed loop.
        RequestOptions o = new RequestOptions().setMethod(req.method()).setURI(basePath + req.path())
                .setIdleTimeout(30_000);
        if (req.key() != null) {
            o.putHeader("Authorization", "Bearer " + req.key());
        }
        if (req.forwardedFor() != null) {
            o.putHeader("X-Forwarded-For", req.forwardedFor());
        }
        if (req.body() != null) {
            o.putHeader("Content-Type", "application/json");
        }
        return client.request(o).compose(r -> req.body() == null ? r.send() : r.send(Buffer.buffer(req.body())))
                .compose(res -> {
                    res.handler(b -> { });
                    return res.end().map(v -> status(res));
                });
    }

    private static int status(HttpClientResponse res) {
        return res.statusCode();
    }

    @Override
    public void close() {
        try {
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            System.err.println("load generator did not close cleanly: " + e);
        }
    }
}
