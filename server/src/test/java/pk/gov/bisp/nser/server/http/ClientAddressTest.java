package pk.gov.bisp.nser.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The client address: the IPv4 shortcut agrees with InetAddress, and X-Forwarded-For is read right to left. */
class ClientAddressTest {

    @Test
    void theIpv4ShortcutTakesOnlyCanonicalDottedQuads() {
        for (String s : List.of("0.0.0.0", "1.2.3.4", "10.0.0.1", "198.18.255.7", "255.255.255.255", "127.0.0.1")) {
            assertTrue(ClientAddress.canonicalIpv4(s), s);
            assertEquals(s, ClientAddress.normalise(s));
            assertEquals(s, ClientAddress.normalise(" " + s + "\t"));
        }
        for (String s : List.of("", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "01.2.3.4", "1.2.3.04",
                "1.2.3.00", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4 ", "a.b.c.d", "1.2.3.-4", "1111.2.3.4",
                "::1", "1.2.3.4:80", "12345678901234567")) {
            assertFalse(ClientAddress.canonicalIpv4(s), s);
        }
    }

    @Test
    void ipv4IsOnlyItsCanonicalFormAndIpv6GoesThroughInetAddress() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            String s = switch (i % 3) {
                case 0 -> rnd.nextInt(300) + "." + rnd.nextInt(300) + "." + (rnd.nextInt(8) == 0 ? "0" : "")
                        + rnd.nextInt(300) + "." + rnd.nextInt(300);
                case 1 -> random(rnd, "0123456789.", 1 + rnd.nextInt(16));
                default -> random(rnd, "0123456789abcdefABCDEF:", 1) + random(rnd, "0123456789af:.", rnd.nextInt(40));
            };
            String expected = s.indexOf(':') >= 0 ? ClientAddress.ipv6(s) : dottedQuad(s) ? s : null;
            assertEquals(expected, ClientAddress.normalise(s), "'" + s + "'");
            assertEquals(expected, ClientAddress.normalise("  " + s + " "), "'" + s + "' with spaces");
        }
        assertEquals("0:0:0:0:0:0:0:1", ClientAddress.normalise("::1"));
        assertEquals("2001:db8:0:0:0:0:0:1", ClientAddress.normalise("2001:DB8::1"));
        assertEquals("1.2.3.4", ClientAddress.normalise("::ffff:1.2.3.4"));
        // not literals, and never looked up: names, ranges, zones, ports, the ambiguous IPv4 shorthands
        for (String s : List.of("", "  ", "localhost", "dead.beef", "a.f", "1.2.3.4.5", "10.0.0.0/8", "fe80::1%eth0",
                "1.2.3.4:80", "127.1", "010.0.0.1", ".1.2.3", ".::1", "::g", "1,2,3,4")) {
            assertNull(ClientAddress.normalise(s), s);
        }
    }

    /** An independent reading of "canonical dotted quad": four parts, each a number 0-255 written without padding. */
    private static boolean dottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255
                    || !String.valueOf(Integer.parseInt(p)).equals(p)) {
                return false;
            }
        }
        return true;
    }

    private static String random(SplittableRandom rnd, String alphabet, int length) {
        StringBuilder b = new StringBuilder();
        for (int n = 0; n < length; n++) {
            b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @Test
    void forwardedForIsReadFromTheRightUpToTheFirstUntrustedHop() {
        ClientAddress a = new ClientAddress(Set.of("127.0.0.1", "10.0.0.2"));
        assertEquals("127.0.0.1", a.of("127.0.0.1", List.of()));
        assertEquals("203.0.113.7", a.of("127.0.0.1", List.of("203.0.113.7")));
        assertEquals("203.0.113.7", a.of("127.0.0.1", List.of("198.51.100.1, 203.0.113.7")));
        // trusted hops on the right are skipped, over several header lines
        assertEquals("198.51.100.1", a.of("127.0.0.1", List.of("198.51.100.1, 10.0.0.2", "127.0.0.1")));
        assertEquals("0:0:0:0:0:0:0:1", a.of("127.0.0.1", List.of("::1")));
        // only trusted hops: the peer
        assertEquals("127.0.0.1", a.of("127.0.0.1", List.of("10.0.0.2,127.0.0.1")));
        // a hop that is not an address, an empty hop, or one too long ends the search at the peer
        assertEquals("127.0.0.1", a.of("127.0.0.1", List.of("203.0.113.7, unknown")));
        assertEquals("127.0.0.1", a.of("127.0.0.1", List.of("203.0.113.7, , 10.0.0.2")));
        assertEquals("127.0.0.1", a.of("127.0.0.1", List.of("1".repeat(46))));
        assertEquals("127.0.0.1", a.of("127.0.0.1", List.of("")));
        // trailing commas are not hops (as before: the header was split with String.split)
        assertEquals("203.0.113.7", a.of("127.0.0.1", List.of("203.0.113.7,,")));
        assertEquals("127.0.0.1", a.of("127.0.0.1", List.of(",,,")));
        // an IPv4 shorthand is not taken for an address: the peer
        assertEquals("127.0.0.1", a.of("127.0.0.1", List.of("203.0.113.7, 10.1")));
    }
}
