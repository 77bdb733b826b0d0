package pk.gov.bisp.nser.server.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.Set;

/**
 * The client's IP: the peer address, or, when the peer is a trusted proxy, the right-most address of
 * X-Forwarded-For that is not itself a trusted proxy. A header from anyone else is ignored.
 */
public final class ClientAddress {

    private final Set<String> trustedProxies;

    public ClientAddress(Set<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    public String of(HttpServerRequest req) {
        SocketAddress peer = req.remoteAddress();
        String ip = peer == null ? "unknown" : peer.hostAddress();
        if (!trustedProxies.contains(ip)) {
            return ip;
        }
        String xff = req.getHeader("X-Forwarded-For");
        if (xff == null || xff.isBlank()) {
            return ip;
        }
        String[] hops = xff.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty() || hop.length() > 45) {
                return ip;
            }
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return ip;
    }
}
