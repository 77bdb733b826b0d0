package pk.gov.bisp.nser.server.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.http.Loopback;

/**
 * The what-if gate's permit comes back exactly once, whether the computation ran, failed, or was never run because
 * the worker pool refused it (as a closed pool does at shutdown): otherwise every later what-if would answer
 * "busy" until a restart.
 */
class WhatIfGateTest {

    private static Semaphore taken() {
        Semaphore gate = new Semaphore(1);
        assertTrue(gate.tryAcquire());
        return gate;
    }

    @Test
    void aRefusedTaskGivesThePermitBack() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            WorkerExecutor pool = vertx.createSharedWorkerExecutor("what-if-gate-test");
            pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Semaphore gate = taken();
            AtomicInteger ran = new AtomicInteger();
            Future<Integer> f = WhatIfRoutes.whileHolding(gate, ran::incrementAndGet,
                    task -> pool.executeBlocking(task, false));
            Throwable cause = f.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(10,
                    TimeUnit.SECONDS);
            assertEquals(0, ran.get(), "a closed pool must not run the task");
            assertInstanceOf(RejectedExecutionException.class, cause instanceof java.util.concurrent.CompletionException
                    ? cause.getCause() : cause, "the route answers 503 for this failure: " + cause);
            assertEquals(1, gate.availablePermits());
        } finally {
            Loopback.close(vertx);
        }
    }

    @Test
    void aRunnerThatThrowsGivesThePermitBack() {
        Semaphore gate = taken();
        Future<Integer> f = WhatIfRoutes.whileHolding(gate, () -> 1, task -> {
            throw new RejectedExecutionException("refused at once");
        });
        assertTrue(f.failed());
        assertInstanceOf(RejectedExecutionException.class, f.cause());
        assertEquals(1, gate.availablePermits());
    }

    @Test
    void aRunnerThatFailsWithoutRunningTheTaskGivesThePermitBack() {
        Semaphore gate = taken();
        AtomicInteger ran = new AtomicInteger();
        Future<Integer> f = WhatIfRoutes.whileHolding(gate, ran::incrementAndGet,
                task -> Future.failedFuture(new RejectedExecutionException("refused later")));
        assertTrue(f.failed());
        assertEquals(0, ran.get());
        assertEquals(1, gate.availablePermits());
    }

    @Test
    void aTaskThatRanGivesItBackOnceBeforeItsResultIsUsed() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Semaphore gate = taken();
            AtomicInteger permitsWhenTaskReturned = new AtomicInteger(-1);
            Future<Integer> f = WhatIfRoutes.whileHolding(gate, () -> 42, task -> vertx.executeBlocking(() -> {
                Integer v = task.call();
                permitsWhenTaskReturned.set(gate.availablePermits()); // before the future completes
                return v;
            }, false));
            assertEquals(42, f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertEquals(1, permitsWhenTaskReturned.get(), "released when the task ended, before the response");
            assertEquals(1, gate.availablePermits(), "released once, not once more on completion");
        } finally {
            Loopback.close(vertx);
        }
    }

    @Test
    void aTaskThatFailsGivesItBackOnce() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Semaphore gate = taken();
            Future<Integer> f = WhatIfRoutes.whileHolding(gate, () -> {
                throw new IllegalStateException("count failed");
            }, task -> vertx.executeBlocking(task, false));
            Throwable cause = f.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(10,
                    TimeUnit.SECONDS);
            assertTrue(String.valueOf(cause).contains("count failed"), String.valueOf(cause));
            assertEquals(1, gate.availablePermits());
        } finally {
            Loopback.close(vertx);
        }
    }
}
