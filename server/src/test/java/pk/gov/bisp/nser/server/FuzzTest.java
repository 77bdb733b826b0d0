package pk.gov.bisp.nser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Throws malformed paths, headers, bodies and huge inputs at every route. Never a 500, never a hang (every
 * request has a timeout), the server keeps serving, and every error is problem+json.
 */
class FuzzTest {

    private static final String[] ROUTES = {"/v1/households/by-cnic/%s", "/v1/eligibility/bisp-kafaalat/%s",
        "/v1/eligibility/%s", "/public/v1/status/%s", "/?cnic=%s", "/health/ready", "/metrics", "/openapi.yaml",
        "/health/live", "/admin/compact"};
    private static final String[] NASTY = {"", "%00", "%FF%FE", "..%2F..%2Fetc%2Fpasswd", "'%20OR%201=1",
        "%3Cscript%3E", "1".repeat(4_000), "-----", "35202-1234567-1%0d%0aX-Injected:%201", "%E2%80%AE1234",
        "12345-1234567-1-", "%", "%zz", "+1234512345671", "0x1FFFFFFFFFFF", "١٢٣٤٥١٢٣٤٥٦٧١"};

    @Test
    void malformedInputsShouldNeverGet500OrStopTheServer() throws Exception {
        NserServer s = TestServer.demo();
        SplittableRandom rnd = new SplittableRandom(42);
        List<String> failures = new ArrayList<>();
        for (String route : ROUTES) {
            for (String nasty : NASTY) {
                String path = route.contains("%s") ? route.replace("%s", nasty) : route + "?" + nasty;
                for (String method : new String[] {"GET", "POST", "PUT", "DELETE"}) {
                    String body = method.equals("GET") || method.equals("DELETE") ? null : randomBody(rnd);
                    HttpResponse<String> r;
                    try {
                        r = TestServer.send(s, method, path, body, TestServer.key(rnd.nextBoolean() ? "power" : "pos"));
                    } catch (IllegalArgumentException badUri) {
                        continue; // the client library itself refuses this URI; the raw-socket test covers it
                    }
                    if (r.statusCode() >= 500) {
                        failures.add(method + " " + path + " -> " + r.statusCode() + " " + r.body());
                    }
                    if (r.statusCode() >= 400 && !r.headers().firstValue("Content-Type").orElse("")
                            .startsWith("application/problem+json") && !path.startsWith("/?")) {
                        failures.add(method + " " + path + " -> " + r.statusCode() + " without problem+json");
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(200, TestServer.get(s, "/health/live").statusCode());
    }

    @Test
    void malformedExchangeCallsShouldNeverGet500NorStoreAnything() throws Exception {
        NserServer s = TestServer.start(TestServer.demoConfig());
        try {
            String[] values = {"null", "\"\"", "\"%00\"", "-1", "1e999", "[]", "{}", "\"2026-02-30\"",
                "\"\u202e\"", "\"" + "9".repeat(3_000) + "\"", "true", "\"35202-1234567-1\\r\\nX: 1\"",
                "99999999999999999999999", "\"pbm\\u0000\""};
            String[] fields = {"cnic", "household_id", "programme", "status", "date", "period", "amount_pkr", "kind",
                "extra"};
            List<String> failures = new ArrayList<>();
            for (String list : new String[] {"enrolments", "benefits"}) {
                for (String field : fields) {
                    for (String v : values) {
                        String item = "{\"household_id\": 1, \"programme\": \"pbm\", \"status\": \"enrolled\", "
                                + "\"date\": \"2026-11-01\", \"" + field + "\": " + v + "}";
                        for (String body : new String[] {"{\"" + list + "\": [" + item + "]}", item,
                            "{\"" + list + "\": " + v + "}", v}) {
                            HttpResponse<String> r = TestServer.send(s, "POST", "/v1/exchange/" + list, body,
                                    "Authorization", "Bearer demo-partner-key", "Content-Type", "application/json");
                            if (r.statusCode() >= 500 || r.statusCode() < 400 || !r.headers()
                                    .firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                                failures.add(list + " " + body.substring(0, Math.min(80, body.length())) + " -> "
                                        + r.statusCode() + " " + r.body());
                            }
                        }
                    }
                }
            }
            for (String q : new String[] {"since=-1", "since=abc", "since=99999999999999999999", "limit=0",
                "limit=100001", "since=1&since=2", "nope=1", "since=%00", "since=5"}) {
                HttpResponse<String> r = TestServer.get(s, "/v1/exchange/enrolments?" + q, "Authorization",
                        "Bearer demo-partner-key");
                if (r.statusCode() != 400) {
                    failures.add("GET ?" + q + " -> " + r.statusCode() + " " + r.body());
                }
            }
            assertEquals(List.of(), failures);
            assertEquals(0, TestServer.json(TestServer.get(s, "/v1/exchange/enrolments?since=0", "Authorization",
                    "Bearer demo-partner-key")).get("head_position").asLong(), "nothing was stored");
        } finally {
            s.close();
        }
    }

    @Test
    void malformedUpdatesShouldNeverGet500NorChangeAnything() throws Exception {
        NserServer s = TestServer.start(TestServer.demoConfig());
        try {
            long count = SearchHttp.count(s, "power", "");
            SplittableRandom rnd = new SplittableRandom(7);
            List<String> failures = new ArrayList<>();
            String[] ids = {"1", "0", "-1", "99999999999999999999", "abc", "1000000001", "%00", "1e9"};
            for (String id : ids) {
                for (int i = 0; i < 12; i++) {
                    String body = updateBody(rnd);
                    for (String[] call : new String[][] {{"PATCH", "/v1/households/" + id + "/members"},
                        {"PUT", "/v1/households/" + id + "/survey"}, {"POST", "/v1/households"}}) {
                        HttpResponse<String> r = TestServer.send(s, call[0], call[1], body, TestServer.key("power"));
                        if (r.statusCode() >= 500 || r.statusCode() < 400 || !r.headers().firstValue("Content-Type")
                                .orElse("").startsWith("application/problem+json")) {
                            failures.add(call[0] + " " + call[1] + " " + body.substring(0, Math.min(60, body.length()))
                                    + " -> " + r.statusCode() + " " + r.body());
                        }
                    }
                }
            }
            for (int i = 0; i < 12; i++) { // the online fold (issue 29) with the admin's key: any body, any query
                String path = "/admin/compact" + (i % 2 == 0 ? "" : "?" + NASTY[i]);
                HttpResponse<String> r;
                try {
                    r = TestServer.send(s, i % 3 == 0 ? "GET" : "POST", path, updateBody(rnd), TestServer.key("admin"));
                } catch (IllegalArgumentException badUri) {
                    continue; // the client library itself refuses this URI
                }
                if (r.statusCode() != 200 && r.statusCode() != 202 && r.statusCode() != 409
                        && r.statusCode() != 400) { // 400: a query string that is not percent-encoded UTF-8
                    failures.add(path + " -> " + r.statusCode() + " " + r.body());
                }
            }
            assertEquals(List.of(), failures);
            assertEquals(count, SearchHttp.count(s, "power", ""), "nothing was added");
            assertEquals(0, s.updates().applied(), "nothing was applied");
        } finally {
            s.close();
        }
    }

    /**
     * The admin API of agreements and keys, with the admin's key: malformed ids, bodies and queries on every route
     * and method. Never a 500, every error is problem+json, and nothing is changed: the agreements and keys read the
     * same before and after.
     */
    @Test
    void malformedAgreementCallsShouldNeverGet500NorChangeAnything() throws Exception {
        NserServer s = TestServer.start(TestServer.demoConfig());
        try {
            String before = TestServer.get(s, "/admin/agreements", TestServer.key("admin")).body().replaceAll(
                    "\"now\":\"[^\"]*\"", "");
            SplittableRandom rnd = new SplittableRandom(26);
            List<String> failures = new ArrayList<>();
            String[] ids = {"", "%00", "..%2F..", "nope", "DSA-2026-001%0d%0aX: 1", "a".repeat(3_000), "%E2%80%AE",
                "cfg-power-1-x", "key-", "'%20OR%201=1"};
            String[] routes = {"/admin/agreements/%s", "/admin/agreements/%s/suspend", "/admin/agreements/%s/resume",
                "/admin/agreements/%s/revoke", "/admin/users/%s/keys", "/admin/keys/%s/rotate", "/admin/keys/%s",
                "/admin/agreements?expiring_within_days=%s", "/admin/agreements?organisation=%s"};
            for (String route : routes) {
                for (String id : ids) {
                    for (String method : new String[] {"GET", "POST", "PATCH", "DELETE"}) {
                        String path = route.replace("%s", id);
                        String body = method.equals("GET") ? null : agreementBody(rnd);
                        HttpResponse<String> r;
                        try {
                            r = TestServer.send(s, method, path, body, TestServer.key("admin"));
                        } catch (IllegalArgumentException badUri) {
                            continue;
                        }
                        boolean problem = r.headers().firstValue("Content-Type").orElse("")
                                .startsWith("application/problem+json");
                        if (r.statusCode() >= 500 || r.statusCode() >= 400 && !problem
                                || !method.equals("GET") && r.statusCode() < 400) {
                            failures.add(method + " " + path.substring(0, Math.min(80, path.length())) + " "
                                    + (body == null ? "" : body.substring(0, Math.min(60, body.length()))) + " -> "
                                    + r.statusCode() + " " + r.body());
                        }
                    }
                }
            }
            for (int i = 0; i < 40; i++) {
                String body = agreementBody(rnd);
                HttpResponse<String> r = TestServer.send(s, "POST", "/admin/agreements", body, TestServer.key("admin"));
                if (r.statusCode() >= 500 || r.statusCode() < 400) {
                    failures.add("POST /admin/agreements " + body.substring(0, Math.min(60, body.length())) + " -> "
                            + r.statusCode() + " " + r.body());
                }
            }
            assertEquals(List.of(), failures);
            assertEquals(before, TestServer.get(s, "/admin/agreements", TestServer.key("admin")).body()
                    .replaceAll("\"now\":\"[^\"]*\"", ""), "nothing was changed");
            assertEquals(0, s.agreements().changes());
        } finally {
            s.close();
        }
    }

    private static String agreementBody(SplittableRandom rnd) {
        return switch (rnd.nextInt(12)) {
            case 0 -> "";
            case 1 -> "{" .repeat(3_000) + "}".repeat(3_000);
            case 2 -> "{\"reason\": \"x\", \"overlap_seconds\": -5}";
            case 3 -> "{\"reason\": 7, \"organisation\": {}, \"users\": \"all\"}";
            case 4 -> "{\"reason\": \"x\", \"overlap_seconds\": 1e99, \"valid_until\": \"2027-02-30\"}";
            case 5 -> "{\"reason\": \"" + "r".repeat(5_000) + "\"}";
            case 6 -> "{\"reason\": \"x\", \"reason\": \"y\"}";
            case 7 -> "{\"reason\": \"x\", \"id\": \"../x\", \"organisation\": \"bisp\", \"purpose\": null, "
                    + "\"users\": [null, 1, {\"id\": \"\"}], \"data_classes\": [\"top\"], \"operations\": []}";
            case 8 -> "{\"reason\": \"x\", \"area_scope\": {\"level\": \"district\", \"code\": -1}, "
                    + "\"valid_from\": \"2030-01-01\", \"valid_until\": \"2020-01-01\"}";
            case 9 -> "[1, 2, 3]";
            case 10 -> "{\"users\": [" + "{},".repeat(2_000) + "{}], \"reason\": \"x\"}";
            default -> "\u0000{\"reason\":";
        };
    }

    private static String updateBody(SplittableRandom rnd) {
        return switch (rnd.nextInt(10)) {
            case 0 -> "";
            case 1 -> "[" .repeat(3_000) + "]".repeat(3_000);
            case 2 -> "{\"changes\": \"birth\"}";
            case 3 -> "{\"changes\": [null, 1, [], {\"change\": null}, {\"change\": \"birth\", \"member\": 7}]}";
            case 4 -> "{\"changes\": [{\"change\": \"death\", \"member\": 1e99999999999}]}";
            case 5 -> "{\"household_id\": {}, \"members\": {}, \"rooms\": \"" + "9".repeat(5_000) + "\"}";
            case 6 -> "{\"update_type\": [], \"source_organisation\": {\"a\": 1}}";
            case 7 -> "{\"changes\": [{\"change\": \"address\", \"union_council\": -5, \"latitude\": \"NaN\"}]}";
            case 8 -> "{\"members\": [" + "{},".repeat(300) + "{}]}";
            default -> "\u0000{\"a\":";
        };
    }

    @Test
    void queriesTheHttpClientRefusesToSendShouldStillGet400() throws Exception {
        NserServer s = TestServer.demo();
        for (String target : new String[] {"/?cnic=%zz", "/?lang=%", "/?cnic=%E0%A4", "/?cnic=1&cnic=%"}) {
            try (Socket sock = new Socket("127.0.0.1", s.port())) {
                sock.setSoTimeout(20_000); // a hang guard, generous for a loaded machine
                sock.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                String status = new String(sock.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
                assertTrue(status.startsWith("HTTP/1.1 4"), target + " answered " + status);
            }
        }
    }

    @Test
    void hugeHeadersAndBrokenHttpShouldBeRefusedAndTheServerKeepServing() throws Exception {
        NserServer s = TestServer.demo();
        for (String raw : new String[] {"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000)
                + "\r\n\r\n","GARBAGE\r\n\r\n", "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /v1/eligibility/bisp-kafaalat HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{\"cn",
            "GET /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"}) {
            try (Socket sock = new Socket("127.0.0.1", s.port())) {
                sock.setSoTimeout(20_000); // a hang guard, generous for a loaded machine
                OutputStream out = sock.getOutputStream();
                out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                sock.shutdownOutput();
                InputStream in = sock.getInputStream();
                byte[] head = in.readNBytes(12);
                String status = new String(head, StandardCharsets.ISO_8859_1);
                assertTrue(status.isEmpty() || !status.startsWith("HTTP/1.1 5"), "raw request answered " + status);
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("server hung on a broken request: " + raw.substring(0, 20), e);
            }
        }
        assertEquals(200, TestServer.get(s, "/health/live").statusCode());
    }

    private static String randomBody(SplittableRandom rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> "";
            case 1 -> "{\"cnics\": " + "[".repeat(2_000) + "]".repeat(2_000) + "}";
            case 2 -> "{\"cnics\": [null, 1, {}, [], \"x\"]}";
            case 3 -> "\u0000\u0001\u0002";
            case 4 -> "{\"cnics\": \"3520212345671\"}";
            default -> "{\"cnics\": [\"" + "9".repeat(5_000) + "\"]}";
        };
    }
}
