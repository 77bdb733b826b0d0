package pk.gov.bisp.nser.loadtest;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;

/**
 * The load generator's only use of Vert.x's internal API ({@code io.vertx.core.internal}), which may change in any
 * Vert.x release; its {@code ArchitectureTest} keeps it so. The open loop schedules each next send on the event
 * loop's own timer, which has nanosecond resolution where Vert.x's public timers count milliseconds, and sends on
 * the event loop without a task per request: at 20k requests/s a sender thread cost the generator twice the CPU per
 * request of its closed loop (BENCHMARKS.md).
 */
final class VertxEventLoop {

    private VertxEventLoop() {
    }

    /** The Netty event loop that runs {@code context}. */
    static EventLoop of(Context context) {
        return ((ContextInternal) context).nettyEventLoop();
    }

    /** Runs {@code task} now, on the calling thread (the context's event loop), as {@code context}. */
    static void dispatch(Context context, Runnable task) {
        ((ContextInternal) context).dispatch(task);
    }
}
