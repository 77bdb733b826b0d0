package pk.gov.bisp.nser.server.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * An agreement made through the admin API names its partner programmes ({@code programmes}, journaled with it): its
 * users post enrolments for those programmes only, an amendment changes them, they outlive a restart, and a programme
 * that is not configured (or the survey's {@code uct}) is refused by name.
 */
class ExchangeAgreementTest {

    private static final String AGREEMENT = """
            {"id": "DSA-2026-131", "organisation": "acme-microfinance",
             "purpose": {"text": "Utility Stores subsidy enrolments", "category": "beneficiary_lists"},
             "data_classes": ["public", "confidential", "secret"], "operations": ["lookup", "exchange"],
             "users": [{"id": "exchange-9", "name": "Subsidy desk", "role": "standard"}],
             "programmes": PROGRAMMES, "reason": "signed 2026-12-05, file DS/2026/131"}
            """;

    private static HttpResponse<String> admin(NserServer s, String method, String path, String body)
            throws Exception {
        return TestServer.send(s, method, path, body, "Authorization", "Bearer demo-admin-key",
                "Content-Type", "application/json");
    }

    private static HttpResponse<String> enrol(NserServer s, String key, long household, String programme)
            throws Exception {
        return Partners.post(s, key, "/v1/exchange/enrolments", Partners.enrolments(
                Partners.enrolment(Partners.byId(household), programme, "enrolled", "2026-11-01")));
    }

    private static void refusedProgramme(HttpResponse<String> r, String programme) throws Exception {
        assertEquals(422, r.statusCode(), r.body());
        assertTrue(r.body().contains("enrolments[0].programme") && r.body().contains(programme), r.body());
    }

    @Test
    void anAgreementsProgrammesFromTheAdminApiAreTheOnlyOnesItsUsersPostFor() throws Exception {
        long household;
        try (Snapshot snap = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            assertTrue(snap.read(3, r));
            household = r.householdId();
        }
        Path dir = Files.createTempDirectory("nser-exchange-agreement");
        ServerConfig cfg = TestServer.demoConfig()
                .withAgreementsDir(Files.createDirectories(dir.resolve("agreements")))
                .withExchangeDir(Files.createDirectories(dir.resolve("exchange")));
        String key;
        try (NserServer s = TestServer.start(cfg)) {
            HttpResponse<String> bad = admin(s, "POST", "/admin/agreements",
                    AGREEMENT.replace("PROGRAMMES", "[\"usc-subsidy\", \"nope\", \"uct\"]"));
            assertEquals(422, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("'nope' is not a configured programme")
                    && bad.body().contains("'uct' is not a configured programme"), bad.body());
            HttpResponse<String> notAList = admin(s, "POST", "/admin/agreements",
                    AGREEMENT.replace("PROGRAMMES", "\"usc-subsidy\""));
            assertEquals(422, notAList.statusCode(), notAList.body());
            assertTrue(notAList.body().contains("programmes"), notAList.body());

            HttpResponse<String> created = admin(s, "POST", "/admin/agreements",
                    AGREEMENT.replace("PROGRAMMES", "[\"usc-subsidy\"]"));
            assertEquals(201, created.statusCode(), created.body());
            assertEquals("[\"usc-subsidy\"]", TestServer.json(created).get("programmes").toString());
            HttpResponse<String> issued = admin(s, "POST", "/admin/users/exchange-9/keys", "{\"reason\": \"k\"}");
            assertEquals(201, issued.statusCode(), issued.body());
            key = TestServer.json(issued).get("key").asText();

            HttpResponse<String> ok = enrol(s, key, household, "usc-subsidy");
            assertEquals(201, ok.statusCode(), ok.body());
            refusedProgramme(enrol(s, key, household, "pbm"), "pbm");
            HttpResponse<String> count = Partners.get(s, "demo-partner-key",
                    "/v1/households/count?programme=usc-subsidy");
            assertEquals(1, TestServer.json(count).path("count").asInt(), count.body());

            HttpResponse<String> amended = admin(s, "PATCH", "/admin/agreements/DSA-2026-131",
                    "{\"programmes\": [\"pbm\"], \"reason\": \"now Bait-ul-Mal's desk\"}");
            assertEquals(200, amended.statusCode(), amended.body());
            assertEquals("[\"pbm\"]", TestServer.json(amended).get("programmes").toString());
            refusedProgramme(enrol(s, key, household, "usc-subsidy"), "usc-subsidy");
            assertEquals(201, enrol(s, key, household, "pbm").statusCode());
            // an agreement from the configuration keeps its agreement.programmes
            assertEquals(201, enrol(s, "demo-partner-key", household, "pbm").statusCode());
            refusedProgramme(enrol(s, "demo-partner-key", household, "usc-subsidy"), "usc-subsidy");
        }
        try (NserServer s = TestServer.start(cfg)) { // the amended programmes were journaled
            JsonNode a = TestServer.json(admin(s, "GET", "/admin/agreements/DSA-2026-131", null));
            assertEquals("[\"pbm\"]", a.get("programmes").toString(), a.toString());
            assertEquals(201, enrol(s, key, household, "pbm").statusCode());
            refusedProgramme(enrol(s, key, household, "usc-subsidy"), "usc-subsidy");
        }
    }
}
