package pk.gov.bisp.nser.server.dci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

/**
 * The asynchronous DCI paths with a real callback receiver on loopback (the JDK's HTTP server): the request is
 * acknowledged at once (ACK, or ERR for a sender_uri outside the organisation's registered callback origins, which
 * is then never called), and the answer is POSTed to the registered origin at the callback path, retried with
 * backoff while the receiver fails, and billed and logged once delivered. Every acknowledgement and callback body is
 * validated against the contract.
 */
class DciAsyncTest {

    private static HttpServer receiver;
    private static NserServer s;
    private static final BlockingQueue<String[]> RECEIVED = new LinkedBlockingQueue<>();
    private static final BlockingQueue<String> HELD = new LinkedBlockingQueue<>();
    /** How many of the next callbacks the receiver answers with 503 before taking one. */
    private static final AtomicInteger FAILURES = new AtomicInteger();
    /** When set, the receiver holds the next callback until it is counted down, then answers it 503. */
    private static volatile java.util.concurrent.CountDownLatch hold;
    private static String origin;
    private static long cnic;

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            java.util.concurrent.CountDownLatch h = hold;
            if (h != null) {
                hold = null;
                HELD.add(ex.getRequestURI().getPath());
                try {
                    h.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.sendResponseHeaders(503, -1);
                ex.close();
                return;
            }
            int status = FAILURES.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 200;
            if (status == 200) {
                RECEIVED.add(new String[] {ex.getRequestURI().getPath(), new String(body, StandardCharsets.UTF_8)});
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.start();
        origin = "http://127.0.0.1:" + receiver.getAddress().getPort();
        String yaml = new String(TestServer.class.getResourceAsStream("/demo.yaml").readAllBytes(),
                StandardCharsets.UTF_8).replace("http://127.0.0.1:9000", origin)
                .replace("  max_page_size: 1000", "  max_page_size: 1000\n  callback_backoff_ms: 20\n"
                        + "  callback_attempts: 4");
        assertTrue(yaml.contains(origin) && yaml.contains("callback_backoff_ms: 20"));
        s = TestServer.start(TestServer.config(yaml));
        cnic = TestServer.headCnics(11, 1, 1).get(0);
    }

    @AfterAll
    static void stop() {
        if (s != null) {
            s.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private static ObjectNode request(String senderUri) {
        ObjectNode body = DciSyncSearchTest.envelope(DciSyncSearchTest.items(DciSyncSearchTest.idItem("r1", "UIN",
                Cnic.format(cnic))));
        ((ObjectNode) body.path("header")).put("sender_uri", senderUri);
        ((ObjectNode) body.path("message")).put("transaction_id", "async-" + senderUri.hashCode());
        return body;
    }

    private static HttpResponse<String> post(String path, JsonNode body) throws Exception {
        return TestServer.send(s, "POST", path, body.toString(), "Content-Type", "application/json",
                "Authorization", "Bearer demo-power-key");
    }

    @Test
    void anAsyncSearchShouldBeAcknowledgedThenAnsweredAtTheRegisteredCallback() throws Exception {
        RECEIVED.clear();
        HttpResponse<String> ack = post("/registry/search", request(origin + "/spmis"));
        assertEquals(202, ack.statusCode(), ack.body());
        DciContract.assertValid(DciContract.ACK, ack.body());
        JsonNode a = TestServer.JSON.readTree(ack.body()).path("message");
        assertEquals("ACK", a.path("ack_status").asText());
        assertEquals("0", ack.headers().firstValue("Billed-Rows").orElse(""), "the ACK carries no rows");
        String[] got = RECEIVED.poll(30, TimeUnit.SECONDS);
        assertNotNull(got, "no callback arrived");
        assertEquals("/spmis/registry/on-search", got[0]);
        DciContract.assertValid(DciContract.ON_SEARCH_REQUEST, got[1]);
        JsonNode cb = TestServer.JSON.readTree(got[1]);
        assertEquals("on-search", cb.path("header").path("action").asText());
        assertEquals(a.path("correlation_id").asText(), cb.path("message").path("correlation_id").asText());
        JsonNode item = cb.path("message").path("search_response").get(0);
        assertEquals("succ", item.path("status").asText());
        assertTrue(item.path("data").path("reg_records").get(0).path("member_list").toString()
                .contains(Cnic.format(cnic)), item.toString());
        JsonNode record = callbackRecord("/spmis/registry/on-search");
        assertEquals(1, record.path("billed_rows").asInt(), record.toString());
        assertEquals(200, record.path("status").asInt());
        assertTrue(record.path("query").asText().endsWith("attempts=1"), record.toString());
    }

    /**
     * Issue 26: a callback whose organisation's agreement is suspended after its request was acknowledged is not
     * sent again; its access record says why and bills nothing. The first attempt is held in the receiver while the
     * admin suspends the agreement, then refused, so the retry meets the suspension.
     */
    @Test
    void aSuspendedOrganisationsCallbacksShouldStop() throws Exception {
        RECEIVED.clear();
        HELD.clear();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        hold = release;
        try {
            HttpResponse<String> ack = post("/registry/search", request(origin + "/suspended"));
            assertEquals(202, ack.statusCode(), ack.body());
            assertEquals("/suspended/registry/on-search", HELD.poll(30, TimeUnit.SECONDS), "the first attempt");
            HttpResponse<String> suspended = TestServer.send(s, "POST",
                    "/admin/agreements/DSA-2026-001/suspend?reason=spot+check", "", "Authorization",
                    "Bearer demo-admin-key");
            assertEquals(200, suspended.statusCode(), suspended.body());
            release.countDown();
            JsonNode record = callbackRecord("/suspended/registry/on-search");
            assertEquals("agreement-no-longer-active", record.path("reason").asText(), record.toString());
            assertEquals(0, record.path("billed_rows").asInt(), record.toString());
            assertEquals("DSA-2026-001", record.path("agreement").asText(), record.toString());
            assertNull(RECEIVED.poll(500, TimeUnit.MILLISECONDS), "no callback delivered after the suspension");
        } finally {
            release.countDown();
            hold = null;
            HttpResponse<String> resumed = TestServer.send(s, "POST",
                    "/admin/agreements/DSA-2026-001/resume?reason=remedied", "", "Authorization",
                    "Bearer demo-admin-key");
            assertEquals(200, resumed.statusCode(), resumed.body());
        }
    }

    @Test
    void aFailingReceiverShouldGetTheCallbackAgainWithBackoff() throws Exception {
        RECEIVED.clear();
        FAILURES.set(2);
        HttpResponse<String> ack = post("/registry/search", request(origin + "/retry/registry/on-search"));
        assertEquals(202, ack.statusCode(), ack.body());
        String[] got = RECEIVED.poll(30, TimeUnit.SECONDS);
        assertNotNull(got, "no callback arrived after the receiver recovered");
        assertEquals("/retry/registry/on-search", got[0]);
        DciContract.assertValid(DciContract.ON_SEARCH_REQUEST, got[1]);
        JsonNode record = callbackRecord("/retry/registry/on-search");
        assertTrue(record.path("query").asText().endsWith("attempts=3"), record.toString());
        assertEquals(1, record.path("billed_rows").asInt());
    }

    @Test
    void aSenderUriOutsideTheRegisteredOriginsShouldGetErrAndNoCall() throws Exception {
        RECEIVED.clear();
        int otherPort = receiver.getAddress().getPort() == 65_535 ? 65_534 : receiver.getAddress().getPort() + 1;
        for (String uri : new String[] {"http://127.0.0.1:" + otherPort + "/x", "http://169.254.169.254/latest",
            "file:///etc/passwd", "", origin.replace("http:", "https:")}) {
            HttpResponse<String> r = post("/registry/search", request(uri));
            assertEquals(400, r.statusCode(), r.body());
            DciContract.assertValid(DciContract.ACK, r.body());
            JsonNode m = TestServer.JSON.readTree(r.body()).path("message");
            assertEquals("ERR", m.path("ack_status").asText());
            assertEquals("err.sender_uri.invalid", m.path("error").path("code").asText());
        }
        // another organisation cannot use this origin either (it is registered for punjab-social-protection only)
        HttpResponse<String> other = TestServer.send(s, "POST", "/registry/search", request(origin).toString(),
                "Authorization", "Bearer demo-basic-key");
        assertEquals(400, other.statusCode(), other.body());
        assertNull(RECEIVED.poll(300, TimeUnit.MILLISECONDS), "no callback may go to an unregistered origin");
    }

    @Test
    void asyncHeaderProblemsShouldGetErr() throws Exception {
        ObjectNode body = request(origin);
        ((ObjectNode) body.path("header")).put("action", "on-search");
        HttpResponse<String> r = post("/registry/search", body);
        assertEquals(400, r.statusCode());
        DciContract.assertValid(DciContract.ACK, r.body());
        JsonNode m = TestServer.JSON.readTree(r.body()).path("message");
        assertEquals("err.request.bad", m.path("error").path("code").asText());
        assertTrue(m.path("error").path("message").asText().contains("rjct.action.invalid"));
        HttpResponse<String> anon = TestServer.send(s, "POST", "/registry/search", request(origin).toString());
        assertEquals(401, anon.statusCode());
        DciContract.assertValid(DciContract.HTTP_ERROR, anon.body());
    }

    @Test
    void anAsyncTxnStatusShouldBeAnsweredAtTxnOnStatus() throws Exception {
        RECEIVED.clear();
        ObjectNode search = request(origin + "/s");
        ((ObjectNode) search.path("message")).put("transaction_id", "async-status-1");
        assertEquals(202, post("/registry/search", search).statusCode());
        assertNotNull(RECEIVED.poll(30, TimeUnit.SECONDS));
        ObjectNode status = DciSyncSearchTest.txnStatus("transaction_id",
                TestServer.JSON.valueToTree("async-status-1"));
        ((ObjectNode) status.path("header")).put("sender_uri", origin + "/s");
        HttpResponse<String> ack = post("/registry/txn/status", status);
        assertEquals(202, ack.statusCode(), ack.body());
        DciContract.assertValid(DciContract.ACK, ack.body());
        String[] got = RECEIVED.poll(30, TimeUnit.SECONDS);
        assertNotNull(got);
        assertEquals("/s/registry/txn/on-status", got[0]);
        DciContract.assertValid(DciContract.TXN_ON_STATUS_REQUEST, got[1]);
        JsonNode st = TestServer.JSON.readTree(got[1]).path("message").path("txnstatus_response").path("txn_status");
        assertEquals("async-status-1", st.path("transaction_id").asText());
        assertEquals("succ", st.path("search_response").get(0).path("status").asText());
    }

    /** The access record of the callback delivered to {@code path} (the latest). */
    private static JsonNode callbackRecord(String path) throws Exception {
        return accessRecord(s, "power-1", path);
    }

    /** The latest access record of {@code user}'s callback to {@code path} on {@code s}. */
    static JsonNode accessRecord(NserServer s, String user, String path) throws Exception {
        JsonNode found = null;
        for (int i = 0; i < 100 && found == null; i++) { // journaled just after delivery
            JsonNode log = TestServer.json(TestServer.get(s, "/admin/access-log?user=" + user,
                    TestServer.key("admin")));
            for (JsonNode e : log.path("records")) {
                if (e.path("record").path("path").asText().equals(path)) {
                    found = e.path("record");
                }
            }
            if (found == null) {
                Thread.sleep(50);
            }
        }
        assertNotNull(found, "no access record of the callback to " + path);
        return found;
    }
}
