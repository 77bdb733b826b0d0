package pk.gov.bisp.nser.server.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.server.exchange.Partners.benefit;
import static pk.gov.bisp.nser.server.exchange.Partners.benefits;
import static pk.gov.bisp.nser.server.exchange.Partners.byCnic;
import static pk.gov.bisp.nser.server.exchange.Partners.byId;
import static pk.gov.bisp.nser.server.exchange.Partners.enrolment;
import static pk.gov.bisp.nser.server.exchange.Partners.enrolments;
import static pk.gov.bisp.nser.server.exchange.Partners.post;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.Households;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * The enrolment and benefit feed: every bad field listed by path, nothing stored from a refused post; a partner posts
 * only for the programmes its agreement names and only in its area (outside reads as missing); an Idempotency-Key's
 * retry is answered again and applied once, also after a restart; everything accepted is there after a restart.
 */
class ExchangeTest {

    private static final String E = "/v1/exchange/enrolments";
    private static final String B = "/v1/exchange/benefits";
    private static final String PBM = "demo-partner-key";
    private static final String SEHAT = "demo-power-key";

    private static int count(NserServer s, String filter) throws Exception {
        HttpResponse<String> r = Partners.get(s, "bisp-power-key", "/v1/households/count?" + filter);
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r).get("count").asInt();
    }

    @Test
    void everyBadFieldIsListedByPathAndNothingIsStored() throws Exception {
        Households hh = Households.load();
        Path dir = Files.createTempDirectory("nser-exchange-test");
        try (NserServer s = TestServer.start(Partners.config(hh.district[0], dir))) {
            String body = enrolments(
                    enrolment(byId(hh.ids[1]), "pbm", "enrolled", "2026-11-01"),
                    enrolment(byId(hh.ids[2]), "sehat", "joined", "2026-13-01"),
                    "{\"cnic\": \"12345\", \"programme\": \"pbm\", \"status\": \"exited\", \"date\": \"2026-11-01\", "
                            + "\"colour\": \"red\"}",
                    "{\"programme\": \"pbm\", \"status\": \"enrolled\", \"date\": \"2099-01-01\"}",
                    enrolment(byId(999_999_999_999L), "pbm", "enrolled", "2026-11-01"));
            HttpResponse<String> r = post(s, PBM, E, body);
            TestServer.expectProblem(r, 422, "invalid-fields");
            Set<String> fields = new TreeSet<>();
            for (JsonNode e : TestServer.json(r).get("errors")) {
                fields.add(e.get("field").asText());
            }
            assertEquals(new TreeSet<>(List.of("enrolments[1].programme", "enrolments[1].status", "enrolments[1].date",
                    "enrolments[2].cnic", "enrolments[2].colour", "enrolments[3].cnic", "enrolments[3].date",
                    "enrolments[4].household_id")), fields, r.body());
            assertEquals(0, count(s, "programme=pbm"), "nothing of a refused post is stored");

            HttpResponse<String> b = post(s, PBM, B, benefits(
                    benefit(byId(hh.ids[1]), "pbm", "2026-1", "-5", "gold"),
                    benefit(byId(hh.ids[1]), "pbm", "2026-10", "12.345", "cash")));
            TestServer.expectProblem(b, 422, "invalid-fields");
            fields.clear();
            for (JsonNode e : TestServer.json(b).get("errors")) {
                fields.add(e.get("field").asText());
            }
            assertEquals(new TreeSet<>(List.of("benefits[0].period", "benefits[0].amount_pkr", "benefits[0].kind",
                    "benefits[1].amount_pkr")), fields, b.body());

            TestServer.expectProblem(post(s, PBM, E, "{\"enrolments\": []}"), 422, "invalid-fields");
            TestServer.expectProblem(post(s, PBM, E, "[1]"), 400, "invalid-body");
            TestServer.expectProblem(post(s, PBM, E, "{\"enrolments\": ["), 400, "invalid-json");
            String six = enrolments(java.util.Collections.nCopies(6,
                    enrolment(byId(hh.ids[1]), "pbm", "enrolled", "2026-11-01")).toArray(String[]::new));
            TestServer.expectProblem(post(s, PBM, E, six), 422, "invalid-fields");
            TestServer.expectProblem(post(s, "demo-basic-key", E, enrolments(
                    enrolment(byId(hh.ids[1]), "pbm", "enrolled", "2026-11-01"))), 403, "operation-not-allowed");
        }
    }

    @Test
    void aPartnerPostsOnlyForItsProgrammesAndInItsArea() throws Exception {
        Households hh = Households.load();
        int district = hh.district[0];
        int inside = -1;
        int outside = -1;
        for (int o = 1; o < hh.size && (inside < 0 || outside < 0); o++) {
            if (hh.someCnic[o] != 0 && hh.district[o] == district && inside < 0) {
                inside = o;
            } else if (hh.someCnic[o] != 0 && hh.district[o] != district && outside < 0) {
                outside = o;
            }
        }
        Path dir = Files.createTempDirectory("nser-exchange-scope");
        try (NserServer s = TestServer.start(Partners.config(district, dir))) {
            HttpResponse<String> in = post(s, SEHAT, E, enrolments(
                    enrolment(byCnic(hh.someCnic[inside]), "sehat", "enrolled", "2026-10-01")));
            assertEquals(201, in.statusCode(), in.body());
            HttpResponse<String> out = post(s, SEHAT, E, enrolments(
                    enrolment(byCnic(hh.someCnic[outside]), "sehat", "enrolled", "2026-10-01")));
            HttpResponse<String> missing = post(s, SEHAT, E, enrolments(
                    enrolment(byCnic(1_111_111_111_111L), "sehat", "enrolled", "2026-10-01")));
            TestServer.expectProblem(out, 422, "invalid-fields");
            TestServer.expectProblem(missing, 422, "invalid-fields");
            assertEquals(TestServer.json(missing).get("errors").get(0).get("detail").asText()
                    .replace("11111-1111111-1", "X"), TestServer.json(out).get("errors").get(0).get("detail").asText()
                    .replace(pk.gov.bisp.nser.core.cnic.Cnic.format(hh.someCnic[outside]), "X"),
                    "a household outside the area reads as one that does not exist");
            HttpResponse<String> outById = post(s, SEHAT, E, enrolments(
                    enrolment(byId(hh.ids[outside]), "sehat", "enrolled", "2026-10-01")));
            TestServer.expectProblem(outById, 422, "invalid-fields");
            HttpResponse<String> other = post(s, SEHAT, E, enrolments(
                    enrolment(byCnic(hh.someCnic[inside]), "pbm", "enrolled", "2026-10-01")));
            TestServer.expectProblem(other, 422, "invalid-fields");
            assertTrue(other.body().contains("not a programme your agreement names"), other.body());
            HttpResponse<String> none = post(s, "demo-standard-key", E, enrolments(
                    enrolment(byCnic(hh.someCnic[inside]), "pbm", "enrolled", "2026-10-01")));
            TestServer.expectProblem(none, 422, "invalid-fields");
            assertTrue(none.body().contains("it names none"), none.body());
            assertEquals(1, count(s, "programme=sehat"));
            assertEquals(0, count(s, "programme=pbm"));
        }
    }

    @Test
    void aRetryIsAnsweredAgainAndAppliedOnceAlsoAfterARestart() throws Exception {
        Households hh = Households.load();
        Path dir = Files.createTempDirectory("nser-exchange-idem");
        ServerConfig cfg = Partners.config(hh.district[0], dir);
        List<String> items = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            items.add(enrolment(byId(hh.ids[i * 11]), "pbm", "enrolled", "2026-11-0" + i));
        }
        String body = enrolments(items.toArray(String[]::new));
        String pay = benefits(benefit(byId(hh.ids[11]), "pbm", "2026-11", "5000", "cash"));
        long sequence;
        try (NserServer s = TestServer.start(cfg)) {
            HttpResponse<String> first = post(s, PBM, E, body, "Idempotency-Key", "pbm-batch-1");
            assertEquals(201, first.statusCode(), first.body());
            assertEquals(5, TestServer.json(first).get("accepted").asInt());
            assertFalse(first.headers().firstValue("Idempotency-Replayed").isPresent());
            sequence = TestServer.json(first).get("batch_sequence").asLong();
            HttpResponse<String> retry = post(s, PBM, E, body, "Idempotency-Key", "pbm-batch-1");
            assertEquals(201, retry.statusCode(), retry.body());
            assertEquals("true", retry.headers().firstValue("Idempotency-Replayed").orElse(""));
            assertEquals(sequence, TestServer.json(retry).get("batch_sequence").asLong());
            TestServer.expectProblem(post(s, PBM, E, enrolments(items.get(0)), "Idempotency-Key", "pbm-batch-1"),
                    422, "idempotency-key-reused");
            assertEquals(201, post(s, PBM, B, pay, "Idempotency-Key", "pbm-pay-1").statusCode());
            assertEquals(5, count(s, "programme=pbm"));
            JsonNode feed = TestServer.json(Partners.get(s, PBM, E + "?since=0"));
            assertEquals(5, feed.get("enrolments").size(), "the retry was not applied again");
            // one exits: the filter follows at once
            assertEquals(201, post(s, PBM, E, enrolments(enrolment(byId(hh.ids[11]), "pbm", "exited", "2026-11-30")))
                    .statusCode());
            assertEquals(4, count(s, "programme=pbm"));
        }
        try (NserServer s = TestServer.start(cfg)) {
            HttpResponse<String> late = post(s, PBM, E, body, "Idempotency-Key", "pbm-batch-1");
            assertEquals(201, late.statusCode(), late.body());
            assertEquals("true", late.headers().firstValue("Idempotency-Replayed").orElse(""));
            assertEquals(sequence, TestServer.json(late).get("batch_sequence").asLong());
            assertEquals("true", post(s, PBM, B, pay, "Idempotency-Key", "pbm-pay-1").headers()
                    .firstValue("Idempotency-Replayed").orElse(""));
            assertEquals(4, count(s, "programme=pbm"), "the journal's state after a restart, the retry not applied");
            assertEquals(6, TestServer.json(Partners.get(s, PBM, E + "?since=0")).get("enrolments").size());
        }
    }

    @Test
    void theFeedHoldsOnlyTheCallersEnrolmentsWithTheirRegistryStatus() throws Exception {
        Households hh = Households.load();
        int district = hh.district[0];
        Path dir = Files.createTempDirectory("nser-exchange-feed");
        List<Integer> mine = new ArrayList<>();
        for (int o = 1; mine.size() < 4; o++) {
            if (hh.district[o] == district) {
                mine.add(o);
            }
        }
        try (NserServer s = TestServer.start(Partners.config(district, dir))) {
            assertEquals(201, post(s, PBM, E, enrolments(enrolment(byId(hh.ids[mine.get(0)]), "pbm", "enrolled",
                    "2026-11-01"), enrolment(byId(hh.ids[mine.get(1)]), "pbm", "enrolled", "2026-11-01"))).statusCode());
            assertEquals(201, post(s, SEHAT, E, enrolments(enrolment(byId(hh.ids[mine.get(2)]), "sehat", "enrolled",
                    "2026-11-02"))).statusCode());
            assertEquals(201, post(s, PBM, E, enrolments(enrolment(byId(hh.ids[mine.get(3)]), "pbm", "exited",
                    "2026-11-03"))).statusCode());
            JsonNode all = TestServer.json(Partners.get(s, PBM, E + "?since=0"));
            assertEquals(3, all.get("enrolments").size(), all.toString());
            assertEquals(4, all.get("next_position").asLong());
            assertEquals(4, all.get("head_position").asLong());
            int i = 0;
            for (JsonNode e : all.get("enrolments")) {
                int o = List.of(mine.get(0), mine.get(1), mine.get(3)).get(i++);
                assertEquals(hh.ids[o], e.get("household_id").asLong());
                assertEquals("pbm", e.get("programme").asText());
                int band = hh.pmtHundredths[o] / 500 * 5;
                assertEquals(band + "-" + (band + 5), e.get("registry").get("pmt_band").asText());
                assertEquals(hh.pmtHundredths[o] < 3200, e.get("registry").get("eligible").asBoolean(), e.toString());
            }
            JsonNode later = TestServer.json(Partners.get(s, PBM, E + "?since=2"));
            assertEquals(1, later.get("enrolments").size());
            assertEquals(4, later.get("enrolments").get(0).get("position").asLong());
            JsonNode sehat = TestServer.json(Partners.get(s, SEHAT, E + "?since=0&limit=1"));
            assertEquals(1, sehat.get("enrolments").size());
            assertEquals(3, sehat.get("enrolments").get(0).get("position").asLong());
            assertEquals(3, sehat.get("next_position").asLong());
            assertEquals(0, TestServer.json(Partners.get(s, SEHAT, E + "?since=3")).get("enrolments").size());
            TestServer.expectProblem(Partners.get(s, PBM, E + "?since=5"), 400, "position-ahead");
            TestServer.expectProblem(Partners.get(s, "demo-basic-key", E), 403, "operation-not-allowed");
        }
    }
}
