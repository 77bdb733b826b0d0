package pk.gov.bisp.nser.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.accesslog.AccessLog;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.config.MeteringOptions;
import pk.gov.bisp.nser.server.json.JsonBytes;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A body handed over in a pooled direct buffer ({@link Exchange#end(io.vertx.ext.web.RoutingContext, int, String,
 * ByteBuf)}, as lookups send theirs) goes back to the pool exactly once however the response ends: sent, refused by
 * the access log, or abandoned by a client that left while its record was held. Over real HTTP on loopback, with an
 * access log that holds each record until the test lets it go.
 */
class PooledBodyTest {

    private static final String BODY = "{\"household_id\":42,\"pad\":\"" + "x".repeat(3_000) + "\"}";

    private record Held(Context context, Runnable release, Consumer<Throwable> refused) {
    }

    private final LinkedBlockingQueue<Held> held = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<ByteBuf> bodies = new LinkedBlockingQueue<>();
    /** When set, the access log throws instead of taking the record (as a journal refusing its arguments does). */
    private volatile boolean logThrows;
    private Vertx vertx;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        AccessLog log = new AccessLog() {
            @Override
            public void record(int kind, AccessRecord r, Context context, Runnable release,
                               Consumer<Throwable> refused) {
                if (logThrows) {
                    throw new IllegalArgumentException("record refused before it was taken");
                }
                held.add(new Held(context, release, refused));
            }
        };
        Router router = Router.router(vertx);
        router.get("/pooled").handler(ctx -> {
            Exchange.begin(ctx, "127.0.0.1", log, MeteringOptions.DEFAULTS);
            JsonBytes json = new JsonBytes(64);
            ByteBuf body = json.members(BODY.getBytes(StandardCharsets.UTF_8)).toPooledDirect();
            json.reset(); // the writer is reused at once (the next request): what is sent must be the copy
            json.members("{\"other\":1}".getBytes(StandardCharsets.UTF_8));
            bodies.add(body);
            Exchange.end(ctx, 200, "application/json", body);
        });
        port = Loopback.serve(vertx, router);
    }

    @AfterEach
    void stop() throws Exception {
        Loopback.close(vertx);
    }

    @Test
    void aSentBodyShouldReachTheClientWholeAndThenGoBackToThePool() throws Exception {
        try (Socket sock = request()) {
            Held h = held.poll(10, TimeUnit.SECONDS);
            ByteBuf body = bodies.poll(10, TimeUnit.SECONDS);
            assertEquals(1, body.refCnt(), "released before it was sent");
            h.context().runOnContext(v -> h.release().run());
            String response = readResponse(sock.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.endsWith("\r\n\r\n" + BODY), "the body did not arrive whole");
            assertReleased(body);
        }
    }

    @Test
    void aBodyWhoseRecordIsRefusedShouldGoBackToThePoolAndTheClientGetA503() throws Exception {
        try (Socket sock = request()) {
            Held h = held.poll(10, TimeUnit.SECONDS);
            ByteBuf body = bodies.poll(10, TimeUnit.SECONDS);
            h.context().runOnContext(v -> h.refused().accept(new java.io.IOException("disk full")));
            String response = readResponse(sock.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 503"), response);
            assertTrue(response.contains("access-log-unavailable"), response);
            assertReleased(body);
        }
    }

    @Test
    void aBodyWhoseClientLeftShouldGoBackToThePool() throws Exception {
        Held h;
        ByteBuf body;
        Socket sock = request();
        h = held.poll(10, TimeUnit.SECONDS);
        body = bodies.poll(10, TimeUnit.SECONDS);
        sock.close();
        Thread.sleep(200); // the server sees the connection close
        h.context().runOnContext(v -> h.release().run());
        assertReleased(body);
    }

    @Test
    void aBodyWhoseRecordTheLogThrowsOnShouldGoBackToThePool() throws Exception {
        logThrows = true;
        try (Socket sock = request()) {
            ByteBuf body = bodies.poll(10, TimeUnit.SECONDS);
            String response = readResponse(sock.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 500"), response); // this bare router's own failure answer
            assertReleased(body);
        }
        assertEquals(0, held.size());
    }

    private Socket request() throws Exception {
        Socket sock = new Socket("127.0.0.1", port);
        sock.setSoTimeout(10_000);
        sock.getOutputStream().write("GET /pooled HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        return sock;
    }

    private static String readResponse(InputStream in) throws Exception {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The release runs on the event loop after the write completes: waits for it, then checks it ran once. */
    private static void assertReleased(ByteBuf body) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (body.refCnt() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, body.refCnt(), "the pooled body was not given back");
    }
}
