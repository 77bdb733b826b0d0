package pk.gov.bisp.nser.server.config;

/**
 * How long the server keeps a connection that does nothing useful (slow or idle clients hold a socket and memory
 * each).
 *
 * @param idleTimeoutSeconds   a connection on which nothing is read or written for this long is closed
 *                             ({@code server.idle_timeout_seconds}, default 60)
 * @param headerTimeoutSeconds a request's head (request line and headers) must have arrived this long after the
 *                             connection opened or its previous answer was sent, else the connection is closed
 *                             ({@code server.header_timeout_seconds}, default 10): a client that trickles its
 *                             headers a byte at a time is not idle, but it is not let to hold the socket
 */
public record ConnectionOptions(int idleTimeoutSeconds, int headerTimeoutSeconds) {

    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
    public static final int DEFAULT_HEADER_TIMEOUT_SECONDS = 10;
    public static final IntSetting IDLE_TIMEOUT_SECONDS = new IntSetting("server.idle_timeout_seconds",
            DEFAULT_IDLE_TIMEOUT_SECONDS, 1, 86_400);
    public static final IntSetting HEADER_TIMEOUT_SECONDS = new IntSetting("server.header_timeout_seconds",
            DEFAULT_HEADER_TIMEOUT_SECONDS, 1, 3_600);
    public static final ConnectionOptions DEFAULTS = new ConnectionOptions(DEFAULT_IDLE_TIMEOUT_SECONDS,
            DEFAULT_HEADER_TIMEOUT_SECONDS);

    public ConnectionOptions {
        IDLE_TIMEOUT_SECONDS.check(idleTimeoutSeconds);
        HEADER_TIMEOUT_SECONDS.check(headerTimeoutSeconds);
    }
}
