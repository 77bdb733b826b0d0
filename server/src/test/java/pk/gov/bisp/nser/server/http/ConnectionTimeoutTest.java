package pk.gov.bisp.nser.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * Issue 23: slow and idle clients no longer hold connections for ever. A client that trickles its request head a
 * byte at a time is closed once {@code server.header_timeout_seconds} pass without a whole head; a connection with
 * no traffic is closed after {@code server.idle_timeout_seconds}. Before, 200 slow connections stayed open 30 s and
 * more. The waits below are hang guards, not timings.
 */
class ConnectionTimeoutTest {

    private static ServerConfig config(int idle, int header) throws Exception {
        String yaml = new String(TestServer.class.getResourceAsStream("/demo.yaml").readAllBytes())
                .replace("server:\n  host: 127.0.0.1\n", "server:\n  host: 127.0.0.1\n  idle_timeout_seconds: " + idle
                        + "\n  header_timeout_seconds: " + header + "\n");
        ServerConfig c = TestServer.config(yaml);
        assertEquals(idle, c.connections().idleTimeoutSeconds());
        assertEquals(header, c.connections().headerTimeoutSeconds());
        return c;
    }

    @Test
    void clientsTricklingTheirHeadersShouldBeClosedWithoutAnAnswer() throws Exception {
        try (NserServer s = TestServer.start(config(60, 1))) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    Socket sock = new Socket("127.0.0.1", s.port());
                    sock.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(
                            StandardCharsets.ISO_8859_1));
                    slow.add(sock);
                }
                // each keeps sending a header byte every 200 ms: never idle, never a whole head
                long guard = System.nanoTime() + 60_000_000_000L;
                int closed = 0;
                while (closed < slow.size() && System.nanoTime() < guard) {
                    closed = 0;
                    for (Socket sock : slow) {
                        closed += trickle(sock) ? 0 : 1;
                    }
                    Thread.sleep(200);
                }
                assertEquals(slow.size(), closed, "every slow client was closed");
                for (Socket sock : slow) {
                    sock.setSoTimeout(5_000);
                    InputStream in = sock.getInputStream();
                    assertEquals(-1, readOrEnd(in), "closed without an answer");
                }
            } finally {
                for (Socket sock : slow) {
                    sock.close();
                }
            }
            // a client that sends whole requests is served, twice on one connection
            try (Socket sock = new Socket("127.0.0.1", s.port())) {
                sock.setSoTimeout(30_000);
                for (int i = 0; i < 2; i++) {
                    sock.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(
                            StandardCharsets.ISO_8859_1));
                    String head = new String(sock.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
                    assertEquals("HTTP/1.1 200", head);
                    sock.getInputStream().readNBytes(sock.getInputStream().available());
                }
            }
        }
    }

    @Test
    void anIdleConnectionShouldBeClosed() throws Exception {
        try (NserServer s = TestServer.start(config(1, 60))) {
            try (Socket sock = new Socket("127.0.0.1", s.port())) {
                sock.setSoTimeout(60_000); // a hang guard: the server closes it after about a second
                OutputStream out = sock.getOutputStream();
                out.write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = sock.getInputStream();
                String head = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
                assertEquals("HTTP/1.1 200", head);
                byte[] rest = in.readAllBytes(); // the rest of the answer, then the end of the stream
                String answer = new String(rest, StandardCharsets.ISO_8859_1);
                assertTrue(answer.endsWith("{\"status\":\"UP\"}"));
                assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\nkeep-alive: timeout=1\r\n"),
                        "the answer tells how long the connection is kept idle: " + answer);
            }
        }
        try (NserServer s = TestServer.start(config(60, 7))) { // the head timeout, started at each answer's end
            java.net.http.HttpResponse<String> r = TestServer.get(s, "/health/live");
            assertEquals("timeout=7", r.headers().firstValue("Keep-Alive").orElse(""), r.headers().toString());
        }
    }

    /** Sends one more header byte; false once the server has closed the connection. */
    private static boolean trickle(Socket sock) {
        try {
            sock.getOutputStream().write('X');
            sock.getOutputStream().flush();
            return true;
        } catch (SocketException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static int readOrEnd(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }
}
