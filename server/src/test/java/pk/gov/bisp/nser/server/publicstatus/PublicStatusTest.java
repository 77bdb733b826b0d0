package pk.gov.bisp.nser.server.publicstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.server.TestServer.expectProblem;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

class PublicStatusTest {

    private static final String LIMITED = TestServer.minimal(6, 3, "127.0.0.1");

    private static long cnic(boolean eligible) throws Exception {
        try (Snapshot s = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            for (int o = 0; ; o++) {
                s.read(o, r);
                if ((r.pmtHundredths() < 3_000) == eligible && r.pmtHundredths() != 3_200) {
                    return r.cnic(0);
                }
            }
        }
    }

    @Test
    void shouldAnswerTheStatusAndNothingElse() throws Exception {
        try (NserServer s = TestServer.start(TestServer.config(TestServer.minimal(6, 100, "127.0.0.1")))) {
            HttpResponse<String> yes = TestServer.get(s, "/public/v1/status/" + cnic(true));
            assertEquals(200, yes.statusCode(), yes.body());
            assertEquals("{\"status\":\"ELIGIBLE\"}", yes.body());
            assertEquals("{\"status\":\"NOT_ELIGIBLE\"}", TestServer.get(s, "/public/v1/status/" + cnic(false)).body());
            assertEquals("{\"status\":\"NOT_FOUND\"}", TestServer.get(s, "/public/v1/status/9999999999999").body());
            expectProblem(TestServer.get(s, "/public/v1/status/abc"), 400, "invalid-cnic");
            assertEquals(yes.body(), TestServer.get(s, "/public/v1/status/" + cnic(true) + "/").body());
            expectProblem(TestServer.get(s, "/public/v1/status/"), 400, "invalid-cnic"); // empty, not "no route"
            expectProblem(TestServer.get(s, "/public/v1/status"), 400, "invalid-cnic");
        }
    }

    @Test
    void fairUsageLimitShouldAnswer429PerClientWithoutSlowingOthers() throws Exception {
        try (NserServer s = TestServer.start(TestServer.config(LIMITED))) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> ok = TestServer.get(s, "/public/v1/status/9999999999999");
                assertEquals(200, ok.statusCode());
                assertEquals(Integer.toString(2 - i), ok.headers().firstValue("RateLimit-Remaining").orElse(""));
            }
            HttpResponse<String> limited = TestServer.get(s, "/public/v1/status/9999999999999");
            expectProblem(limited, 429, "fair-usage-limit");
            long retry = Long.parseLong(limited.headers().firstValue("Retry-After").orElse("0"));
            assertTrue(retry >= 1 && retry <= 10, "Retry-After " + retry);
            assertEquals("6", limited.headers().firstValue("RateLimit-Limit").orElse(""));
            HttpResponse<String> other = TestServer.get(s, "/public/v1/status/9999999999999",
                    "X-Forwarded-For", "203.0.113.7");
            assertEquals(200, other.statusCode(), "another client behind the trusted proxy is not limited");
            HttpResponse<String> page = TestServer.get(s, "/?cnic=9999999999999");
            assertEquals(429, page.statusCode());
            assertTrue(page.body().contains("data-outcome=\"LIMIT\""), page.body());
        }
    }

    @Test
    void everyForwardedForLineShouldCountSoASpoofedFirstLineBuysNothing() throws Exception {
        try (NserServer s = TestServer.start(TestServer.config(LIMITED))) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, TestServer.get(s, "/public/v1/status/9999999999999", "X-Forwarded-For",
                        "198.51.100." + i, "X-Forwarded-For", "203.0.113.9").statusCode());
            }
            assertEquals(429, TestServer.get(s, "/public/v1/status/9999999999999", "X-Forwarded-For",
                    "198.51.100.77", "X-Forwarded-For", "203.0.113.9").statusCode(),
                    "the proxy's own line names the client, whatever the client wrote before it");
        }
    }

    @Test
    void forwardedForFromAnUntrustedPeerShouldBeIgnored() throws Exception {
        try (NserServer s = TestServer.start(TestServer.config(TestServer.minimal(6, 3, "10.9.9.9")))) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, TestServer.get(s, "/public/v1/status/9999999999999", "X-Forwarded-For",
                        "198.51.100." + i).statusCode());
            }
            assertEquals(429, TestServer.get(s, "/public/v1/status/9999999999999", "X-Forwarded-For",
                    "198.51.100.99").statusCode(), "a spoofed header must not buy a fresh bucket");
        }
    }

    @Test
    void pageShouldBeBilingualAccessibleAndExplainABadCnic() throws Exception {
        try (NserServer s = TestServer.start(TestServer.config(TestServer.minimal(6, 100, "127.0.0.1")))) {
            page(s);
        }
    }

    private static void page(NserServer s) throws Exception {
        HttpResponse<String> en = TestServer.get(s, "/");
        assertEquals(200, en.statusCode());
        assertTrue(en.body().contains("<html lang=\"en\" dir=\"ltr\">"));
        assertTrue(en.body().contains("<label for=\"cnic\">") && en.body().contains("id=\"cnic\""));
        assertTrue(en.body().contains("role=\"status\""));
        assertFalse(en.body().contains("<script"), "no JavaScript needed");
        HttpResponse<String> ur = TestServer.get(s, "/?lang=ur&cnic=12%3Cb%3E");
        assertEquals(400, ur.statusCode());
        assertTrue(ur.body().contains("<html lang=\"ur\" dir=\"rtl\">"));
        assertTrue(ur.body().contains("data-outcome=\"INVALID\""));
        assertTrue(ur.body().contains("value=\"12&lt;b&gt;\""), "input is escaped when echoed");
        assertFalse(ur.body().contains("12<b>"));
    }
}
