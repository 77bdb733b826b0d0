package pk.gov.bisp.nser.server.dci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.Resurveys;
import pk.gov.bisp.nser.server.TestServer;

/**
 * Partner programmes through the DCI door (issues 31 and 32): the partner filters by its programme
 * ({@code programme eq pbm}) in a DCI search and a subscription, as in the native lists, and is notified when a live
 * update re-scores a household it enrols (the exchange's change feed, pushed: issue 31 point 4). A caller the
 * native lists refuse such a filter (403 {@code programme-filter-not-allowed}) is refused it here too, in the
 * contract's codes, since a DCI page or a notification would tell which households a partner serves just as a list
 * would.
 */
class DciProgrammeTest {

    private static CallbackReceiver receiver;
    private static NserServer s;
    private static String origin;
    /** Poor households (score under 15): all but the third enrolled in pbm. */
    private static long[] poor;
    private static String[] resurveys;

    @BeforeAll
    static void start() throws Exception {
        receiver = CallbackReceiver.start();
        origin = receiver.origin();
        String yaml = receiver.demoYaml();
        assertTrue(yaml.contains("pakistan-bait-ul-mal: {callback_origins: [\"" + origin + "\"]}"), yaml);
        s = TestServer.start(TestServer.config(yaml));
        poor = new long[5];
        resurveys = new String[5];
        try (Snapshot snap = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            int found = 0;
            for (int o = 300; o < snap.householdCount() && found < 5; o += 11) {
                if (snap.read(o, r) && r.pmtHundredths() < 1_500) {
                    poor[found] = r.householdId();
                    resurveys[found++] = Resurveys.rich(r, snap);
                }
            }
            assertEquals(5, found);
        }
        HttpResponse<String> e = TestServer.send(s, "POST", "/v1/exchange/enrolments", "{\"enrolments\": ["
                + enrolment(poor[0]) + ", " + enrolment(poor[1]) + ", " + enrolment(poor[3]) + ", "
                + enrolment(poor[4]) + "]}", "Content-Type", "application/json",
                "Authorization", "Bearer demo-partner-key");
        assertEquals(201, e.statusCode(), e.body());
    }

    @AfterAll
    static void stop() {
        if (s != null) {
            s.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private static String enrolment(long id) {
        return "{\"household_id\": " + id + ", \"programme\": \"pbm\", \"status\": \"enrolled\", "
                + "\"date\": \"2026-11-01\"}";
    }


    private static void resurvey(int which) throws Exception {
        HttpResponse<String> u = TestServer.send(s, "PUT", "/v1/households/" + poor[which] + "/survey",
                resurveys[which], "Content-Type", "application/json", "Authorization", "Bearer demo-power-key");
        assertEquals(200, u.statusCode(), u.body());
    }

    /** A search item of {@code programme eq VALUE}, with a purpose (acme must state one). */
    private static ObjectNode programmeItem(String value) {
        ObjectNode i = DciSyncSearchTest.predicateItem("r1", DciSyncSearchTest.predicate("programme", "eq", value));
        ((ObjectNode) i.path("search_criteria")).putObject("authorize").putObject("purpose")
                .put("text", "who else serves them").put("code", "exchange");
        ((ObjectNode) i.path("search_criteria")).putObject("pagination").put("page_size", 100)
                .put("page_number", 1);
        return i;
    }

    private static JsonNode search(String key, ObjectNode item) throws Exception {
        HttpResponse<String> r = TestServer.send(s, "POST", "/registry/sync/search",
                DciSyncSearchTest.envelope(DciSyncSearchTest.items(item)).toString(), "Content-Type",
                "application/json", "Authorization", "Bearer " + key);
        assertEquals(200, r.statusCode(), r.body());
        DciContract.assertValid(DciContract.SYNC_SEARCH, r.body());
        return TestServer.JSON.readTree(r.body()).path("message").path("search_response").get(0);
    }

    private static Set<Long> groups(JsonNode response) {
        Set<Long> ids = new TreeSet<>();
        for (JsonNode g : response.path("data").path("reg_records")) {
            ids.add(g.path("group_identifier").get(0).path("identifier_value").asLong());
        }
        return ids;
    }

    /** Subscribes {@code key}'s organisation to REGISTER events of {@code programme eq pbm}; the on-subscribe item. */
    private static JsonNode subscribe(String key, String base, String ref) throws Exception {
        return subscribe(key, base, ref, DciSyncSearchTest.predicate("programme", "eq", "pbm"));
    }

    private static JsonNode subscribe(String key, String base, String ref, ObjectNode expression) throws Exception {
        ArrayNode filter = DciSyncSearchTest.M.createArrayNode();
        filter.addObject().put("seq_num", 1).set("expression1", expression);
        ObjectNode body = DciSubscribeTest.subscribe(origin + base, ref, "REGISTER", "predicate", filter, "Group");
        int before = receiver.size();
        HttpResponse<String> ack = TestServer.send(s, "POST", "/registry/subscribe", body.toString(),
                "Content-Type", "application/json", "Authorization", "Bearer " + key);
        assertEquals(202, ack.statusCode(), ack.body());
        DciContract.assertValid(DciContract.ACK, ack.body());
        String[] cb = receiver.await(before, base + "/registry/on-subscribe");
        DciContract.assertValid(DciContract.ON_SUBSCRIBE_REQUEST, cb[1]);
        return TestServer.JSON.readTree(cb[1]).path("message").path("subscribe_response").get(0);
    }

    private static List<Long> notified(String path) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (String[] r : receiver.received()) {
            if (r[0].equals(path)) {
                DciContract.assertValid(DciContract.NOTIFY_REQUEST, r[1]);
                for (JsonNode e : TestServer.JSON.readTree(r[1]).path("message").path("notify_event")) {
                    ids.add(e.path("data").path("reg_records").path("group_identifier").get(0)
                            .path("identifier_value").asLong());
                }
            }
        }
        return ids;
    }

    // ---------------------------------------------------------------- tests

    @Test
    void thePartnerFindsItsEnrolledHouseholdsThroughDci() throws Exception {
        JsonNode pbm = search("demo-partner-key", programmeItem("pbm"));
        assertEquals("succ", pbm.path("status").asText(), pbm.toString());
        assertEquals(new TreeSet<>(List.of(poor[0], poor[1], poor[3], poor[4])), groups(pbm));
        JsonNode any = search("demo-partner-key", programmeItem("any"));
        assertTrue(groups(any).containsAll(List.of(poor[0], poor[1])), any.toString());
    }

    @Test
    void standardAndBasicMayNotSearchOrSubscribeByAPartnerProgramme() throws Exception {
        for (String key : new String[] {"demo-standard-key", "demo-basic-key"}) {
            for (String programme : new String[] {"pbm", "any"}) {
                JsonNode r = search(key, programmeItem(programme));
                DciSyncSearchTest.assertRejected(r, "rjct.search_criteria.invalid", "programme");
                assertTrue(r.path("status_reason_message").asText().contains("may not filter"), r.toString());
            }
        }
        // a survey programme is no partner's secret: Standard may filter by it as in the native lists
        JsonNode uct = search("demo-standard-key", programmeItem("uct"));
        assertEquals("succ", uct.path("status").asText(), uct.toString());
        JsonNode refused = subscribe("demo-standard-key", "/standard", "s1");
        assertEquals("rjct", refused.path("status").asText(), refused.toString());
        assertEquals("rjct.notify_details.invalid", refused.path("status_reason_code").asText(), refused.toString());
        assertTrue(refused.path("status_reason_message").asText().contains("programme"), refused.toString());
    }

    @Test
    void thePartnerIsNotifiedWhenAHouseholdItEnrolsIsRescored() throws Exception {
        JsonNode sub = subscribe("demo-partner-key", "/pbm", "p1");
        assertEquals("succ", sub.path("status").asText(), sub.toString());
        int before = receiver.size();
        resurvey(2); // nobody enrols it: not the partner's
        resurvey(0);
        receiver.await(before, "/pbm/registry/notify");
        // notifications of one subscription go in change order: the unenrolled household's would have come first
        assertEquals(List.of(poor[0]), notified("/pbm/registry/notify"));
        resurvey(1);
        for (int i = 0; i < 600 && notified("/pbm/registry/notify").size() < 2; i++) {
            Thread.sleep(50);
        }
        assertEquals(List.of(poor[0], poor[1]), notified("/pbm/registry/notify"));
    }

    @Test
    void aPartnerWhoseAgreementNoLongerNamesProgrammesIsToldNoMoreOfTheHouseholdsTheyServe() throws Exception {
        HttpResponse<String> created = admin("POST", "/admin/agreements", """
                {"id": "DSA-2026-140", "organisation": "acme-microfinance",
                 "purpose": {"text": "Microcredit for Bait-ul-Mal households", "category": "beneficiary_lists"},
                 "data_classes": ["public", "confidential", "secret"], "operations": ["search"],
                 "users": [{"id": "desk-140", "name": "Exchange desk", "role": "power"}],
                 "programmes": ["usc-subsidy"], "reason": "signed 2026-12-07, file DS/2026/140"}
                """);
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> issued = admin("POST", "/admin/users/desk-140/keys", "{\"reason\": \"k\"}");
        assertEquals(201, issued.statusCode(), issued.body());
        String key = TestServer.json(issued).get("key").asText();
        assertEquals("succ", subscribe(key, "/desk", "d1").path("status").asText()); // programme eq pbm
        // every re-survey, in change order: the marker that a change has been through every subscription
        JsonNode all = subscribe(key, "/all", "a1", DciSyncSearchTest.predicate("poverty_score", "ge", "0"));
        assertEquals("succ", all.path("status").asText(), all.toString());
        int before = receiver.size();
        resurvey(4);
        receiver.await(before, "/desk/registry/notify");
        assertEquals(List.of(poor[4]), notified("/desk/registry/notify"));

        HttpResponse<String> amended = admin("PATCH", "/admin/agreements/DSA-2026-140",
                "{\"programmes\": [], \"reason\": \"the exchange ended\"}");
        assertEquals(200, amended.statusCode(), amended.body());
        resurvey(3);
        for (int i = 0; i < 600 && !notified("/all/registry/notify").contains(poor[3]); i++) {
            Thread.sleep(50);
        }
        assertTrue(notified("/all/registry/notify").contains(poor[3]), "the marker arrived");
        assertEquals(List.of(poor[4]), notified("/desk/registry/notify"), "no partner programme's household any more");
        JsonNode refused = subscribe(key, "/desk", "d2");
        assertEquals("rjct.notify_details.invalid", refused.path("status_reason_code").asText(), refused.toString());
    }

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return TestServer.send(s, method, path, body, "Authorization", "Bearer demo-admin-key", "Content-Type",
                "application/json");
    }
}
