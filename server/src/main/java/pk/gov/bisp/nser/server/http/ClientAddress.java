package pk.gov.bisp.nser.server.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The client's IP: the peer address, or, when the peer is a trusted proxy, the right-most address of
 * X-Forwarded-For (all its header lines, in order) that is not itself a trusted proxy. A header from anyone
 * else is ignored; a hop that is not an IP literal ends the search at the peer.
 *
 * <p>Every request asks for its client (the access log records it), so an IPv4 hop is read by hand, in canonical
 * form only; an IPv6 one goes through {@link java.net.InetAddress}, and anything else is not an address.
 */
public final class ClientAddress {

    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    private final Set<String> trustedProxies;

    /** @param trustedProxies IP addresses in the form {@link #normalise} gives */
    public ClientAddress(Set<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /**
     * An IP literal in canonical form (IPv6 fully expanded, as Vert.x reports peers), or null if not one. IPv4 is
     * taken only as four decimal numbers 0-255 without leading zeros, the form every proxy writes: the shorthand
     * and octal-looking forms ({@code 127.1}, {@code 010.0.0.1}) are ambiguous, and anything else is not parsed
     * by {@link java.net.InetAddress}, which would look a name up in DNS (blocking the event loop) when a
     * string is neither an IPv4 nor an IPv6 literal.
     */
    public static String normalise(String literal) {
        String s = literal.trim();
        return canonicalIpv4(s) ? s : ipv6(s);
    }

    /**
     * An IPv6 literal (or IPv4-mapped one) in the form InetAddress gives, or null. Only strings of hex digits,
     * colons and dots with a colon, starting with a hex digit or a colon, reach InetAddress: it parses those as
     * IPv6 and never looks them up.
     */
    static String ipv6(String s) {
        if (s.indexOf(':') < 0 || s.charAt(0) == '.' || !LITERAL.matcher(s).matches()) {
            return null;
        }
        try {
            return java.net.InetAddress.getByName(s).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /**
     * Whether {@code s} is four dot-separated decimal numbers 0-255 without leading zeros: the form
     * {@link java.net.InetAddress#getHostAddress} gives an IPv4 address, so it is already its own canonical form.
     */
    static boolean canonicalIpv4(String s) {
        int n = s.length();
        if (n < 7 || n > 15) {
            return false;
        }
        int parts = 0;
        int value = 0;
        int digits = 0;
        boolean leadingZero = false;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? s.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || value > 255 || (leadingZero && digits > 1)) {
                    return false;
                }
                parts++;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits == 0) {
                    leadingZero = c == '0';
                }
                if (++digits > 3) {
                    return false;
                }
                value = value * 10 + (c - '0');
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    public String of(HttpServerRequest req) {
        SocketAddress peer = req.remoteAddress();
        String ip = peer == null ? "unknown" : peer.hostAddress();
        return trustedProxies.contains(ip) ? of(ip, req.headers().getAll("X-Forwarded-For")) : ip;
    }

    /** The client of a request from the trusted proxy {@code peer} with these X-Forwarded-For header lines. */
    String of(String peer, List<String> forwardedFor) {
        if (forwardedFor.isEmpty()) {
            return peer;
        }
        String xff = forwardedFor.size() == 1 ? forwardedFor.get(0) : String.join(",", forwardedFor);
        int end = xff.length();
        while (end > 0 && xff.charAt(end - 1) == ',') { // as String.split: trailing empty hops are not hops
            end--;
        }
        while (end >= 0) {
            int comma = xff.lastIndexOf(',', end - 1);
            String hop = xff.substring(comma + 1, end).trim();
            if (hop.isEmpty() || hop.length() > 45) {
                return peer;
            }
            String normal = normalise(hop);
            if (normal == null) {
                return peer;
            }
            if (!trustedProxies.contains(normal)) {
                return normal;
            }
            end = comma;
        }
        return peer;
    }
}
