package pk.gov.bisp.nser.server.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.Set;

/**
 * The client's IP: the peer address, or, when the peer is a trusted proxy, the right-most address of
 * X-Forwarded-For (all its header lines, in order) that is not itself a trusted proxy. A header from anyone
 * else is ignored; a hop that is not an IP literal ends the search at the peer.
 */
public final class ClientAddress {

    private final Set<String> trustedProxies;

    /** @param trustedProxies IP addresses in the form {@link #normalise} gives */
    public ClientAddress(Set<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /** An IP literal in canonical form (IPv6 fully expanded, as Vert.x reports peers), or null if not one. */
    public static String normalise(String literal) {
        String s = literal.trim();
        if (s.isEmpty() || !s.matches("[0-9a-fA-F:.]+") || !(s.contains(".") || s.contains(":"))) {
            return null;
        }
        try {
            return java.net.InetAddress.getByName(s).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    public String of(HttpServerRequest req) {
        SocketAddress peer = req.remoteAddress();
        String ip = peer == null ? "unknown" : peer.hostAddress();
        if (!trustedProxies.contains(ip)) {
            return ip;
        }
        java.util.List<String> lines = req.headers().getAll("X-Forwarded-For");
        if (lines.isEmpty()) {
            return ip;
        }
        String xff = String.join(",", lines);
        String[] hops = xff.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty() || hop.length() > 45) {
                return ip;
            }
            String normal = normalise(hop);
            if (normal == null) {
                return ip;
            }
            if (!trustedProxies.contains(normal)) {
                return normal;
            }
        }
        return ip;
    }
}
