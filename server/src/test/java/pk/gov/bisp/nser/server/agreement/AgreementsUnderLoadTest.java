package pk.gov.bisp.nser.server.agreement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.SearchHttp;
import pk.gov.bisp.nser.server.TestServer;

/**
 * Issue 26's proofs under load: a key revoked while other requests run is refused from the next request on, and a
 * suspended organisation's list stream stops between two batches while its new requests are refused.
 */
class AgreementsUnderLoadTest {

    private static final int CLIENTS = 4;

    /** One request: when its client began sending it, and what it got. */
    private record Sent(long startNanos, int status, String body) {
    }

    @Test
    void aKeyRevokedMidLoadIsRefusedFromTheNextRequestOn() throws Exception {
        NserServer s = TestServer.start(TestServer.demoConfig());
        try {
            String cnic = Long.toString(TestServer.headCnics(0, 1, 1).get(0));
            JsonNode issued = AgreementsTest.ok(201, AgreementsTest.admin(s, "POST", "/admin/users/power-1/keys",
                    "{\"reason\": \"load test key\"}"));
            String key = issued.get("key").asText();
            Queue<Sent> sent = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger ok = new AtomicInteger();
            long[] revokedAt = {Long.MAX_VALUE};
            AtomicInteger afterRevoke = new AtomicInteger();
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Thread t = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            long t0 = System.nanoTime();
                            HttpResponse<String> r = TestServer.get(s, "/v1/households/by-cnic/" + cnic,
                                    "Authorization", "Bearer " + key);
                            sent.add(new Sent(t0, r.statusCode(), r.body()));
                            if (r.statusCode() == 200) {
                                ok.incrementAndGet();
                            }
                            if (t0 > revokedAt[0]) {
                                afterRevoke.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        failures.add(e);
                    }
                });
                t.start();
                clients.add(t);
            }
            try {
                while (ok.get() < 100 && failures.isEmpty()) {
                    Thread.sleep(5);
                }
                AgreementsTest.ok(200, AgreementsTest.admin(s, "DELETE", "/admin/keys/" + issued.get("key_id")
                        .asText(), "{\"reason\": \"leaked in a log\"}"));
                synchronized (revokedAt) {
                    revokedAt[0] = System.nanoTime(); // every request begun after this follows the revocation
                }
                while (afterRevoke.get() < 40 && failures.isEmpty()) {
                    Thread.sleep(5);
                }
            } finally {
                stop.set(true);
                for (Thread t : clients) {
                    t.join(30_000);
                }
            }
            assertEquals(List.of(), List.copyOf(failures));
            int refused = 0;
            List<String> wrong = new ArrayList<>();
            for (Sent x : sent) {
                if (x.startNanos() > revokedAt[0]) {
                    if (x.status() != 401 || !x.body().contains("/problems/key-revoked")) {
                        wrong.add(x.status() + " " + x.body());
                    }
                    refused++;
                } else if (x.status() != 200 && x.status() != 401) {
                    wrong.add("before: " + x.status() + " " + x.body());
                }
            }
            assertEquals(List.of(), wrong, "every request begun after the revocation is refused");
            assertTrue(refused >= 40, "requests after the revocation: " + refused);
            assertTrue(ok.get() >= 100, "answered before it: " + ok.get());
            assertEquals(200, TestServer.get(s, "/v1/households/by-cnic/" + cnic, TestServer.key("power")).statusCode(),
                    "the user's other key");
        } finally {
            s.close();
        }
    }

    @Test
    void aSuspendedOrganisationsStreamStopsAndItsNewRequestsAreRefused() throws Exception {
        NserServer s = TestServer.start(TestServer.demoConfig());
        try {
            long all = SearchHttp.count(s, "power", "");
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(4096);
                socket.setSoTimeout(30_000);
                socket.connect(new InetSocketAddress("127.0.0.1", s.port()), 5_000);
                socket.getOutputStream().write(("GET " + SearchHttp.LIST + "?format=ndjson HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\nAuthorization: Bearer demo-power-key\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream h = new ByteArrayOutputStream();
                for (int last4 = 0; last4 != 0x0d0a0d0a; ) {
                    int b = in.read();
                    assertTrue(b >= 0, "headers: " + h);
                    h.write(b);
                    last4 = last4 << 8 | b;
                }
                assertTrue(h.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200"), h.toString());
                assertTrue(in.readNBytes(1024).length == 1024);
                // the stream is stalled on this client; its organisation's agreement is suspended meanwhile
                AgreementsTest.ok(200, AgreementsTest.admin(s, "POST", "/admin/agreements/DSA-2026-001/suspend",
                        "{\"reason\": \"spot check found data passed to a third party\"}"));
                assertEquals("agreement-suspended", AgreementsTest.problem(403,
                        SearchHttp.list(s, "power", "format=ndjson")));
                long rows = 0;
                byte[] buf = new byte[65_536];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        for (int i = 0; i < n; i++) {
                            rows += buf[i] == '\n' ? 1 : 0;
                        }
                    }
                } catch (IOException reset) {
                    // the server resets the connection when it stops the stream
                }
                assertTrue(rows < all, "rows received after the suspension: " + rows + " of " + all);
            }
            // the stream's end is journaled once the server has stopped it, which may come just after the reset
            JsonNode end = null;
            JsonNode log = null;
            for (int i = 0; i < 200 && end == null; i++) {
                log = AgreementsTest.ok(200, AgreementsTest.admin(s, "GET",
                        "/admin/access-log?user=power-1&operation=search", null)).get("records");
                for (JsonNode r : log) {
                    end = "stream-end".equals(r.get("kind").asText()) ? r : end;
                }
                if (end == null) {
                    Thread.sleep(50);
                }
            }
            assertTrue(end != null, "no stream-end record: " + log);
            assertEquals("agreement-no-longer-active", end.get("record").get("reason").asText());
            assertEquals("DSA-2026-001", end.get("record").get("agreement").asText());
            assertTrue(end.get("record").get("rows").asLong() < all, end.toString());
        } finally {
            s.close();
        }
    }
}
