package pk.gov.bisp.nser.server.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.server.TestServer.expectProblem;
import static pk.gov.bisp.nser.server.Purchases.assertDecimal;
import static pk.gov.bisp.nser.server.Purchases.batch;
import static pk.gov.bisp.nser.server.Purchases.item;
import static pk.gov.bisp.nser.server.Purchases.post;
import static pk.gov.bisp.nser.server.Purchases.purchase;
import static pk.gov.bisp.nser.server.Purchases.summary;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.AccessLogs;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.Purchases;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;

/**
 * Points of sale post purchases back; each organisation reads back the summary of what it posted for a household,
 * never another organisation's; an admin with the audit operation sees every organisation's.
 */
class FeedbackTest {

    private static final Instant T1 = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    private static final Instant T2 = T1.plus(26, ChronoUnit.HOURS);
    private static Path journal;
    private static NserServer server;
    private static List<Purchases.Household> households;

    @BeforeAll
    static void start() throws Exception {
        journal = Files.createTempDirectory("nser-feedback-log");
        server = TestServer.start(Purchases.config(journal, Files.createTempDirectory("nser-feedback")));
        households = Purchases.households(100, 6);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String id(HttpResponse<String> r) {
        return r.headers().firstValue("X-Request-Id").orElseThrow();
    }

    @Test
    void postedPurchasesAreSummarisedPerHouseholdForThePostingOrganisation() throws Exception {
        Purchases.Household a = households.get(0);
        Purchases.Household b = households.get(1);
        HttpResponse<String> r = post(server, "pos", batch(
                purchase(a.cnic(), "usc-subsidy", T2, "3250.50", "500",
                        item("atta", "20", "kg", "3000", "500"), item("ghee", "0.5", "kg", "250.50", "0")),
                purchase(a.otherCnic(), "bisp-kafaalat", T1, "1500", "300", item("atta", "10", "kg", "1500", "300")),
                purchase(b.cnic(), "usc-subsidy", T1, "99.99", "0", item("sugar", "1", "kg", "99.99", "0"))));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode ok = TestServer.json(r);
        assertEquals(3, ok.get("accepted").asInt());
        assertTrue(ok.get("batch_sequence").asLong() >= 1, r.body());

        JsonNode s = TestServer.json(summary(server, "pos", a.cnic()));
        assertEquals(a.cnic(), s.get("cnic").asText());
        assertNull(s.get("household_id"), "the household id is for audit only");
        assertEquals(1, s.get("organisations").size());
        JsonNode usc = s.get("organisations").get(0);
        assertEquals("utility-stores", usc.get("organisation").asText());
        assertEquals(2, usc.get("purchases").asInt(), "both members' purchases count for their household");
        assertDecimal("4750.50", usc.get("amount_pkr"));
        assertDecimal("800", usc.get("subsidy_pkr"));
        assertEquals(T1.toString(), usc.get("first_purchase_at").asText());
        assertEquals(T2.toString(), usc.get("last_purchase_at").asText());
        JsonNode programmes = usc.get("by_programme");
        assertEquals(2, programmes.size());
        assertEquals("bisp-kafaalat", programmes.get(0).get("programme").asText());
        assertEquals(1, programmes.get(0).get("purchases").asInt());
        assertDecimal("300", programmes.get(0).get("subsidy_pkr"));
        assertEquals("usc-subsidy", programmes.get(1).get("programme").asText());
        assertDecimal("3250.50", programmes.get(1).get("amount_pkr"));
        JsonNode items = usc.get("items");
        assertEquals(2, items.size());
        assertEquals("atta", items.get(0).get("code").asText());
        assertEquals("kg", items.get(0).get("unit").asText());
        assertEquals(2, items.get(0).get("lines").asInt());
        assertDecimal("30", items.get(0).get("quantity"));
        assertDecimal("4500", items.get(0).get("amount_pkr"));
        assertDecimal("800", items.get(0).get("subsidy_pkr"));
        assertEquals("ghee", items.get(1).get("code").asText());
        assertDecimal("0.5", items.get(1).get("quantity"));
        assertDecimal("250.50", items.get(1).get("amount_pkr"));

        JsonNode sb = TestServer.json(summary(server, "pos", b.otherCnic())).get("organisations").get(0);
        assertEquals(1, sb.get("purchases").asInt(), "any member's CNIC finds the household's summary");
        assertDecimal("99.99", sb.get("amount_pkr"));
    }

    @Test
    void anotherOrganisationNeverSeesThePurchasesAndTheAdminSeesEvery() throws Exception {
        Purchases.Household a = households.get(2);
        Purchases.Household b = households.get(3);
        assertEquals(201, post(server, "pos", batch(
                purchase(a.cnic(), "usc-subsidy", T1, "700", "70", item("rice", "5", "kg", "700", "70")),
                purchase(b.cnic(), "usc-subsidy", T1, "100", "10", item("rice", "1", "kg", "100", "10"))))
                .statusCode());
        assertEquals(201, post(server, "power", purchase(a.otherCnic(), "bisp-kafaalat", T2, "12", "0",
                item("soap", "2", "piece", "12", "0"))).statusCode());

        HttpResponse<String> pspa = summary(server, "power", a.cnic());
        assertEquals(200, pspa.statusCode(), pspa.body());
        JsonNode own = TestServer.json(pspa).get("organisations");
        assertEquals(1, own.size());
        assertEquals("punjab-social-protection", own.get(0).get("organisation").asText());
        assertEquals(1, own.get(0).get("purchases").asInt());
        assertDecimal("12", own.get(0).get("amount_pkr"));
        assertFalse(pspa.body().contains("utility-stores") || pspa.body().contains("rice"),
                "another organisation's purchases are never serialised: " + pspa.body());

        HttpResponse<String> usc = summary(server, "pos", a.cnic());
        assertFalse(usc.body().contains("punjab") || usc.body().contains("soap"), usc.body());
        assertEquals(1, TestServer.json(usc).get("organisations").get(0).get("purchases").asInt());

        expectProblem(summary(server, "power", b.cnic()), 404, "no-purchases");
        HttpResponse<String> none = summary(server, "pos", households.get(5).cnic());
        expectProblem(none, 404, "no-purchases");
        // issue 23: it said "has posted purchases" when it meant the opposite
        assertTrue(TestServer.json(none).get("detail").asText().startsWith("organisation 'utility-stores' has not "
                + "posted purchases for the household of CNIC "), none.body());
        expectProblem(summary(server, "pos", Purchases.absentCnic()), 404, "no-purchases");

        HttpResponse<String> admin = summary(server, "admin", a.cnic());
        assertEquals(200, admin.statusCode(), admin.body());
        JsonNode all = TestServer.json(admin);
        assertEquals(a.id(), all.get("household_id").asLong());
        assertEquals(2, all.get("organisations").size());
        assertEquals("punjab-social-protection", all.get("organisations").get(0).get("organisation").asText());
        assertEquals("utility-stores", all.get("organisations").get(1).get("organisation").asText());
        assertDecimal("700", all.get("organisations").get(1).get("amount_pkr"));
    }

    @Test
    void onlyUsersWithTheFeedbackOperationMayPostOrRead() throws Exception {
        Purchases.Household a = households.get(4);
        String p = purchase(a.cnic(), "usc-subsidy", T1, "1", "0", item("salt", "1", "kg", "1", "0"));
        expectProblem(post(server, "basic", p), 403, "operation-not-allowed");
        expectProblem(TestServer.send(server, "POST", "/v1/feedback/purchases", p), 401, "unauthenticated");
        expectProblem(summary(server, "basic", a.cnic()), 403, "operation-not-allowed");
        expectProblem(TestServer.get(server, "/v1/feedback/purchases/" + a.cnic()), 401, "unauthenticated");
        expectProblem(summary(server, "pos", "12345"), 400, "invalid-cnic");
        expectProblem(summary(server, "admin", a.cnic()), 404, "no-purchases");
    }

    @Test
    void theAccessLogRecordsFeedbackRequests() throws Exception {
        Purchases.Household a = households.get(5);
        HttpResponse<String> posted = post(server, "pos", purchase(a.cnic(), "usc-subsidy", T1, "40", "4",
                item("tea", "250", "g", "40", "4")));
        assertEquals(201, posted.statusCode(), posted.body());
        HttpResponse<String> read = summary(server, "pos", a.otherCnic());
        HttpResponse<String> audited = summary(server, "admin", a.cnic());
        HttpResponse<String> refused = post(server, "pos", "{\"purchases\": []}");
        assertEquals(List.of(200, 200, 422), List.of(read.statusCode(), audited.statusCode(), refused.statusCode()));

        Map<String, AccessRecord[]> log = AccessLogs.read(journal);
        AccessRecord p = log.get(id(posted))[0];
        assertEquals("feedback", p.operation());
        assertEquals("pos-1", p.userId());
        assertEquals("utility-stores", p.organisation());
        assertEquals("POST", p.method());
        assertEquals("/v1/feedback/purchases", p.path());
        assertEquals(201, p.status());
        assertEquals(a.cnic(), p.cnic(), "a single purchase logs its CNIC");
        assertEquals(0, p.billedRows());
        AccessRecord g = log.get(id(read))[0];
        assertEquals("feedback", g.operation());
        assertEquals(a.otherCnic(), g.cnic().replace("-", ""));
        assertEquals(200, g.status());
        AccessRecord audit = log.get(id(audited))[0];
        assertEquals("feedback", audit.operation());
        assertEquals("admin-1", audit.userId());
        assertEquals(422, log.get(id(refused))[0].status());
        assertEquals("feedback", log.get(id(refused))[0].operation());
    }

    @Test
    void theDemoPointOfSaleMayPostPurchases() throws Exception {
        NserServer demo = TestServer.demo();
        Purchases.Household a = households.get(0);
        HttpResponse<String> r = post(demo, "pos", purchase(a.cnic(), "usc-subsidy", T1, "10", "1",
                item("atta", "1", "kg", "10", "1")));
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(1, TestServer.json(summary(demo, "pos", a.cnic())).get("organisations").get(0)
                .get("purchases").asInt());
    }
}
