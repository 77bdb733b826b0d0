package pk.gov.bisp.nser.server.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static pk.gov.bisp.nser.server.TestServer.expectProblem;
import static pk.gov.bisp.nser.server.Purchases.batch;
import static pk.gov.bisp.nser.server.Purchases.item;
import static pk.gov.bisp.nser.server.Purchases.post;
import static pk.gov.bisp.nser.server.Purchases.purchase;
import static pk.gov.bisp.nser.server.Purchases.summary;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.Purchases;
import pk.gov.bisp.nser.server.TestServer;

/** A bad purchase is a 422 naming every bad field, and nothing of its request is stored. */
class FeedbackValidationTest {

    private static final Instant T = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private static NserServer server;
    private static List<Purchases.Household> households;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Purchases.config(Files.createTempDirectory("nser-feedback-log"),
                Files.createTempDirectory("nser-feedback")));
        households = Purchases.households(5_000, 8);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String good(int h) {
        return purchase(households.get(h).cnic(), "usc-subsidy", T, "100", "10", item("atta", "1", "kg", "100", "10"));
    }

    /** The errors of a 422, field to detail, in order. */
    private static Map<String, String> errors(HttpResponse<String> r) throws Exception {
        expectProblem(r, 422, "invalid-fields");
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode e : TestServer.json(r).get("errors")) {
            out.put(e.get("field").asText(), e.get("detail").asText());
        }
        return out;
    }

    @Test
    void everyBadFieldOfABatchIsListedByItsPathAndNothingIsStored() throws Exception {
        String absent = Purchases.absentCnic();
        String bad = """
                {"cnic": "%s", "programme": "free-lunch", "outlet_id": "USC/42",
                 "purchased_at": "%s", "colour": "red",
                 "items": [{"code": "atta", "quantity": -2, "unit": "kg", "amount_pkr": 100, "subsidy_pkr": 10},
                           {"code": "ghee", "quantity": 1.0001, "unit": "tonne", "amount_pkr": 10.005,
                            "subsidy_pkr": 20},
                           {"code": "", "quantity": "1", "unit": "kg", "amount_pkr": 5, "subsidy_pkr": 6}],
                 "totals": {"amount_pkr": 100, "subsidy_pkr": 10}}"""
                .formatted(absent, Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS));
        String wrongTotals = purchase(households.get(1).cnic(), "bisp-kafaalat", T, "101", "10",
                item("atta", "1", "kg", "100", "10"));
        String missing = "{\"cnic\": \"3520-1234567-1\", \"purchased_at\": \"yesterday\", \"items\": []}";
        HttpResponse<String> r = post(server, "pos", batch(good(0), bad, wrongTotals, missing));
        Map<String, String> e = errors(r);
        assertEquals(List.of(
                "purchases[1].colour", "purchases[1].cnic", "purchases[1].programme", "purchases[1].outlet_id",
                "purchases[1].purchased_at", "purchases[1].items[0].quantity", "purchases[1].items[1].quantity",
                "purchases[1].items[1].unit", "purchases[1].items[1].amount_pkr",
                "purchases[1].items[2].code", "purchases[1].items[2].quantity", "purchases[1].items[2].subsidy_pkr",
                "purchases[2].totals.amount_pkr",
                "purchases[3].cnic", "purchases[3].programme", "purchases[3].outlet_id", "purchases[3].purchased_at",
                "purchases[3].items", "purchases[3].totals"), new ArrayList<>(e.keySet()), e.toString());
        assertEquals("no household in the registry has CNIC " + absent, e.get("purchases[1].cnic"));
        assertEquals("must be from 0 to 100000, got -2", e.get("purchases[1].items[0].quantity"));
        assertEquals("has more than 3 decimals: 1.0001", e.get("purchases[1].items[1].quantity"));
        assertEquals("has more than 2 decimals: 10.005", e.get("purchases[1].items[1].amount_pkr"));
        assertEquals("must be a JSON number: a quantity", e.get("purchases[1].items[2].quantity"));
        assertEquals("is 6.00, more than the line's amount_pkr 5.00", e.get("purchases[1].items[2].subsidy_pkr"));
        assertEquals("is 101.00 but the items add up to 100.00", e.get("purchases[2].totals.amount_pkr"));
        assertEquals("is required", e.get("purchases[3].programme"));
        assertEquals("19 fields are invalid, so nothing was stored", TestServer.json(r).get("detail").asText());
        assertEquals(true, e.get("purchases[1].purchased_at").contains("in the future"), e.toString());
        assertEquals(true, e.get("purchases[3].cnic").contains("12 digits"), e.toString());
        expectProblem(summary(server, "pos", households.get(0).cnic()), 404, "no-purchases");
    }

    @Test
    void aSinglePurchaseNamesItsFieldsWithoutAPrefix() throws Exception {
        Map<String, String> e = errors(post(server, "pos", purchase(households.get(2).cnic(), "usc-subsidy", T,
                "0", "0", item("atta", "0", "kg", "0", "0"))));
        assertEquals(List.of("items[0].quantity"), new ArrayList<>(e.keySet()));
        assertEquals("must be more than 0", e.get("items[0].quantity"));
        Map<String, String> old = errors(post(server, "pos", purchase(households.get(2).cnic(), "usc-subsidy",
                T.minus(400, ChronoUnit.DAYS), "1", "0", item("atta", "1", "kg", "1", "0"))));
        assertEquals(List.of("purchased_at"), new ArrayList<>(old.keySet()));
        assertEquals(201, post(server, "pos", purchase(households.get(2).cnic(), "usc-subsidy",
                Instant.now().plus(2, ChronoUnit.MINUTES), "1", "0", item("atta", "1", "kg", "1", "0"))).statusCode(),
                "a till clock a little ahead is accepted");
    }

    @Test
    void atMostAHundredBadFieldsAreListedWithTheirCount() throws Exception {
        String[] items = new String[100];
        java.util.Arrays.fill(items, item("atta", "-1", "sack", "1", "0"));
        HttpResponse<String> r = post(server, "pos", purchase(households.get(2).cnic(), "usc-subsidy", T, "100", "0",
                items));
        Map<String, String> e = errors(r);
        assertEquals(100, e.size());
        assertEquals("200 fields are invalid, so nothing was stored; the first 100 are listed",
                TestServer.json(r).get("detail").asText());
        assertEquals(List.of("items[0].quantity", "items[0].unit"), new ArrayList<>(e.keySet()).subList(0, 2));
    }

    @Test
    void aBatchAboveMaxBatchIsRefusedWhole() throws Exception {
        String[] six = new String[6];
        for (int i = 0; i < six.length; i++) {
            six[i] = good(3 + i % 4);
        }
        HttpResponse<String> r = post(server, "pos", batch(six));
        expectProblem(r, 422, "batch-too-large");
        assertEquals("the batch has 6 purchases; at most 5 per request", TestServer.json(r).get("detail").asText());
        expectProblem(summary(server, "pos", households.get(3).cnic()), 404, "no-purchases");
        expectProblem(post(server, "pos", "{\"purchases\": []}"), 422, "invalid-fields");
        String[] five = java.util.Arrays.copyOf(six, 5);
        HttpResponse<String> ok = post(server, "pos", batch(five));
        assertEquals(201, ok.statusCode(), ok.body());
        assertEquals(5, TestServer.json(ok).get("accepted").asInt());
        assertEquals(2, TestServer.json(summary(server, "pos", households.get(3).cnic())).get("organisations").get(0)
                .get("purchases").asInt(), "purchases 0 and 4 of the batch");
    }

    @Test
    void malformedPurchasesAreNeverA500() throws Exception {
        String cnic = households.get(7).cnic();
        String ok = purchase(cnic, "usc-subsidy", T, "1", "0", item("atta", "1", "kg", "1", "0"));
        List<String> bodies = List.of("null", "1", "\"x\"", "{}", "{\"purchases\": null}", "{\"purchases\": {}}",
                "{\"purchases\": [null, 1, [], \"x\"]}", "{\"purchases\": [" + "[".repeat(2_000) + "]".repeat(2_000) + "]}",
                ok.replace("\"items\": [", "\"items\": [null, [], 7, "),
                ok.replace("{\"amount_pkr\": 1, \"subsidy_pkr\": 0}}", "[]}"),
                ok.replace("\"quantity\": 1", "\"quantity\": 1e-999999"),
                ok.replace("\"quantity\": 1", "\"quantity\": 1e999999"),
                ok.replace("\"quantity\": 1", "\"quantity\": 1e99999999999"),
                ok.replace("\"quantity\": 1", "\"quantity\": " + "9".repeat(5_000)),
                ok.replace("\"quantity\": 1", "\"quantity\": -0.0"),
                ok.replace("\"amount_pkr\": 1,", "\"amount_pkr\": 99999999999999999999999999,"),
                ok.replace("\"amount_pkr\": 1,", "\"amount_pkr\": true,"),
                ok.replace("atta", "\\u0000\\u202e" + "a".repeat(5_000)),
                ok.replace(T.toString(), "+999999999-12-31T23:59:59Z"),
                ok.replace(T.toString(), "2026-02-30T00:00:00Z"),
                ok.replace("\"" + cnic + "\"", "[\"" + cnic + "\"]"),
                ok.replace("usc-subsidy", "\\ud800"));
        List<String> failures = new ArrayList<>();
        for (String body : bodies) {
            HttpResponse<String> r = post(server, "pos", body);
            if (r.statusCode() >= 500 || r.statusCode() < 400
                    || !r.headers().firstValue("Content-Type").orElse("").equals("application/problem+json")) {
                failures.add(r.statusCode() + " for " + body.substring(0, Math.min(120, body.length())) + ": "
                        + r.body());
            }
        }
        assertEquals(List.of(), failures);
        expectProblem(summary(server, "pos", cnic), 404, "no-purchases");
    }

    @Test
    void anUnreadableBodyIs400AndAnOversizedOneIs413() throws Exception {
        expectProblem(post(server, "pos", "{\"cnic\": "), 400, "invalid-json");
        expectProblem(post(server, "pos", good(7) + " trailing"), 400, "invalid-json");
        expectProblem(post(server, "pos", "{\"cnic\": \"1\", \"cnic\": \"2\"}"), 400, "invalid-json");
        expectProblem(post(server, "pos", "[1, 2]"), 400, "invalid-body");
        expectProblem(post(server, "pos", ""), 400, "invalid-body");
        String huge = "{\"purchases\": [\"" + "x".repeat(300_000) + "\"]}";
        expectProblem(post(server, "pos", huge), 413, "body-too-large");
        expectProblem(summary(server, "pos", households.get(7).cnic()), 404, "no-purchases");
    }
}
