package pk.gov.bisp.nser.server.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Closes a connection whose next request head has not arrived {@code timeoutMillis} after the connection opened or
 * its previous answer ended: a client that trickles its request line and headers a byte at a time keeps the idle
 * timeout from firing, and would hold the socket for ever. One per event loop (its verticle), event-loop confined: a
 * sweep every second looks at the connections waiting for a head, so a request costs a map lookup and a clock read,
 * no timer. The server must not sniff for cleartext HTTP/2 (h2c): while it does, a connection is handed over (and
 * {@link #opened} called) only once its first request has been read.
 */
public final class HeaderTimeouts {

    private final long timeoutNanos;
    /** When each open connection began waiting for its next request head; -1 while a request is being answered. */
    private final Map<HttpConnection, long[]> waiting = new HashMap<>();

    public HeaderTimeouts(Vertx vertx, long timeoutMillis) {
        this.timeoutNanos = timeoutMillis * 1_000_000;
        vertx.setPeriodic(Math.max(100, Math.min(1_000, timeoutMillis / 2)), id -> sweep());
    }

    /** A connection opened: it has until the timeout to send its first request head. */
    public void opened(HttpConnection c) {
        waiting.put(c, new long[] {System.nanoTime()});
        c.closeHandler(v -> waiting.remove(c));
    }

    /** A request head arrived on {@code c}. */
    public void headRead(HttpConnection c) {
        long[] since = waiting.get(c);
        if (since != null) {
            since[0] = -1;
        }
    }

    /** The answer on {@code c} ended: the next request head is due within the timeout. */
    public void answered(HttpConnection c) {
        long[] since = waiting.get(c);
        if (since != null) {
            since[0] = System.nanoTime();
        }
    }

    /** Connections still open (for tests). */
    int open() {
        return waiting.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<HttpConnection, long[]>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<HttpConnection, long[]> e = it.next();
            long since = e.getValue()[0];
            if (since >= 0 && now - since > timeoutNanos) {
                it.remove();
                e.getKey().close();
            }
        }
    }
}
