package pk.gov.bisp.nser.server.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;
import pk.gov.bisp.nser.builder.cli.GenerateCommand;
import pk.gov.bisp.nser.builder.generate.SyntheticRegistry;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.stats.Marginals;
import pk.gov.bisp.nser.server.accesslog.AccessLog;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.config.MeteringOptions;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.Loopback;
import pk.gov.bisp.nser.server.projection.CsvRows;
import pk.gov.bisp.nser.server.projection.HouseholdWriter;

/**
 * A list stream sends its chunks in direct buffers that it owns, and every one of them goes back exactly once
 * however the stream ends: read to the end, cut short by a client that stops reading and leaves, or with an end
 * record the access log refuses. Over real HTTP on loopback, with an allocator that keeps every buffer it hands out.
 */
class RowStreamBuffersTest {

    /** Enough Power rows (~25 MB) that a client which stops reading leaves the stream stalled on a full socket. */
    private static final int ROWS = 10_000;
    private static Path dir;
    private static Snapshot snap;

    /** Every direct buffer the encoders drained into. */
    private final List<ByteBuf> allocated = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Long> ended = new LinkedBlockingQueue<>();
    /** When set, the access log refuses the end-of-stream record (as a journal that cannot write does). */
    private volatile boolean refuseEnd;
    private Vertx vertx;
    private int port;

    @BeforeAll
    static void generate() throws Exception {
        dir = Files.createTempDirectory("nser-rowstream");
        GenerateCommand.generate(new SyntheticRegistry(ROWS, 4, Marginals.builtIn()), PmtModel.builtIn(),
                dir.resolve("snap"), GenerateCommand.DEFAULT_AS_OF, false, 1);
        snap = Snapshot.open(dir.resolve("snap"), Snapshot.Verify.QUICK);
    }

    @AfterAll
    static void close() throws IOException {
        snap.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        AbstractByteBufAllocator alloc = new AbstractByteBufAllocator(true) {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                return Unpooled.buffer(initialCapacity, maxCapacity);
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                ByteBuf b = Unpooled.directBuffer(initialCapacity, maxCapacity);
                allocated.add(b);
                return b;
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        };
        AccessLog log = new AccessLog() {
            @Override
            public void record(int kind, AccessRecord r, Context context, Runnable release,
                               Consumer<Throwable> refused) {
                context.runOnContext(v -> {
                    if (kind == AccessRecord.STREAM_END && refuseEnd) {
                        refused.accept(new IOException("disk full"));
                    } else {
                        release.run();
                    }
                });
            }
        };
        LocalDate today = LocalDate.of(2026, 11, 23);
        Router router = Router.router(vertx);
        router.get("/rows").handler(ctx -> {
            Exchange.begin(ctx, "127.0.0.1", log, MeteringOptions.DEFAULTS);
            String format = ctx.request().getParam("format");
            RowEncoder enc = RowEncoder.of(RowFormat.valueOf(format), Role.POWER, null, null,
                    new HouseholdWriter(snap.geography(), snap.dictionary(), () -> today),
                    new CsvRows(snap.geography(), snap.dictionary(), () -> today), alloc);
            RoaringBitmap all = new RoaringBitmap();
            all.add(0L, ROWS);
            ctx.response().setStatusCode(200).putHeader("Content-Type", "application/x-ndjson");
            RowStream stream = new RowStream(ctx, snap, all.getIntIterator(), ROWS, enc, 50, null, -1,
                    ended::add);
            Exchange.startStream(ctx, ROWS, HouseholdWriter.fieldClasses(Role.POWER, true), stream::start);
        });
        port = Loopback.serve(vertx, router);
    }

    @AfterEach
    void stop() throws Exception {
        Loopback.close(vertx);
    }

    @Test
    void aStreamReadToTheEndShouldArriveWholeAndGiveBackEveryChunk() throws Exception {
        for (String format : List.of("NDJSON", "CSV")) {
            allocated.clear();
            try (Socket sock = request(format, 0)) {
                String body = body(new String(sock.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
                String[] lines = body.split("\n");
                if (format.equals("NDJSON")) {
                    assertEquals(ROWS, lines.length, format);
                    for (String line : lines) {
                        assertTrue(line.startsWith("{\"household_id\":") && line.endsWith("}"), line);
                    }
                } else {
                    assertEquals(ROWS + 1, lines.length, format); // the header line, then a line per household
                }
            }
            assertEquals(ROWS, ended.poll(10, TimeUnit.SECONDS), format);
            assertTrue(allocated.size() > 10, format + ": the stream should have gone out in many chunks, not "
                    + allocated.size());
            assertAllReleased(format);
        }
    }

    @Test
    void aClientThatStopsReadingAndLeavesShouldGetEveryQueuedChunkGivenBack() throws Exception {
        try (Socket sock = request("NDJSON", 4_096)) {
            InputStream in = sock.getInputStream();
            assertEquals(2_000, in.readNBytes(2_000).length);
            Thread.sleep(300); // the server fills the socket and its write queue, then waits for a drain
        }
        long sent = ended.poll(10, TimeUnit.SECONDS);
        assertTrue(sent > 0 && sent < ROWS, "rows sent before the client left: " + sent);
        assertAllReleased("cut short");
    }

    @Test
    void anEndRecordTheLogRefusesShouldResetTheStreamAndGiveBackTheLastChunk() throws Exception {
        refuseEnd = true;
        try (Socket sock = request("NDJSON", 0)) {
            String response = readUntilClosed(sock.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 200"), response.substring(0, Math.min(80, response.length())));
            // the last chunk (and the chunked encoding's terminator) never went out
            assertFalse(response.endsWith("\r\n0\r\n\r\n"), "the stream should not have ended normally");
        }
        assertEquals(ROWS, ended.poll(10, TimeUnit.SECONDS));
        assertAllReleased("refused end");
    }

    /** Sends the request; {@code receiveBuffer} (0: the default) is set before connecting, so that it holds. */
    private Socket request(String format, int receiveBuffer) throws IOException {
        Socket sock = new Socket();
        if (receiveBuffer > 0) {
            sock.setReceiveBufferSize(receiveBuffer);
        }
        sock.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
        sock.setSoTimeout(10_000);
        sock.getOutputStream().write(("GET /rows?format=" + format + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        return sock;
    }

    /** Reads until the server closes or resets the connection. */
    private static String readUntilClosed(InputStream in) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] b = new byte[8_192];
        try {
            for (int n; (n = in.read(b)) > 0; ) {
                out.write(b, 0, n);
            }
        } catch (IOException reset) {
            // a reset connection ends the response as a close does
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * The body of a chunked response read as ISO-8859-1 (a char per byte): the chunks' data joined, without sizes
     * and terminator, decoded as UTF-8.
     */
    private static String body(String response) {
        assertTrue(response.startsWith("HTTP/1.1 200"), response.substring(0, Math.min(80, response.length())));
        int at = response.indexOf("\r\n\r\n") + 4;
        StringBuilder out = new StringBuilder();
        while (true) {
            int eol = response.indexOf("\r\n", at);
            int size = Integer.parseInt(response.substring(at, eol), 16);
            if (size == 0) {
                return new String(out.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
            out.append(response, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }

    /** Releases happen on the event loop once writes complete: waits for them, then checks each ran once. */
    private void assertAllReleased(String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (allocated.stream().anyMatch(b -> b.refCnt() != 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(allocated.isEmpty(), what + ": nothing was allocated");
        for (ByteBuf b : allocated) {
            assertEquals(0, b.refCnt(), what + ": a chunk's buffer was not given back");
        }
    }
}
