package pk.gov.bisp.nser.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
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
    /** Whether open-loop runs keep a {@link RunResult.Timeline}. */
    private boolean timeline;

    public LoadGenerator(URI target, int connections) {
        this.target = target;
        String p = target.getPath() == null ? "" : target.getPath();
        this.basePath = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        // epoll where available: the open loop then schedules each request on the event loop itself
        this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        HttpClientOptions options = new HttpClientOptions().setDefaultHost(target.getHost())
                .setDefaultPort(target.getPort()).setKeepAlive(true).setConnectTimeout(5_000)
                .setIdleTimeout(30).setSsl("https".equals(target.getScheme())).setTrustAll(true)
                .setVerifyHost(false);
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(connections)
                .setMaxWaitQueueSize(-1));
    }

    /** Open-loop runs from now on keep a per-second timeline ({@link RunResult#printTimeline}). */
    public LoadGenerator withTimeline(boolean on) {
        this.timeline = on;
        return this;
    }

    /**
     * Open loop at {@code rate} requests per second for {@code duration}. With epoll the event loop sends each
     * request at its due time ({@link #openLoopOnEventLoop}); otherwise (or with {@code -Dnser.lt.senderThread=true})
     * a sender thread parks until each request's due time and hands it to the event loop. Responses are recorded on
     * the event loop. Every request due within the duration is sent, late if need be; only a sender more than a
     * second behind at the end gives up, and counts the rest as never sent.
     */
    public RunResult openLoop(String label, Scenario scenario, IdPool ids, String key, double rate,
                              Duration duration, long seed) throws Exception {
        if (vertx.isNativeTransportEnabled() && !Boolean.getBoolean("nser.lt.senderThread")) {
            return openLoopOnEventLoop(label, scenario, ids, key, rate, duration, seed);
        }
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
        RunResult.Timeline tl = timeline ? new RunResult.Timeline((int) (duration.toSeconds() + 3)) : null;
        result.timeline = tl;
        Usage usage = tl == null ? null : new Usage();
        long nextSample = start + 1_000_000_000L;
        for (long i = 0; i < total; i++) {
            long due = start + (long) (i * intervalNanos);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(Math.min(wait, 1_000_000L));
            }
            if (usage != null && System.nanoTime() >= nextSample) {
                usage.sample(tl, nextSample - start - 1_000_000_000L);
                nextSample += 1_000_000_000L;
            }
            if (System.nanoTime() > end + LATE_NANOS) {
                break; // hopelessly behind: what is left is counted as never sent
            }
            Scenario.Request req = scenario.next(ids, rnd, key);
            outstanding.incrementAndGet();
            sent++;
            loop.runOnContext(v -> {
                long lag = Math.max(1, (System.nanoTime() - due) / 1_000);
                result.sendLag.recordValue(Math.min(result.sendLag.getHighestTrackableValue(), lag));
                if (tl != null) {
                    tl.lag(due - start, lag);
                }
                send(req).onComplete(ar -> {
                    long nanos = System.nanoTime() - due;
                    record(result, ar.succeeded() ? ar.result() : -1, nanos);
                    if (tl != null && ar.succeeded()) {
                        tl.record(due - start, Math.max(1, nanos / 1_000));
                    }
                    if (outstanding.decrementAndGet() == 0 && allSent[0]) {
                        drained.complete(null);
                    }
                });
            });
        }
        if (usage != null) {
            usage.sample(tl, nextSample - start - 1_000_000_000L); // the last second's CPU, however short
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

    /** Whether the open loop runs on the event loop alone (epoll), or with a sender thread (NIO). */
    public boolean eventLoopScheduling() {
        return vertx.isNativeTransportEnabled() && !Boolean.getBoolean("nser.lt.senderThread");
    }

    /**
     * The open loop with epoll: the event loop itself sends every request due by now, then schedules itself for the
     * next due time (epoll's timer has nanosecond resolution). No sender thread, and no hand-over from it to the
     * event loop for each request: at 20k requests/s those were two more thread wake-ups per request, and the
     * generator needed about twice the CPU per request of its closed loop.
     */
    private RunResult openLoopOnEventLoop(String label, Scenario scenario, IdPool ids, String key, double rate,
                                          Duration duration, long seed) throws Exception {
        RunResult result = new RunResult(label);
        SplittableRandom rnd = new SplittableRandom(seed);
        ContextInternal ctx = (ContextInternal) vertx.getOrCreateContext();
        io.netty.channel.EventLoop eventLoop = ctx.nettyEventLoop();
        long start = System.nanoTime() + 10_000_000L;
        long end = start + duration.toNanos();
        double intervalNanos = 1e9 / rate;
        long total = (long) (duration.toNanos() / intervalNanos);
        RunResult.Timeline tl = timeline ? new RunResult.Timeline((int) (duration.toSeconds() + 3)) : null;
        result.timeline = tl;
        Usage usage = tl == null ? null : new Usage();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        // the sender's state, touched on the event loop only
        long[] state = {0, 0, 0, start + 1_000_000_000L}; // next request, outstanding, all sent (1), next sample
        Runnable[] self = new Runnable[1];
        Runnable sendDue = () -> {
            long now = System.nanoTime();
            if (usage != null && now >= state[3]) {
                usage.sample(tl, state[3] - start - 1_000_000_000L);
                state[3] += 1_000_000_000L;
            }
            long i = state[0];
            while (i < total && now <= end + LATE_NANOS) {
                long due = start + (long) (i * intervalNanos);
                if (due > now) {
                    break;
                }
                i++;
                state[1]++;
                long lag = Math.max(1, (now - due) / 1_000);
                result.sendLag.recordValue(Math.min(result.sendLag.getHighestTrackableValue(), lag));
                if (tl != null) {
                    tl.lag(due - start, lag);
                }
                send(scenario.next(ids, rnd, key)).onComplete(ar -> {
                    long nanos = System.nanoTime() - due;
                    record(result, ar.succeeded() ? ar.result() : -1, nanos);
                    if (tl != null && ar.succeeded()) {
                        tl.record(due - start, Math.max(1, nanos / 1_000));
                    }
                    if (--state[1] == 0 && state[2] == 1) {
                        drained.complete(null);
                    }
                });
            }
            state[0] = i;
            if (i < total && now <= end + LATE_NANOS) {
                long next = start + (long) (i * intervalNanos);
                eventLoop.schedule(self[0], Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
                return;
            }
            // every request due was sent, or the loop is hopelessly behind: what is left was never sent
            if (usage != null) {
                usage.sample(tl, state[3] - start - 1_000_000_000L);
            }
            result.sent = i;
            result.backlog = total - i;
            state[2] = 1;
            if (state[1] == 0) {
                drained.complete(null);
            }
        };
        self[0] = () -> ctx.dispatch(sendDue);
        eventLoop.schedule(self[0], Math.max(0, start - System.nanoTime()), TimeUnit.NANOSECONDS);
        try {
            drained.get(duration.toSeconds() + 30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // responses still missing count as failures below
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            result.failures += state[1];
            result.seconds = (System.nanoTime() - start) / 1e9;
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
        return result;
    }

    /** This process's CPU time and JIT compilation time, sampled as differences since the last sample. */
    private static final class Usage {
        private final java.lang.management.OperatingSystemMXBean os =
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        private final java.lang.management.CompilationMXBean jit =
                java.lang.management.ManagementFactory.getCompilationMXBean();
        private long cpu = cpu();
        private long jitMillis = jitMillis();

        void sample(RunResult.Timeline tl, long offsetNanos) {
            long c = cpu();
            long j = jitMillis();
            tl.sample(offsetNanos, c - cpu, j - jitMillis);
            cpu = c;
            jitMillis = j;
        }

        private long cpu() {
            return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
        }

        private long jitMillis() {
            return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        }
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
