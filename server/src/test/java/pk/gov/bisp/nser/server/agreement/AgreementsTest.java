package pk.gov.bisp.nser.server.agreement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.SearchHttp;
import pk.gov.bisp.nser.server.TestClock;
import pk.gov.bisp.nser.server.TestServer;

/**
 * Issue 26 over real HTTP: agreements granted, amended, suspended, resumed and revoked, keys issued, rotated and
 * revoked through the admin API, each taking effect from the next request; expiry at a set clock time with no one
 * acting; every change journaled with who and why, and kept across a restart.
 */
class AgreementsTest {

    static final Instant T0 = Instant.parse("2026-12-07T04:00:00Z");
    static String cnic;

    @BeforeAll
    static void cnic() throws Exception {
        cnic = Long.toString(TestServer.headCnics(0, 1, 1).get(0));
    }

    static HttpResponse<String> admin(NserServer s, String method, String path, String body) throws Exception {
        return TestServer.send(s, method, path, body, "Authorization", "Bearer demo-admin-key",
                "Content-Type", "application/json");
    }

    static HttpResponse<String> lookup(NserServer s, String key) throws Exception {
        return TestServer.get(s, "/v1/households/by-cnic/" + cnic, "Authorization", "Bearer " + key);
    }

    /** A lookup of the first household's head, for tests that have not read {@link #cnic}. */
    static HttpResponse<String> lookupAt(NserServer s, String key) throws Exception {
        return TestServer.get(s, "/v1/households/by-cnic/" + TestServer.headCnics(0, 1, 1).get(0), "Authorization",
                "Bearer " + key);
    }

    /** The problem's slug (the last part of its type), after checking the status and the content type. */
    static String problem(int status, HttpResponse<String> r) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        String type = TestServer.json(r).get("type").asText();
        return type.substring(type.lastIndexOf('/') + 1);
    }

    static JsonNode ok(int status, HttpResponse<String> r) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    static String analystAgreement(Instant until) {
        return """
                {"id": "DSA-2026-101", "organisation": "acme-microfinance",
                 "purpose": {"text": "Loan applicants' poverty score", "category": "poverty_score_api"},
                 "data_classes": ["public", "confidential", "secret"], "operations": ["lookup", "eligibility"],
                 "users": [{"id": "analyst-1", "name": "Credit analyst", "role": "standard"}],
                 "valid_until": "%s", "reason": "signed 2026-12-01, file DS/2026/101"}
                """.formatted(until);
    }

    @Test
    void anAgreementIsGrantedUsedSuspendedResumedExpiredRenewedAndRevoked() throws Exception {
        TestClock clock = new TestClock(T0);
        NserServer s = TestServer.start(TestServer.demoConfig(), TestServer.snapshot(), clock);
        try {
            JsonNode all = ok(200, admin(s, "GET", "/admin/agreements", null));
            assertEquals(6, all.get("agreements").size());
            assertEquals("DSA-2026-001", all.get("agreements").get(0).get("id").asText());
            assertEquals("active", all.get("agreements").get(0).get("status").asText());
            assertEquals(0, all.get("expiring_within_30_days").size());

            Instant until = T0.plusSeconds(10 * 86_400);
            JsonNode created = ok(201, admin(s, "POST", "/admin/agreements", analystAgreement(until)));
            assertEquals("active", created.get("status").asText());
            assertEquals(10, created.get("expires_in_days").asInt());
            assertEquals(until.toString(), created.get("valid_until").asText());
            assertEquals("poverty_score_api", created.get("purpose").get("category").asText());
            assertEquals("[\"lookup\",\"eligibility\"]", created.get("operations").toString());
            assertEquals("agreement-exists", problem(409, admin(s, "POST", "/admin/agreements",
                    analystAgreement(until))));

            JsonNode issued = ok(201, admin(s, "POST", "/admin/users/analyst-1/keys",
                    "{\"reason\": \"first key for the analyst\"}"));
            String key = issued.get("key").asText();
            assertTrue(key.startsWith("nser_") && key.length() > 40, key);
            assertEquals(200, lookup(s, key).statusCode());
            assertEquals("operation-not-allowed", problem(403, TestServer.get(s, "/v1/households/count",
                    "Authorization", "Bearer " + key)), "only the operations the agreement grants");

            JsonNode soon = ok(200, admin(s, "GET", "/admin/agreements?expiring_within_days=30", null));
            assertEquals(1, soon.get("agreements").size());
            assertEquals("DSA-2026-101", soon.get("expiring_within_30_days").get(0).asText());
            assertTrue(TestServer.get(s, "/metrics").body().contains("nser_agreements_expiring_within_30_days 1\n"));
            assertEquals(0, ok(200, admin(s, "GET", "/admin/agreements?expiring_within_days=5", null))
                    .get("agreements").size());

            // suspending the organisation's other agreement leaves this one's user in
            ok(200, admin(s, "POST", "/admin/agreements/DSA-2026-002/suspend", "{\"reason\": \"spot check failed\"}"));
            assertEquals("agreement-suspended", problem(403, lookup(s, "demo-standard-key")));
            assertEquals(200, lookup(s, key).statusCode());
            assertEquals("agreement-already-suspended", problem(409, admin(s, "POST",
                    "/admin/agreements/DSA-2026-002/suspend", "{\"reason\": \"again\"}")));
            ok(200, admin(s, "POST", "/admin/agreements/DSA-2026-002/resume?reason=remedied", null));
            assertEquals(200, lookup(s, "demo-standard-key").statusCode());

            // expiry on its own, at the clock's instant
            clock.set(until.minusMillis(1));
            assertEquals(200, lookup(s, key).statusCode());
            clock.set(until);
            HttpResponse<String> expired = lookup(s, key);
            assertEquals("agreement-expired", problem(403, expired));
            assertEquals("the data-sharing agreement 'DSA-2026-101' of your organisation expired at " + until,
                    TestServer.json(expired).get("detail").asText());
            assertEquals("expired", ok(200, admin(s, "GET", "/admin/agreements/DSA-2026-101", null))
                    .get("status").asText());
            assertTrue(TestServer.get(s, "/metrics").body().contains("nser_agreements_expiring_within_30_days 0\n"));
            assertTrue(TestServer.get(s, "/metrics").body().contains("nser_agreements{standing=\"expired\"} 1\n"));

            // renewed by amending its end
            JsonNode renewed = ok(200, admin(s, "PATCH", "/admin/agreements/DSA-2026-101",
                    "{\"valid_until\": \"2027-12-31\", \"reason\": \"renewed for 2027\"}"));
            assertEquals("active", renewed.get("status").asText());
            assertEquals("2027-12-31T19:00:00Z", renewed.get("valid_until").asText(), "the end of the day in PKT");
            assertEquals("Loan applicants' poverty score", renewed.get("purpose").get("text").asText());
            assertEquals(200, lookup(s, key).statusCode());

            ok(200, admin(s, "POST", "/admin/agreements/DSA-2026-101/revoke", "{\"reason\": \"data passed on\"}"));
            assertEquals("agreement-revoked", problem(403, lookup(s, key)));
            assertEquals("agreement-revoked", problem(409, admin(s, "PATCH", "/admin/agreements/DSA-2026-101",
                    "{\"valid_until\": \"2028-01-01\", \"reason\": \"x\"}")));
            assertEquals("agreement-revoked", problem(409, admin(s, "POST", "/admin/agreements/DSA-2026-101/resume",
                    "{\"reason\": \"x\"}")));

            // who and why, for each change
            JsonNode one = ok(200, admin(s, "GET", "/admin/agreements/DSA-2026-101", null));
            List<String> actions = new ArrayList<>();
            for (JsonNode c : one.get("history")) {
                actions.add(c.get("action").asText() + " by " + c.get("by").asText() + ": " + c.get("reason").asText());
                assertFalse(c.get("request_id").asText().isEmpty());
            }
            assertEquals(List.of("create by admin-1: signed 2026-12-01, file DS/2026/101",
                    "issue_key by admin-1: first key for the analyst", "amend by admin-1: renewed for 2027",
                    "revoke by admin-1: data passed on"), actions);
            assertEquals(1, one.get("keys").size());
            assertFalse(one.toString().contains(key), "a key is shown once");
            assertFalse(one.toString().contains(pk.gov.bisp.nser.server.caller.ApiKeys.sha256(key)),
                    "nor its hash");
        } finally {
            s.close();
        }
    }

    @Test
    void anAgreementExpiresAtASetClockTimeWithNoOneActing() throws Exception {
        TestClock clock = new TestClock(T0);
        NserServer s = TestServer.start(TestServer.demoConfig(), TestServer.snapshot(), clock);
        try {
            Instant end = T0.plusSeconds(3_600).plusMillis(250);
            ok(200, admin(s, "PATCH", "/admin/agreements/DSA-2026-001", "{\"valid_until\": \"" + end
                    + "\", \"reason\": \"ends at a set time\"}"));
            assertEquals(200, lookup(s, "demo-power-key").statusCode());
            clock.set(end.minusMillis(1));
            assertEquals(200, lookup(s, "demo-power-key").statusCode());
            assertTrue(ok(200, admin(s, "GET", "/admin/agreements", null)).get("expiring_within_30_days").toString()
                    .contains("DSA-2026-001"));
            clock.set(end);
            assertEquals("agreement-expired", problem(403, lookup(s, "demo-power-key")));
            assertEquals("agreement-expired", problem(403, SearchHttp.list(s, "power", "format=ndjson")));
            assertEquals(200, lookup(s, "demo-standard-key").statusCode(), "another organisation is not touched");
        } finally {
            s.close();
        }
    }

    @Test
    void aRotatedKeyWorksBesideTheNewOneForTheOverlapThenIsRefused() throws Exception {
        TestClock clock = new TestClock(T0);
        NserServer s = TestServer.start(TestServer.demoConfig(), TestServer.snapshot(), clock);
        try {
            JsonNode keys = ok(200, admin(s, "GET", "/admin/users/power-1/keys", null)).get("keys");
            assertEquals(1, keys.size());
            String old = keys.get(0).get("key_id").asText();
            assertTrue(old.startsWith("cfg-power-1-"), old);
            assertEquals("invalid-overlap", problem(422, admin(s, "POST", "/admin/keys/" + old + "/rotate",
                    "{\"overlap_seconds\": -1, \"reason\": \"x\"}")));
            JsonNode rotated = ok(201, admin(s, "POST", "/admin/keys/" + old + "/rotate",
                    "{\"overlap_seconds\": 3600, \"reason\": \"yearly rotation\"}"));
            String fresh = rotated.get("key").asText();
            assertEquals(old, rotated.get("replaces").asText());
            assertEquals(T0.plusSeconds(3_600).toString(), rotated.get("old_key_valid_until").asText());
            assertEquals(200, lookup(s, "demo-power-key").statusCode());
            assertEquals(200, lookup(s, fresh).statusCode());
            clock.advanceSeconds(3_599);
            assertEquals(200, lookup(s, "demo-power-key").statusCode());
            clock.advanceSeconds(1);
            assertEquals("key-expired", problem(401, lookup(s, "demo-power-key")));
            assertEquals(200, lookup(s, fresh).statusCode());
            assertEquals("key-already-rotated", problem(409, admin(s, "POST", "/admin/keys/" + old + "/rotate",
                    "{\"overlap_seconds\": 0, \"reason\": \"again\"}")));
            JsonNode after = ok(200, admin(s, "GET", "/admin/users/power-1/keys", null)).get("keys");
            assertEquals(2, after.size());
            assertEquals("expired", after.get(0).get("status").asText());
            assertEquals(rotated.get("key_id").asText(), after.get(0).get("replaced_by").asText());
            assertEquals("active", after.get(1).get("status").asText());

            ok(200, admin(s, "DELETE", "/admin/keys/" + rotated.get("key_id").asText() + "?reason=leaked", null));
            HttpResponse<String> revoked = lookup(s, fresh);
            assertEquals("key-revoked", problem(401, revoked));
            assertEquals("this API key has been revoked", TestServer.json(revoked).get("detail").asText());
            assertEquals("key-revoked", problem(409, admin(s, "DELETE", "/admin/keys/" + rotated.get("key_id")
                    .asText() + "?reason=again", null)));
        } finally {
            s.close();
        }
    }

    @Test
    void theAccessRecordCarriesTheAgreementAndBadCallsAreRefusedNamingWhy() throws Exception {
        NserServer s = TestServer.start(TestServer.demoConfig());
        try {
            assertEquals(200, lookup(s, "demo-power-key").statusCode());
            JsonNode log = ok(200, admin(s, "GET", "/admin/access-log?user=power-1", null)).get("records");
            assertEquals("DSA-2026-001", log.get(log.size() - 1).get("record").get("agreement").asText());

            assertEquals("role-not-allowed", problem(403, TestServer.send(s, "GET", "/admin/agreements", null,
                    TestServer.key("power"))));
            assertEquals("reason-required", problem(400, admin(s, "POST", "/admin/agreements/DSA-2026-002/suspend",
                    null)));
            assertEquals("own-agreement", problem(409, admin(s, "POST", "/admin/agreements/DSA-BISP-INTERNAL/suspend",
                    "{\"reason\": \"x\"}")));
            assertEquals("unknown-agreement", problem(404, admin(s, "POST", "/admin/agreements/nope/suspend",
                    "{\"reason\": \"x\"}")));
            assertEquals("unknown-user", problem(404, admin(s, "POST", "/admin/users/nobody/keys",
                    "{\"reason\": \"x\"}")));
            assertEquals("unknown-key", problem(404, admin(s, "DELETE", "/admin/keys/nope?reason=x", null)));
            HttpResponse<String> bad = admin(s, "POST", "/admin/agreements", """
                    {"organisation": "acme-microfinance", "purpose": {"text": "x", "category": "gossip"},
                     "data_classes": ["public"], "operations": ["lookup", "fly"],
                     "users": [{"id": "u-9", "name": "U", "role": "power"}], "valid_from": "tomorrow",
                     "reason": "x"}""");
            assertEquals("invalid-fields", problem(422, bad));
            List<String> fields = new ArrayList<>();
            TestServer.json(bad).get("errors").forEach(e -> fields.add(e.get("field").asText()));
            assertEquals(List.of("purpose.category", "operations", "valid_from"), fields);
            assertEquals("data-classes-not-granted", problem(422, admin(s, "POST", "/admin/agreements", """
                    {"organisation": "acme-microfinance", "purpose": {"text": "x", "category": "beneficiary_lists"},
                     "data_classes": ["public"], "operations": ["lookup"],
                     "users": [{"id": "u-9", "name": "U", "role": "power"}], "reason": "x"}""")));
            assertEquals("user-of-another-organisation", problem(409, admin(s, "POST", "/admin/agreements", """
                    {"organisation": "acme-microfinance", "purpose": {"text": "x", "category": "beneficiary_lists"},
                     "data_classes": ["public", "confidential", "secret"], "operations": ["lookup"],
                     "users": [{"id": "power-1", "name": "U", "role": "power"}], "reason": "x"}""")));
            assertEquals("unknown-organisation", problem(422, admin(s, "POST", "/admin/agreements", """
                    {"organisation": "nobody", "purpose": {"text": "x", "category": "beneficiary_lists"},
                     "data_classes": ["public"], "operations": ["lookup"],
                     "users": [{"id": "u-9", "name": "U", "role": "pos"}], "reason": "x"}""")));
            assertEquals(6, ok(200, admin(s, "GET", "/admin/agreements", null)).get("agreements").size(),
                    "nothing refused was stored");
        } finally {
            s.close();
        }
    }

    @Test
    void everyChangeIsKeptAcrossARestart() throws Exception {
        Path dir = Files.createTempDirectory("nser-agreements-restart");
        TestClock clock = new TestClock(T0);
        NserServer s = TestServer.start(TestServer.demoConfig().withAgreementsDir(dir), TestServer.snapshot(), clock);
        String key;
        String before;
        try {
            ok(201, admin(s, "POST", "/admin/agreements", analystAgreement(T0.plusSeconds(86_400 * 90))));
            key = ok(201, admin(s, "POST", "/admin/users/analyst-1/keys", "{\"reason\": \"k\"}")).get("key").asText();
            ok(200, admin(s, "POST", "/admin/agreements/DSA-2026-002/suspend", "{\"reason\": \"spot check\"}"));
            String basic = ok(200, admin(s, "GET", "/admin/users/basic-1/keys", null)).get("keys").get(0)
                    .get("key_id").asText();
            ok(200, admin(s, "DELETE", "/admin/keys/" + basic, "{\"reason\": \"leaked\"}"));
            before = ok(200, admin(s, "GET", "/admin/agreements/DSA-2026-101", null)).toString();
        } finally {
            s.close();
        }
        NserServer again = TestServer.start(TestServer.demoConfig().withAgreementsDir(dir), TestServer.snapshot(),
                clock);
        try {
            assertEquals(before, ok(200, admin(again, "GET", "/admin/agreements/DSA-2026-101", null)).toString());
            assertEquals(200, lookup(again, key).statusCode());
            assertEquals("agreement-suspended", problem(403, lookup(again, "demo-standard-key")));
            assertEquals("key-revoked", problem(401, lookup(again, "demo-basic-key")));
            assertEquals(200, lookup(again, "demo-power-key").statusCode());
            assertNotEquals(null, again.agreements().recovery());
        } finally {
            again.close();
        }
    }
}
