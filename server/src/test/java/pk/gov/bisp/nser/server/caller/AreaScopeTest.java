package pk.gov.bisp.nser.server.caller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.AccessLogs;
import pk.gov.bisp.nser.server.Households;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.Purchases;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * Issue 23.1: an organisation scoped to one district can neither read nor write a household outside it, nor move one
 * out of it or create one outside it, and cannot tell such a household from a missing one: every write path (PATCH,
 * PUT, POST, purchase feedback) and read path (lookups, eligibility, purchase summaries) answers exactly as for a
 * household, CNIC or union council that does not exist, and the access log alone records why. Before the fix the
 * PATCH outside the district answered 200 and the lookups 403 "outside area".
 */
class AreaScopeTest {

    private static final String MISSING_ID = "999999999999";
    private static final int UNKNOWN_UC = 99_999_999;

    @Test
    void everyPathOutsideTheAreaShouldAnswerAsMissingAndLogWhy() throws Exception {
        Households hh = Households.load();
        int district = hh.district[0];
        int inside = -1;
        List<Integer> outside = new ArrayList<>();
        for (int o = 0; o < hh.size; o++) {
            if (hh.someCnic[o] == 0) {
                continue;
            }
            if (hh.district[o] == district && inside < 0 && o > 0) {
                inside = o;
            } else if (hh.district[o] != district && outside.size() < 5) {
                outside.add(o);
            }
        }
        assertTrue(inside > 0 && outside.size() == 5, "households inside and outside district " + district);
        int outsideUc = unionCouncil(outside.get(0));
        String yaml = new String(TestServer.class.getResourceAsStream("/demo.yaml").readAllBytes())
                .replace("    type: government_federal_provincial\n",
                        "    type: government_federal_provincial\n    scope: {district: " + district + "}\n")
                .replace("    type: semi_autonomous_government\n",
                        "    type: semi_autonomous_government\n    scope: {district: " + district + "}\n");
        Path journal = Files.createTempDirectory("nser-scope-journal");
        ServerConfig cfg = TestServer.config(yaml).withJournalDir(journal)
                .withUpdatesDir(Files.createTempDirectory("nser-scope-updates"))
                .withFeedbackDir(Files.createTempDirectory("nser-scope-feedback"));
        long insideId = hh.ids[inside];
        try (NserServer s = TestServer.start(cfg)) {
            for (int o : outside) {
                String id = Long.toString(hh.ids[o]);
                String cnic = Cnic.format(hh.someCnic[o]);
                // writes to a household outside the area: as to an id that no household has
                String contact = "{\"changes\":[{\"change\":\"contact\",\"phone\":\"923001234567\"}]}";
                sameAnswer(404, send(s, "PATCH", "/v1/households/" + MISSING_ID + "/members", contact, "power"),
                        send(s, "PATCH", "/v1/households/" + id + "/members", contact, "power"), MISSING_ID, id);
                String survey = "{\"update_type\":\"cyclic_update\"}";
                sameAnswer(404, send(s, "PUT", "/v1/households/" + MISSING_ID + "/survey", survey, "power"),
                        send(s, "PUT", "/v1/households/" + id + "/survey", survey, "power"), MISSING_ID, id);
                // reads: lookups, eligibility, purchase summaries and purchases posted back
                String absent = Purchases.absentCnic();
                sameAnswer(404, TestServer.get(s, "/v1/households/by-cnic/" + absent, TestServer.key("power")),
                        TestServer.get(s, "/v1/households/by-cnic/" + cnic, TestServer.key("power")), absent, cnic);
                sameAnswer(404, TestServer.get(s, "/v1/households/" + MISSING_ID, TestServer.key("power")),
                        TestServer.get(s, "/v1/households/" + id, TestServer.key("power")), MISSING_ID, id);
                for (String role : new String[] {"pos", "power"}) {
                    sameAnswer(200, TestServer.get(s, "/v1/eligibility/bisp-kafaalat/" + absent, TestServer.key(role)),
                            TestServer.get(s, "/v1/eligibility/bisp-kafaalat/" + cnic, TestServer.key(role)), absent,
                            cnic);
                }
                sameAnswer(404, Purchases.summary(s, "pos", absent), Purchases.summary(s, "pos", cnic), absent, cnic);
                String bought = Purchases.purchase("%s", "usc-subsidy", Instant.now().minusSeconds(60), "300", "50",
                        Purchases.item("atta", "2", "kg", "300", "50"));
                sameAnswer(422, Purchases.post(s, "pos", bought.formatted(absent)),
                        Purchases.post(s, "pos", bought.formatted(cnic)), absent, cnic);
            }
            // a household inside the area may not be moved out of it, nor one created outside it: as an unknown
            // union council
            String move = "{\"changes\":[{\"change\":\"address\",\"union_council\":%d,\"village\":\"V\","
                    + "\"address\":\"House 1\"}]}";
            sameAnswer(422, send(s, "PATCH", "/v1/households/" + insideId + "/members", move.formatted(UNKNOWN_UC),
                    "power"), send(s, "PATCH", "/v1/households/" + insideId + "/members", move.formatted(outsideUc),
                    "power"), Integer.toString(UNKNOWN_UC), Integer.toString(outsideUc));
            HttpResponse<String> household = TestServer.get(s, "/v1/households/" + insideId, TestServer.key("power"));
            assertEquals("\"1\"", household.headers().firstValue("ETag").orElse(""), "the household was not moved");
            // the same household's own change is taken: the scope refuses only what lies outside
            HttpResponse<String> ok = send(s, "PATCH", "/v1/households/" + insideId + "/members",
                    "{\"changes\":[{\"change\":\"contact\",\"phone\":\"923001234567\"}]}", "power");
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(1, s.updates().applied(), "only the update inside the area was applied");
        }
        Map<String, AccessRecord[]> log = AccessLogs.read(journal);
        int reasons = 0;
        for (AccessRecord[] r : log.values()) {
            AccessRecord req = r[0];
            String what = req.method() + " " + req.path() + " " + req.cnic() + " " + req.status();
            boolean aboutOutside = outside.stream().anyMatch(o -> req.path().contains(Long.toString(hh.ids[o]))
                    || Cnic.format(hh.someCnic[o]).equals(req.cnic()));
            if (aboutOutside) {
                assertEquals("outside-area-scope", req.reason(), what);
            }
            if (req.path().contains(MISSING_ID) || Purchases.absentCnic().equals(req.cnic())) {
                assertNull(req.reason(), what);
            }
            reasons += "outside-area-scope".equals(req.reason()) ? 1 : 0;
        }
        // per household outside: PATCH, PUT, two lookups, two eligibility checks, a summary, a purchase; and the move
        assertEquals(5 * 8 + 1, reasons, "every request about a household outside the area logged its reason");
    }

    private static HttpResponse<String> send(NserServer s, String method, String path, String body, String role)
            throws Exception {
        return TestServer.send(s, method, path, body, "Authorization", "Bearer demo-" + role + "-key",
                "Content-Type", "application/json");
    }

    /** The answer about something outside the area is the answer about something missing, names swapped. */
    private static void sameAnswer(int status, HttpResponse<String> missing, HttpResponse<String> outside,
                                   String missingName, String outsideName) {
        assertEquals(status, missing.statusCode(), missing.body());
        assertEquals(missing.statusCode(), outside.statusCode(), outside.body());
        assertEquals(missing.headers().firstValue("Content-Type"), outside.headers().firstValue("Content-Type"));
        assertEquals(missing.body().replace(missingName, outsideName), outside.body());
    }

    private static int unionCouncil(int ordinal) throws Exception {
        try (Snapshot s = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            assertTrue(s.read(ordinal, r));
            return r.unionCouncil();
        }
    }
}
