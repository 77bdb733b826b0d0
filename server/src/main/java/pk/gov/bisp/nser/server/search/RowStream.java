package pk.gov.bisp.nser.server.search;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.roaringbitmap.PeekableIntIterator;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.vertx.VertxInternals;

/**
 * Sends list rows with backpressure: encodes a batch on the event loop, writes it, and continues only when the
 * connection's write queue has room (on drain) or, if it has, on the next turn of the loop, so other requests
 * interleave. A client that stops reading stalls the stream at the queue's size; one that disconnects ends it.
 * The count of rows written is reported once, whether the stream completed or was cut short. Each chunk travels in
 * a pooled direct buffer that goes back to the pool once written, or once the write fails or is never made.
 */
final class RowStream {

    private static final Logger LOG = Logger.getLogger(RowStream.class.getName());
    private static final int QUEUE_BYTES = 256 * 1024;
    /**
     * Bytes per write. Vert.x queues up to 16 writes whatever their size before it reports the queue full, so
     * writes are kept small enough that a stalled client holds at most about 16 of them.
     */
    private static final int CHUNK_BYTES = 16 * 1024;

    private final RoutingContext ctx;
    private final Context context;
    private final HttpServerResponse res;
    private final Snapshot snapshot;
    private final PeekableIntIterator ordinals;
    private final long rows;
    private final RowEncoder encoder;
    private final int batch;
    private final String nextCursor;
    private final long total;
    private final LongConsumer done;
    private final java.util.function.BooleanSupplier allowed;
    private final HouseholdRecord record = new HouseholdRecord();
    private long sent;
    private boolean finished;

    /** A stream that nothing stops but its end, its client or a failure. */
    RowStream(RoutingContext ctx, Snapshot snapshot, PeekableIntIterator ordinals, long rows,
              RowEncoder encoder, int batch, String nextCursor, long total, LongConsumer done) {
        this(ctx, snapshot, ordinals, rows, encoder, batch, nextCursor, total, done, () -> true);
    }

    /**
     * @param rows  how many rows to send from {@code ordinals}
     * @param done     called once with the rows written, when the stream ends for any reason
     * @param allowed  asked before each batch: false once the caller's agreement is no longer active (suspended,
     *                 revoked, expired), which cuts the stream there
     */
    RowStream(RoutingContext ctx, Snapshot snapshot, PeekableIntIterator ordinals, long rows,
              RowEncoder encoder, int batch, String nextCursor, long total, LongConsumer done,
              java.util.function.BooleanSupplier allowed) {
        this.allowed = allowed;
        this.ctx = ctx;
        this.context = ctx.vertx().getOrCreateContext();
        this.res = ctx.response();
        this.snapshot = snapshot;
        this.ordinals = ordinals;
        this.rows = rows;
        this.encoder = encoder;
        this.batch = batch;
        this.nextCursor = nextCursor;
        this.total = total;
        this.done = done;
    }

    void start() {
        res.setChunked(true).setWriteQueueMaxSize(QUEUE_BYTES);
        res.closeHandler(v -> finish());
        res.exceptionHandler(e -> finish());
        encoder.begin();
        pump();
    }

    private void pump() {
        if (finished) {
            return;
        }
        if (res.closed()) {
            finish();
            return;
        }
        if (!allowed.getAsBoolean()) {
            // the head is sent, so no problem can be: the connection is reset, the rows sent are logged and billed
            LOG.info("list stream stopped after " + sent + " rows: the caller's agreement is no longer active");
            Exchange.of(ctx).reason("agreement-no-longer-active");
            res.reset();
            finish();
            return;
        }
        try {
            for (int n = 0; n < batch && sent < rows; n++) {
                int ordinal = ordinals.next();
                if (!snapshot.read(ordinal, record)) {
                    throw new IllegalStateException("household ordinal " + ordinal + " is indexed but has no record");
                }
                encoder.row(record);
                sent++;
                if (encoder.pending() >= CHUNK_BYTES && sent < rows) {
                    write(encoder.drain());
                    if (res.writeQueueFull()) {
                        break;
                    }
                }
            }
            if (sent == rows) {
                encoder.end(nextCursor, total);
                ByteBuf last = encoder.drain();
                finish(() -> end(last), last::release);
                return;
            }
            if (encoder.pending() > 0) {
                write(encoder.drain());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "list stream failed after " + sent + " rows; closing the connection", e);
            res.reset();
            finish();
            return;
        }
        if (res.writeQueueFull()) {
            res.drainHandler(v -> pump());
        } else {
            context.runOnContext(v -> pump());
        }
    }

    /** Writes a chunk that this stream owns; it is released once written, or at once if the write is refused. */
    private void write(ByteBuf chunk) {
        send(chunk, false);
    }

    /** Ends the response with the last chunk, which is released once written or failed. */
    private void end(ByteBuf last) {
        send(last, true);
    }

    private void send(ByteBuf chunk, boolean last) {
        Future<Void> written;
        try {
            written = last ? res.end(VertxInternals.buffer(chunk)) : res.write(VertxInternals.buffer(chunk));
        } catch (RuntimeException | Error e) { // e.g. the connection was reset meanwhile
            chunk.release();
            throw e;
        }
        written.onComplete(ar -> chunk.release());
    }

    /** The stream stopped early (client gone, or a failure): what was sent is logged and billed. */
    private void finish() {
        finish(null, null);
    }

    /**
     * Ends the stream once: reports and bills the rows sent, then runs {@code release} (null: nothing to send), or
     * {@code discard} if the end cannot be journaled or the stream had already ended.
     */
    private void finish(Runnable release, Runnable discard) {
        if (finished) {
            if (discard != null) {
                discard.run();
            }
            return;
        }
        finished = true;
        done.accept(sent);
        Exchange.endStream(ctx, sent, release, discard);
    }
}
