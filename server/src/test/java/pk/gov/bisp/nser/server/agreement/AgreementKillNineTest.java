package pk.gov.bisp.nser.server.agreement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.ServerProcess;
import pk.gov.bisp.nser.server.TestServer;

/**
 * Every acknowledged agreement change survives SIGKILL: a server process takes an agreement, a key, a suspension, a
 * rotation and a key revocation, each answered only once fsynced, and is killed; a restart over the same agreement
 * journal has every one of them.
 */
class AgreementKillNineTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static JsonNode call(ServerProcess p, String method, String path, String body, int status)
            throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(p.base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer demo-admin-key").header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r.body());
        return TestServer.JSON.readTree(r.body());
    }

    @Test
    void everyAcknowledgedChangeSurvivesKillNine() throws Exception {
        Path agreements = Files.createTempDirectory("nser-kill9-agreements");
        ServerProcess p = ServerProcess.start(HTTP, "--agreements", agreements.toString());
        String key;
        String rotatedKey;
        try {
            call(p, "POST", "/admin/agreements", AgreementsTest.analystAgreement(
                    java.time.Instant.parse("2030-01-01T00:00:00Z")), 201);
            key = call(p, "POST", "/admin/users/analyst-1/keys", "{\"reason\": \"k\"}", 201).get("key").asText();
            call(p, "POST", "/admin/agreements/DSA-2026-003/suspend", "{\"reason\": \"spot check\"}", 200);
            String pos = call(p, "GET", "/admin/users/pos-1/keys", null, 200).get("keys").get(0).get("key_id")
                    .asText();
            rotatedKey = call(p, "POST", "/admin/keys/" + pos + "/rotate",
                    "{\"overlap_seconds\": 0, \"reason\": \"rotation\"}", 201).get("key").asText();
            String standard = call(p, "GET", "/admin/users/standard-1/keys", null, 200).get("keys").get(0)
                    .get("key_id").asText();
            call(p, "DELETE", "/admin/keys/" + standard + "?reason=leaked", null, 200);
        } finally {
            p.kill();
        }
        assertTrue(Files.list(agreements).anyMatch(f -> f.getFileName().toString().endsWith(".seg")));
        NserServer s = TestServer.start(TestServer.demoConfig().withAgreementsDir(agreements), p.snapshot);
        try {
            assertEquals(200, AgreementsTest.lookupAt(s, key).statusCode());
            assertEquals("agreement-suspended", AgreementsTest.problem(403, AgreementsTest.lookupAt(s,
                    "demo-basic-key")));
            assertEquals("key-revoked", AgreementsTest.problem(401, AgreementsTest.lookupAt(s,
                    "demo-standard-key")));
            assertEquals(200, TestServer.send(s, "POST", "/v1/eligibility/bisp-kafaalat",
                    "{\"cnics\": [\"3520212345671\"]}", "Authorization", "Bearer " + rotatedKey).statusCode());
            assertEquals(401, TestServer.send(s, "POST", "/v1/eligibility/bisp-kafaalat",
                    "{\"cnics\": [\"3520212345671\"]}", TestServer.key("pos")).statusCode(), "rotated, no overlap");
            assertEquals(5, s.agreements().recovery().records(), "each change one fsynced record");
        } finally {
            s.close();
        }
    }
}
