package pk.gov.bisp.nser.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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
     * were due, shows the delay). One second, or {@code -Dnser.lt.lateMillis} (the tests raise it, so that a
     * stall of the shared test machine cannot change how many requests a run sends).
     */
    private static final long LATE_NANOS = Long.getLong("nser.lt.lateMillis", 1_000L) * 1_000_000L;
    private final URI target;
    /** The target's path without its trailing slash, put before each request's path. */
    private final String basePath;
    /** Whether open-loop runs keep a {@link RunResult.Timeline}. */
    private boolean timeline;
    /** Open-loop runs' {@link RunResult.Intervals} length (0: none), and which outcomes are errors. */
    private long intervalNanos;
    private java.util.function.IntPredicate isError = status -> status < 0;

    public LoadGenerator(URI target, int connections) {
        this.target = target;
        String p = target.getPath() == null ? "" : target.getPath();
        this.basePath = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        // epoll where available: the open loop then schedules each request on the event loop itself
        this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        HttpClientOptions options = new HttpClientOptions().setDefaultHost(target.getHost())
                .setDefaultPort(target.getPort()).setKeepAlive(true).setConnectTimeout(5_000)
                // the pool drops a connection unused for 5 s, before the server closes it: the server closes a
                // connection whose next request head has not come 10 s after its last answer
                // (server.header_timeout_seconds), and a request handed to a connection as it closed failed with
                // "Connection was closed" (a few a minute in national-day's eligibility pool, where some idle)
                .setKeepAliveTimeout(5).setIdleTimeout(30).setSsl("https".equals(target.getScheme())).setTrustAll(true)
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
     * Open-loop runs from now on cut their results into intervals of {@code every} by due time
     * ({@link RunResult.Intervals}), and count as errors the outcomes {@code errorStatus} accepts (a status, or -1 for
     * no response): national-day's report every 10 s.
     */
    public LoadGenerator withIntervals(Duration every, java.util.function.IntPredicate errorStatus) {
        if (every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("the report interval must be positive");
        }
        this.intervalNanos = every.toNanos();
        this.isError = errorStatus;
        return this;
    }

    /** An open-loop run's result, with this generator's error rule and intervals. */
    private RunResult openResult(String label, Duration duration) {
        RunResult result = new RunResult(label);
        result.isError = isError;
        if (intervalNanos > 0) {
            result.intervals = new RunResult.Intervals(intervalNanos, duration.toNanos());
        }
        return result;
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
        if (eventLoopScheduling()) {
            return openLoopOnEventLoop(label, scenario, ids, key, rate, duration, seed);
        }
        RunResult result = openResult(label, duration);
        SplittableRandom rnd = new SplittableRandom(seed);
        io.vertx.core.Context loop = vertx.getOrCreateContext();
        long start = System.nanoTime() + 10_000_000L;
        long end = start + duration.toNanos();
        long total = requests(rate, duration);
        java.util.concurrent.atomic.AtomicLong outstanding = new java.util.concurrent.atomic.AtomicLong();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        boolean[] allSent = {false};
        boolean[] closed = {false}; // on the event loop: responses after the final count are ignored
        long sent = 0;
        Usage usage = timeline(result, duration, start);
        for (long i = 0; i < total; i++) {
            long due = start + dueOffset(i, rate);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(Math.min(wait, 1_000_000L));
            }
            long now = System.nanoTime();
            if (usage != null) {
                usage.atInterval(now);
            }
            if (now > end + LATE_NANOS) {
                break; // hopelessly behind: what is left is counted as never sent
            }
            Scenario.Request req = scenario.next(ids, rnd, key);
            outstanding.incrementAndGet();
            sent++;
            loop.runOnContext(v -> {
                recordLag(result, start, due);
                send(req).onComplete(ar -> {
                    if (closed[0]) {
                        return;
                    }
                    recordOpen(result, start, due, ar);
                    if (outstanding.decrementAndGet() == 0 && allSent[0]) {
                        drained.complete(null);
                    }
                });
            });
        }
        if (usage != null) {
            usage.last(System.nanoTime(), end);
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
            closed[0] = true;
            result.failures += outstanding.get();
            result.seconds = (System.nanoTime() - start) / 1e9;
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
        return result;
    }

    /** With {@code --timeline}: the run's timeline, in {@code result}, and its CPU sampler; otherwise null. */
    private Usage timeline(RunResult result, Duration duration, long start) {
        if (!timeline) {
            return null;
        }
        result.timeline = new RunResult.Timeline((int) (duration.toSeconds() + 3));
        return new Usage(result.timeline, start);
    }

    /** An open-loop request due at {@code due} (run started at {@code start}) is sent now: its send lag. */
    private static void recordLag(RunResult result, long start, long due) {
        long lag = Math.max(1, (System.nanoTime() - due) / 1_000);
        result.sendLag.recordValue(Math.min(result.sendLag.getHighestTrackableValue(), lag));
        if (result.timeline != null) {
            result.timeline.lag(due - start, lag);
        }
    }

    /** An open-loop request due at {@code due} (run started at {@code start}) ended: its latency from due. */
    private static void recordOpen(RunResult result, long start, long due, io.vertx.core.AsyncResult<Integer> ar) {
        long nanos = System.nanoTime() - due;
        int status = ar.succeeded() ? ar.result() : -1;
        record(result, status, nanos);
        if (ar.failed()) {
            String cause = String.valueOf(ar.cause());
            result.failureCauses.merge(cause.length() > 120 ? cause.substring(0, 120) : cause, 1L, Long::sum);
        }
        if (result.timeline != null && ar.succeeded()) {
            result.timeline.record(due - start, Math.max(1, nanos / 1_000));
        }
        if (result.intervals != null) {
            result.intervals.record(due - start, status, nanos / 1_000, result.isError.test(status));
        }
    }

    /** The number of requests an open loop sends: one every 1/rate seconds from the start, within the duration. */
    static long requests(double rate, Duration duration) {
        return (long) Math.floor(rate * duration.toNanos() / 1e9 + 1e-9);
    }

    /** When request {@code i} is due, in nanoseconds after the start. */
    static long dueOffset(long i, double rate) {
        return Math.round(i * 1e9 / rate);
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
        RunResult result = openResult(label, duration);
        SplittableRandom rnd = new SplittableRandom(seed);
        io.vertx.core.Context ctx = vertx.getOrCreateContext();
        io.netty.channel.EventLoop eventLoop = VertxEventLoop.of(ctx);
        long start = System.nanoTime() + 10_000_000L;
        long end = start + duration.toNanos();
        long total = requests(rate, duration);
        Usage usage = timeline(result, duration, start);
        CompletableFuture<Void> drained = new CompletableFuture<>();
        // the sender's state, touched on the event loop only: next request, outstanding, all sent (1), closed (1:
        // responses after the final count are ignored)
        long[] state = {0, 0, 0, 0};
        Runnable[] self = new Runnable[1];
        Runnable sendDue = () -> {
            try {
                long now = System.nanoTime();
                if (usage != null) {
                    usage.atInterval(now);
                }
                long i = state[0];
                while (i < total && now <= end + LATE_NANOS) {
                    long due = start + dueOffset(i, rate);
                    if (due > now) {
                        break;
                    }
                    i++;
                    state[1]++;
                    recordLag(result, start, due);
                    send(scenario.next(ids, rnd, key)).onComplete(ar -> {
                        if (state[3] == 1) {
                            return;
                        }
                        recordOpen(result, start, due, ar);
                        if (--state[1] == 0 && state[2] == 1) {
                            drained.complete(null);
                        }
                    });
                }
                state[0] = i;
                if (i < total && now <= end + LATE_NANOS) {
                    long next = start + dueOffset(i, rate);
                    eventLoop.schedule(self[0], Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return;
                }
                // every request due was sent, or the loop is hopelessly behind: what is left was never sent
                if (usage != null) {
                    usage.last(System.nanoTime(), end);
                }
                result.sent = i;
                result.backlog = total - i;
                state[2] = 1;
                if (state[1] == 0) {
                    drained.complete(null);
                }
            } catch (RuntimeException e) {
                drained.completeExceptionally(e); // the sender stops: the run ends with the error, not a hang
            }
        };
        self[0] = () -> VertxEventLoop.dispatch(ctx, sendDue);
        eventLoop.schedule(self[0], Math.max(0, start - System.nanoTime()), TimeUnit.NANOSECONDS);
        try {
            drained.get(duration.toSeconds() + 30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // responses still missing count as failures below
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            state[3] = 1;
            result.failures += state[1];
            result.seconds = (System.nanoTime() - start) / 1e9;
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
        return result;
    }

    /**
     * This process's CPU time and JIT compilation time, sampled as differences since the last sample, once a second
     * of the run: each sample goes to the second that just ended (after a stall of several seconds, all of it to
     * the last one).
     */
    private static final class Usage {
        private final java.lang.management.OperatingSystemMXBean os =
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        private final java.lang.management.CompilationMXBean jit =
                java.lang.management.ManagementFactory.getCompilationMXBean();
        private final RunResult.Timeline tl;
        private final long start;
        private long next;
        private long cpu = cpu();
        private long jitMillis = jitMillis();

        Usage(RunResult.Timeline tl, long start) {
            this.tl = tl;
            this.start = start;
            this.next = start + 1_000_000_000L;
        }

        /** At {@code now}: once a second has ended since the last sample, samples it. */
        void atInterval(long now) {
            if (now >= next) {
                sample(now - start - 1_000_000_000L);
                next = start + ((now - start) / 1_000_000_000L + 1) * 1_000_000_000L;
            }
        }

        /** The last sample, however short, into the second under way (at most the run's last). */
        void last(long now, long end) {
            sample(Math.min(now - start, end - start - 1));
        }

        private void sample(long offsetNanos) {
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
