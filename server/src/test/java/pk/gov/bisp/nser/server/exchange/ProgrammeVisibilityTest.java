package pk.gov.bisp.nser.server.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.Households;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * Which programmes serve a household, on its lookup, per role and agreement: a Power caller of a partner sees every
 * programme's name and status and the amounts of its own programmes only; BISP's Power sees every amount; Standard
 * and Basic see nothing (not even the field) unless {@code exchange.programmes_visible_to} names their role, and then
 * names and statuses without amounts.
 */
class ProgrammeVisibilityTest {

    private static JsonNode lookup(NserServer s, String key, long cnic) throws Exception {
        HttpResponse<String> r = Partners.get(s, key, "/v1/households/by-cnic/" + Cnic.format(cnic));
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    private static JsonNode programme(JsonNode household, String id) {
        for (JsonNode p : household.get("programmes")) {
            if (p.get("programme").asText().equals(id)) {
                return p;
            }
        }
        throw new AssertionError("no programme " + id + " in " + household.get("programmes"));
    }

    @Test
    void eachRoleSeesWhatItsAgreementAllows() throws Exception {
        Households hh = Households.load();
        int district = hh.district[0];
        int o = 1;
        while (hh.district[o] != district || hh.someCnic[o] == 0) {
            o++;
        }
        long cnic = hh.someCnic[o];
        Path dir = Files.createTempDirectory("nser-x-visible");
        ServerConfig cfg = Partners.config(district, dir);
        try (NserServer s = TestServer.start(cfg)) {
            assertEquals(201, Partners.post(s, "demo-partner-key", "/v1/exchange/enrolments", Partners.enrolments(
                    Partners.enrolment(Partners.byCnic(cnic), "pbm", "enrolled", "2026-09-01"))).statusCode());
            assertEquals(201, Partners.post(s, "demo-partner-key", "/v1/exchange/benefits", Partners.benefits(
                    Partners.benefit(Partners.byCnic(cnic), "pbm", "2026-10", "5000", "cash"))).statusCode());
            assertEquals(201, Partners.post(s, "demo-power-key", "/v1/exchange/enrolments", Partners.enrolments(
                    Partners.enrolment(Partners.byCnic(cnic), "sehat", "graduated", "2026-08-15"))).statusCode());
            assertEquals(201, Partners.post(s, "demo-power-key", "/v1/exchange/benefits", Partners.benefits(
                    Partners.benefit(Partners.byCnic(cnic), "sehat", "2026-08", "120000.50", "health_cover")))
                    .statusCode());

            JsonNode pbm = lookup(s, "demo-partner-key", cnic);
            assertEquals(2, pbm.get("programmes").size());
            assertEquals("enrolled", programme(pbm, "pbm").get("status").asText());
            assertEquals("2026-09-01", programme(pbm, "pbm").get("date").asText());
            assertEquals(5000, programme(pbm, "pbm").get("benefits").get(0).get("amount_pkr").asDouble());
            assertEquals("graduated", programme(pbm, "sehat").get("status").asText());
            assertFalse(programme(pbm, "sehat").has("benefits"), "another programme's amounts are never written");
            assertFalse(pbm.toString().contains("120000"), pbm.toString());

            JsonNode sehat = lookup(s, "demo-power-key", cnic);
            assertEquals("enrolled", programme(sehat, "pbm").get("status").asText());
            assertFalse(programme(sehat, "pbm").has("benefits"));
            assertEquals(120000.5, programme(sehat, "sehat").get("benefits").get(0).get("amount_pkr").asDouble());
            assertEquals("health_cover", programme(sehat, "sehat").get("benefits").get(0).get("kind").asText());

            JsonNode bisp = lookup(s, "bisp-power-key", cnic);
            assertEquals(5000, programme(bisp, "pbm").get("benefits").get(0).get("amount_pkr").asDouble());
            assertEquals(120000.5, programme(bisp, "sehat").get("benefits").get(0).get("amount_pkr").asDouble());
            long id = bisp.get("household_id").asLong();
            HttpResponse<String> byId = Partners.get(s, "bisp-power-key", "/v1/households/" + id);
            assertEquals(bisp.get("programmes"), TestServer.json(byId).get("programmes"), "by id as by CNIC");

            for (String key : new String[] {"demo-standard-key", "demo-basic-key"}) {
                JsonNode h = lookup(s, key, cnic);
                assertFalse(h.has("programmes"), key + " sees nothing of other programmes: " + h);
                assertFalse(h.toString().contains("pbm") || h.toString().contains("sehat"), h.toString());
            }
        }
        String yaml = Partners.CONFIG.replace("DISTRICT", Integer.toString(district))
                + "exchange: {programmes_visible_to: [standard]}\n";
        ServerConfig configured = TestServer.config(yaml).withJournalDir(Files.createTempDirectory("nser-x-v-j"))
                .withExchangeDir(dir.resolve("exchange"));
        try (NserServer s = TestServer.start(configured)) {
            JsonNode standard = lookup(s, "demo-standard-key", cnic);
            assertEquals("enrolled", programme(standard, "pbm").get("status").asText());
            assertEquals("graduated", programme(standard, "sehat").get("status").asText());
            assertFalse(standard.toString().contains("benefits") || standard.toString().contains("amount_pkr"),
                    "names and statuses only: " + standard);
            assertFalse(lookup(s, "demo-basic-key", cnic).has("programmes"));
            assertTrue(lookup(s, "bisp-power-key", cnic).has("programmes"));
        }
    }
}
