package pk.gov.bisp.nser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.accesslog.AccessLog;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.http.Loopback;
import pk.gov.bisp.nser.server.metering.Ledger;
import pk.gov.bisp.nser.server.registry.Registry;

/**
 * The order issue 5 asks for, made deterministic: an access log that holds each record until the test lets it
 * go. The response must not reach the client while its record is held, and must arrive once it is released;
 * a record the log refuses turns the response into a 503.
 */
class ReleaseAfterLogTest {

    /** Holds every record with its release and refusal until the test decides. */
    private static final class HeldLog implements AccessLog {
        record Held(AccessRecord record, Context context, Runnable release, Consumer<Throwable> refused) {
        }

        final LinkedBlockingQueue<Held> held = new LinkedBlockingQueue<>();

        @Override
        public void record(int kind, AccessRecord r, Context context, Runnable release, Consumer<Throwable> refused) {
            held.add(new Held(r, context, release, refused));
        }
    }

    @Test
    void aResponseWaitsForItsRecordAndARefusedRecordIsA503() throws Exception {
        HeldLog log = new HeldLog();
        Vertx vertx = Vertx.vertx();
        try {
            Wiring wiring = Wiring.of(TestServer.demoConfig(), new Registry(), log, new Ledger());
            int port = Loopback.serve(vertx, ApiVerticle.router(vertx, wiring));
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest live = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live")).build();

            CompletableFuture<HttpResponse<String>> first = client.sendAsync(live, HttpResponse.BodyHandlers.ofString());
            HeldLog.Held h = log.held.poll(10, TimeUnit.SECONDS);
            assertEquals("health", h.record().operation());
            Thread.sleep(300);
            assertFalse(first.isDone(), "the response left before its access record was in the log");
            h.context().runOnContext(v -> h.release().run());
            HttpResponse<String> r = first.get(10, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertEquals(h.record().requestId(), r.headers().firstValue("X-Request-Id").orElse(""));

            CompletableFuture<HttpResponse<String>> second = client.sendAsync(live, HttpResponse.BodyHandlers.ofString());
            HeldLog.Held h2 = log.held.poll(10, TimeUnit.SECONDS);
            h2.context().runOnContext(v -> h2.refused().accept(new java.io.IOException("disk full")));
            HttpResponse<String> refused = second.get(10, TimeUnit.SECONDS);
            assertEquals(503, refused.statusCode());
            assertTrue(refused.body().contains("access-log-unavailable"), refused.body());

            // the server's own errors wait for their records too: no route, wrong method, body too large
            String base = "http://127.0.0.1:" + port;
            assertHeldThenSent(client, log, HttpRequest.newBuilder(URI.create(base + "/no/such/route")).build(), 404,
                    "no-such-route");
            assertEquals("GET", assertHeldThenSent(client, log, HttpRequest.newBuilder(URI.create(base
                    + "/health/live")).DELETE().build(), 405, "method-not-allowed").headers().firstValue("Allow")
                    .orElse(""));
            assertHeldThenSent(client, log, HttpRequest.newBuilder(URI.create(base
                    + "/v1/households/by-cnic/35202-1234567-1")).PUT(HttpRequest.BodyPublishers.noBody()).build(), 405,
                    "method-not-allowed");
            byte[] big = new byte[TestServer.demoConfig().maxBodyBytes() + 1];
            assertHeldThenSent(client, log, HttpRequest.newBuilder(URI.create(base + "/v1/eligibility/usc-subsidy"))
                    .header("Authorization", "Bearer demo-pos-key").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), 413, "body-too-large");

            // paths the router cannot read: answered 4xx, and still held until their records are in the log
            for (String target : new String[] {"/%zz/live", "/health/%", "/v1/households/by-cnic/%E0%A4"}) {
                try (java.net.Socket sock = new java.net.Socket("127.0.0.1", port)) {
                    sock.setSoTimeout(10_000);
                    sock.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close"
                            + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                    HeldLog.Held held = log.held.poll(10, TimeUnit.SECONDS);
                    assertTrue(held != null, target + ": no access record");
                    assertTrue(held.record().status() >= 400 && held.record().status() < 500, target + " logged "
                            + held.record().status());
                    Thread.sleep(200);
                    assertEquals(0, sock.getInputStream().available(), target + ": answered before it was logged");
                    held.context().runOnContext(v -> held.release().run());
                    String status = new String(sock.getInputStream().readNBytes(12),
                            java.nio.charset.StandardCharsets.ISO_8859_1);
                    assertEquals("HTTP/1.1 " + held.record().status(), status, target);
                }
            }
        } finally {
            Loopback.close(vertx);
        }
    }

    private static HttpResponse<String> assertHeldThenSent(HttpClient client, HeldLog log, HttpRequest req,
                                                           int status, String slug) throws Exception {
        CompletableFuture<HttpResponse<String>> f = client.sendAsync(req, HttpResponse.BodyHandlers.ofString());
        HeldLog.Held h = log.held.poll(10, TimeUnit.SECONDS);
        assertEquals(status, h.record().status(), req.toString());
        Thread.sleep(200);
        assertFalse(f.isDone(), req + ": the " + status + " left before its access record was in the log");
        h.context().runOnContext(v -> h.release().run());
        HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().contains(slug), r.body());
        assertEquals(h.record().requestId(), r.headers().firstValue("X-Request-Id").orElse(""));
        return r;
    }
}
