package pk.gov.bisp.nser.server.vertx;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * The only class of the server that uses Vert.x's internal API ({@code io.vertx.core.internal}), which may change
 * in any Vert.x release; an ArchUnit rule ({@code ArchitectureTest}) keeps it so. Two uses, each kept because the
 * public API would cost the hot path:
 * <ul>
 *   <li>{@link #buffer}: a response body written by the byte writer into a pooled direct {@link ByteBuf}, handed to
 *       the socket as it is. The public {@code Buffer.buffer(byte[])} makes a heap buffer that Netty then copies
 *       into a direct one: BENCHMARKS.md, "Lookup bodies in pooled direct buffers" (the socket write's channel step
 *       fell from 0.44 to 0.11 us per Power lookup, and a 2.8 KB heap buffer per lookup went), and "List streams
 *       send their chunks in pooled direct buffers" (a copy and a heap allocation less per 16 KB chunk).</li>
 *   <li>{@link #eventLoopContext}, {@link #eventLoop}, {@link #dispatch}: the access log releases the responses it
 *       journaled in one task per event loop, each run at once on its request's own context, instead of a task per
 *       response ({@code Context.runOnContext}): BENCHMARKS.md, "The event loops write the access log
 *       themselves".</li>
 * </ul>
 * The load generator, which does not ship the server, has its own one adapter ({@code loadtest.VertxEventLoop}).
 */
public final class VertxInternals {

    private VertxInternals() {
    }

    /** A Vert.x buffer over {@code buf}, without a copy; whoever writes it takes over {@code buf}'s reference. */
    public static Buffer buffer(ByteBuf buf) {
        return BufferInternal.buffer(buf);
    }

    /** The event loop's own context under {@code context} (Vert.x gives every request a duplicate of it). */
    public static Context eventLoopContext(Context context) {
        return ((ContextInternal) context).unwrap();
    }

    /** The Netty event loop that runs {@code context}. */
    public static EventLoop eventLoop(Context context) {
        return ((ContextInternal) context).nettyEventLoop();
    }

    /** Runs {@code task} now, on the calling thread (the context's event loop), as {@code context}. */
    public static void dispatch(Context context, Runnable task) {
        ((ContextInternal) context).dispatch(task);
    }
}
