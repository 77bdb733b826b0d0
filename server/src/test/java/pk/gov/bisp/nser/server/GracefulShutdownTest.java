package pk.gov.bisp.nser.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Closing the server lets a request already in flight finish, then stops accepting. */
class GracefulShutdownTest {

    private static final Pattern IN_FLIGHT = Pattern.compile("(?m)^nser_requests_in_flight (\\d+)$");

    @Test
    void anInFlightRequestShouldBeAnsweredDuringShutdown() throws Exception {
        NserServer s = TestServer.start(TestServer.demoConfig());
        int port = s.port();
        String body = "{\"cnics\": [\"9999999999999\", \"12\"]}";
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        try (Socket sock = new Socket("127.0.0.1", port)) {
            sock.setSoTimeout(15_000);
            OutputStream out = sock.getOutputStream();
            out.write(("POST /v1/eligibility/bisp-kafaalat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer demo-pos-key\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, 10);
            out.flush();
            awaitInFlight(s, 2); // this request, and the scrape that counts it: the server has its headers
            CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
            Thread.sleep(300); // the rest of the body comes while the server drains
            out.write(bytes, 10, bytes.length - 10);
            out.flush();
            String response = new String(sock.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.contains("\"reason\":\"NOT_FOUND\"") && response.contains("\"reason\":\"INVALID_CNIC\""),
                    response);
            closing.get(30, TimeUnit.SECONDS);
        }
        assertThrows(java.io.IOException.class, () -> new Socket("127.0.0.1", port).close(),
                "no new connections after shutdown");
    }

    /** Waits (a minute at most) until {@code /metrics} reports at least {@code n} requests in flight. */
    private static void awaitInFlight(NserServer s, long n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        long seen = -1;
        while (System.nanoTime() < deadline) {
            Matcher m = IN_FLIGHT.matcher(TestServer.get(s, "/metrics").body());
            assertTrue(m.find(), "no nser_requests_in_flight in /metrics");
            seen = Long.parseLong(m.group(1));
            if (seen >= n) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the server never had " + n + " requests in flight (last " + seen + ")");
    }
}
