package pk.gov.bisp.nser.server.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.server.SearchHttp.metric;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.Households;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.SearchHttp;
import pk.gov.bisp.nser.server.TestServer;

/**
 * A large NDJSON stream to a client that stops reading: the server stalls it at its write queue instead of
 * producing every row, keeps serving other requests, and ends the stream when the client leaves. Its own
 * server, so the stream metrics count only this class's streams.
 */
class SearchStreamTest {

    private static final String GAUGE = "nser_streams_active";
    private static final String ROWS = "nser_streamed_rows_total";
    /**
     * Every household, about 50 MB of Power NDJSON: well above what a stalled stream buffers (the kernel's send
     * buffer, and Vert.x's outbound queue of up to 16 written batches, about 4,000 Power rows at the default
     * batch size).
     */
    private static final String LARGE = "";
    private static NserServer server;
    private static Households hh;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(TestServer.demoConfig());
        hh = Households.load();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void noStreamInProgress() throws Exception {
        awaitGauge(0);
    }

    /** Polls /metrics (at most ~10 s) until the gauge reads {@code value}; fails with the last reading. */
    private static void awaitGauge(long value) throws Exception {
        long seen = -1;
        for (int i = 0; i < 200 && seen != value; i++) {
            seen = metric(server, GAUGE);
            if (seen != value) {
                Thread.sleep(50);
            }
        }
        assertEquals(value, seen, GAUGE);
    }

    /**
     * The stream stays in progress however often we look (twenty looks over about a second): a stalled stream
     * waits for its client rather than finishing into the server's memory. A bounded observation, never a
     * deadline: a correct server passes it however slow the machine.
     */
    private static void assertStaysInProgress() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals(1, metric(server, GAUGE), "the stalled stream is still in progress, look " + i);
            Thread.sleep(50);
        }
    }

    /**
     * A client that sends the request for a large NDJSON stream, reads the status line, the headers and a little
     * of the body, then stops reading. Its receive buffer is small so the server feels the backpressure.
     */
    private static final class StalledClient implements AutoCloseable {
        final Socket socket = new Socket();
        final String head;
        final String bodyStart;

        StalledClient(String path) throws IOException {
            socket.setReceiveBufferSize(4096);
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer demo-power-key\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream h = new ByteArrayOutputStream();
            int last4 = 0;
            while (last4 != 0x0d0a0d0a) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed in the headers: " + h);
                }
                h.write(b);
                last4 = last4 << 8 | b;
            }
            head = h.toString(StandardCharsets.ISO_8859_1);
            byte[] some = in.readNBytes(1024);
            bodyStart = new String(some, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aClientThatStopsReadingShouldStallTheStreamAndLeavingShouldEndIt() throws Exception {
        long all = SearchHttp.count(server, "power", LARGE);
        assertEquals(hh.size, all);
        long rowsBefore = metric(server, ROWS);
        try (StalledClient client = new StalledClient(SearchHttp.path(SearchHttp.LIST, LARGE, "format=ndjson"))) {
            assertTrue(client.head.startsWith("HTTP/1.1 200"), client.head);
            String head = client.head.toLowerCase(Locale.ROOT);
            assertTrue(head.contains("content-type: application/x-ndjson"), head);
            assertTrue(head.contains("transfer-encoding: chunked"), head);
            assertTrue(client.bodyStart.contains("\"household_id\""), client.bodyStart);
            assertStaysInProgress();
            assertEquals(rowsBefore, metric(server, ROWS), "rows are counted when a stream ends");
        }
        awaitGauge(0);
        long sent = metric(server, ROWS) - rowsBefore;
        assertTrue(sent > 0 && sent < all, "rows produced for a client that left: " + sent + " of " + all);
    }

    @Test
    void theServerShouldKeepAnsweringWhileAStreamIsStalled() throws Exception {
        int o = 0;
        while (hh.someCnic[o] == 0) {
            o++;
        }
        try (StalledClient client = new StalledClient(SearchHttp.path(SearchHttp.LIST, LARGE, "format=ndjson"))) {
            assertTrue(client.head.startsWith("HTTP/1.1 200"), client.head);
            HttpResponse<String> live = TestServer.get(server, "/health/live");
            assertEquals(200, live.statusCode());
            assertEquals("{\"status\":\"UP\"}", live.body());
            HttpResponse<String> lookup = TestServer.get(server, "/v1/households/by-cnic/"
                    + Cnic.format(hh.someCnic[o]), TestServer.key("power"));
            assertEquals(200, lookup.statusCode(), lookup.body());
            assertEquals(hh.ids[o], TestServer.json(lookup).get("household_id").asLong());
            JsonNode page = TestServer.json(SearchHttp.list(server, "standard", "tehsil=" + hh.tehsil[o], "limit=3"));
            assertEquals(3, page.get("items").size(), "another list while one stream is stalled");
            assertStaysInProgress();
        }
        awaitGauge(0);
    }
}
