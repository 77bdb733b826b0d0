package pk.gov.bisp.nser.server.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.server.Purchases.item;
import static pk.gov.bisp.nser.server.Purchases.purchase;
import static pk.gov.bisp.nser.server.Purchases.summary;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.Purchases;
import pk.gov.bisp.nser.server.TestServer;

/**
 * A till that retries a purchase post with the same Idempotency-Key gets the first answer again, and the purchases
 * count once, also after a restart; the key reused with other purchases is refused; another organisation's
 * identical key is its own.
 */
class FeedbackIdempotencyTest {

    private static final Instant T = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    private static HttpResponse<String> post(NserServer s, String role, String key, String body) throws Exception {
        return TestServer.send(s, "POST", "/v1/feedback/purchases", body, "Authorization", "Bearer demo-" + role
                + "-key", "Content-Type", "application/json", "Idempotency-Key", key);
    }

    private static int purchases(NserServer s, String role, String cnic) throws Exception {
        HttpResponse<String> r = summary(s, role, cnic);
        return r.statusCode() == 404 ? 0 : TestServer.json(r).get("organisations").get(0).get("purchases").asInt();
    }

    @Test
    void aRetryIsAnsweredAgainAndCountedOnceAlsoAfterARestart() throws Exception {
        Path journal = Files.createTempDirectory("nser-feedback-log");
        Path feedback = Files.createTempDirectory("nser-feedback");
        List<Purchases.Household> hs = Purchases.households(5_000, 2);
        String cnic = hs.get(0).cnic();
        String body = purchase(cnic, "usc-subsidy", T, "100", "10", item("atta", "1", "kg", "100", "10"));
        long sequence;
        try (NserServer s = TestServer.start(Purchases.config(journal, feedback))) {
            HttpResponse<String> first = post(s, "pos", "till-7-000123", body);
            assertEquals(201, first.statusCode(), first.body());
            assertFalse(first.headers().firstValue("Idempotency-Replayed").isPresent());
            sequence = TestServer.json(first).get("batch_sequence").asLong();

            HttpResponse<String> retry = post(s, "pos", "till-7-000123", body);
            assertEquals(201, retry.statusCode(), retry.body());
            assertEquals("true", retry.headers().firstValue("Idempotency-Replayed").orElse(""));
            assertEquals(sequence, TestServer.json(retry).get("batch_sequence").asLong());
            assertEquals(1, TestServer.json(retry).get("accepted").asInt());
            assertEquals(1, purchases(s, "pos", cnic), "the retry was not counted again");

            String other = purchase(cnic, "usc-subsidy", T, "999", "0", item("ghee", "1", "kg", "999", "0"));
            HttpResponse<String> reused = post(s, "pos", "till-7-000123", other);
            assertEquals(422, reused.statusCode(), reused.body());
            assertTrue(reused.body().contains("idempotency-key-reused"), reused.body());
            assertEquals(1, purchases(s, "pos", cnic));

            HttpResponse<String> otherOrg = post(s, "power", "till-7-000123", body);
            assertEquals(201, otherOrg.statusCode(), otherOrg.body());
            assertFalse(otherOrg.headers().firstValue("Idempotency-Replayed").isPresent(),
                    "keys are per organisation");
            assertEquals(1, purchases(s, "power", cnic));

            HttpResponse<String> bad = post(s, "pos", "has space", body);
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("invalid-idempotency-key"), bad.body());
        }
        try (NserServer s = TestServer.start(Purchases.config(journal, feedback))) {
            HttpResponse<String> late = post(s, "pos", "till-7-000123", body);
            assertEquals(201, late.statusCode(), late.body());
            assertEquals("true", late.headers().firstValue("Idempotency-Replayed").orElse(""));
            assertEquals(sequence, TestServer.json(late).get("batch_sequence").asLong());
            assertEquals(1, purchases(s, "pos", cnic), "still once after the restart");
            assertEquals(201, post(s, "pos", "till-7-000124", body).statusCode());
            assertEquals(2, purchases(s, "pos", cnic), "a new key is a new purchase");
        }
    }
}
