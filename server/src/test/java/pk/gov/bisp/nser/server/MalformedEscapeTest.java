package pk.gov.bisp.nser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.http.PrefixRoutes;
import pk.gov.bisp.nser.server.registry.Registry;

/**
 * Issue 23.4: a malformed percent escape in a query string, on every route, every method it takes and every role, is
 * a 400 problem (it was a 500 on 61 routes and roles, whose logged exception carried the whole URI), and no line the
 * server logs carries a CNIC it was sent, whether the request was well formed or not.
 */
class MalformedEscapeTest {

    private static final String[] ROLES = {"power", "standard", "basic", "pos", "admin", null};
    /** Each with a malformed escape somewhere: bad hex, a lone %, a truncated UTF-8 sequence. */
    private static final String[] QUERIES = {"x=%%zz", "cnic=%s&x=%%zz", "group_by=%%zz&a=%%", "pmt_max=32&format=%%E0%%A4",
        "cnic=%s&limit=1%%"};

    @Test
    void aMalformedEscapeOnEveryRouteAndRoleShouldBeA400Problem() throws Exception {
        NserServer s = TestServer.demo();
        long cnic = TestServer.headCnics(5, 1, 1).get(0);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (String[] call : calls(cnic, Households.load().ids[5])) {
            for (String role : ROLES) {
                for (String q : QUERIES) {
                    String target = call[1] + "?" + q.formatted(Cnic.format(cnic), Cnic.format(cnic));
                    RawHttp.Answer a = RawHttp.send(s.port(), call[0], target, body(call[0]),
                            role == null ? new String[0] : TestServer.key(role));
                    sent++;
                    if (a.status() != 400 || !a.contentType().startsWith("application/problem+json")
                            || !a.body().contains("problems/bad-query")) {
                        failures.add(call[0] + " " + target + " as " + role + " -> " + a.status() + " " + a.body());
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(sent > 300, "requests sent: " + sent);
        assertEquals(200, TestServer.get(s, "/health/live").statusCode());
    }

    @Test
    void noLogLineShouldCarryACnicTheServerWasSent() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ServerProcess p = ServerProcess.start(http);
        try {
            List<Long> cnics = TestServer.headCnics(3, 97, 40);
            long id = Households.load().ids[3];
            int i = 0;
            for (String[] call : calls(cnics.get(0), id)) {
                for (String role : ROLES) {
                    long c = cnics.get(i++ % cnics.size());
                    String dashed = Cnic.format(c);
                    String plain = Long.toString(c);
                    String[] key = role == null ? new String[0] : TestServer.key(role);
                    int port = p.base.getPort();
                    String path = call[1].replace(Cnic.format(cnics.get(0)), i % 2 == 0 ? dashed : plain);
                    RawHttp.send(port, call[0], path + "?cnic=" + dashed + "&x=%zz", body(call[0]), key);
                    RawHttp.send(port, call[0], path + "?cnic=" + plain + "&phone=923001234567", body(call[0]), key);
                    RawHttp.send(port, call[0], path + "/%zz" + plain, body(call[0]), key);
                    RawHttp.send(port, call[0], path + "?cnic=" + plain + "&x=%zz", body(call[0]), "Authorization",
                            "Bearer not-a-key-0123456789");
                    RawHttp.send(port, call[0], path, "{\"cnics\": [\"" + dashed + "\"], \"cnic\": \"" + plain
                            + "\", \"phone\": \"923001234567\"}", key);
                }
            }
        } finally {
            p.kill();
        }
        String log = Files.readString(p.output);
        assertTrue(log.contains("ready"), "the server logged its start: " + log.substring(0, Math.min(300, log.length())));
        for (long c : TestServer.headCnics(3, 97, 40)) {
            assertFalse(log.contains(Long.toString(c)), "the log carries CNIC " + c);
            assertFalse(log.contains(Cnic.format(c)), "the log carries CNIC " + Cnic.format(c));
        }
        assertFalse(log.contains("923001234567"), "the log carries a phone number");
        assertFalse(log.contains("not-a-key-0123456789"), "the log carries an API key a client sent");
    }

    /** Every route's methods and a path for it: parameters filled with a real CNIC, household id and programme. */
    private static List<String[]> calls(long cnic, long householdId) throws Exception {
        List<String[]> out = new ArrayList<>();
        Vertx vertx = Vertx.vertx();
        try {
            Router router = ApiVerticle.router(vertx, Wiring.of(TestServer.demoConfig(), new Registry()));
            for (Route r : router.getRoutes()) {
                if (r.getPath() == null || r.methods() == null) {
                    continue;
                }
                String path = PrefixRoutes.template(r).replace(":cnic", Cnic.format(cnic))
                        .replace(":id", Long.toString(householdId)).replace(":programme", "bisp-kafaalat");
                r.methods().forEach(m -> out.add(new String[] {m.name(), path}));
            }
        } finally {
            vertx.close();
        }
        assertTrue(out.size() >= 20, "routes: " + out.size());
        return out;
    }

    private static String body(String method) {
        return method.equals("GET") || method.equals("DELETE") ? null : "{}";
    }
}
