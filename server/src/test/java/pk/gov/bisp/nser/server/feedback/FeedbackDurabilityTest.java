package pk.gov.bisp.nser.server.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.server.TestServer.expectProblem;
import static pk.gov.bisp.nser.server.Purchases.batch;
import static pk.gov.bisp.nser.server.Purchases.item;
import static pk.gov.bisp.nser.server.Purchases.post;
import static pk.gov.bisp.nser.server.Purchases.purchase;
import static pk.gov.bisp.nser.server.Purchases.summary;

import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.journal.RecoveryReport;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.Purchases;
import pk.gov.bisp.nser.server.TestServer;

/**
 * Accepted purchases are in the purchase journal before the 201; a restart on the same directories rebuilds the
 * same summaries; a torn tail is cut and the rest survives; a journal that cannot write answers 503.
 */
class FeedbackDurabilityTest {

    private static final Instant T = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    /** The answers a restart must reproduce: each organisation's and the admin's summary of each household. */
    private static List<String> summaries(NserServer s, List<Purchases.Household> hs) throws Exception {
        List<String> out = new ArrayList<>();
        for (Purchases.Household h : hs) {
            for (String role : List.of("pos", "power", "admin")) {
                HttpResponse<String> r = summary(s, role, h.cnic());
                out.add(r.statusCode() + " " + r.body());
            }
        }
        return out;
    }

    private static Path newestSegment(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".seg")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
    }

    @Test
    void aRestartRebuildsTheSameSummariesAndATornTailIsCut() throws Exception {
        Path journal = Files.createTempDirectory("nser-feedback-log");
        Path feedback = Files.createTempDirectory("nser-feedback");
        List<Purchases.Household> hs = Purchases.households(9_000, 3);
        List<String> before;
        try (NserServer s = TestServer.start(Purchases.config(journal, feedback))) {
            assertEquals(201, post(s, "pos", batch(
                    purchase(hs.get(0).cnic(), "usc-subsidy", T, "550.25", "50",
                            item("atta", "5", "kg", "500", "50"), item("milk", "1.5", "l", "50.25", "0")),
                    purchase(hs.get(1).otherCnic(), "bisp-kafaalat", T.plusSeconds(60), "80", "8",
                            item("dal", "1", "kg", "80", "8")))).statusCode());
            HttpResponse<String> second = post(s, "power", purchase(hs.get(0).otherCnic(), "usc-subsidy",
                    T.plusSeconds(3_600), "20", "2", item("soap", "1", "piece", "20", "2")));
            assertEquals(201, second.statusCode(), second.body());
            assertEquals(2, Summaries.replay(feedback).replayed(), "both batches are in the journal file at the 201");
            before = summaries(s, hs);
        }
        assertEquals("404", before.get(6).substring(0, 3), "the third household has nothing: " + before);
        assertTrue(before.get(2).contains("punjab-social-protection") && before.get(2).contains("utility-stores"),
                before.get(2));

        try (NserServer s = TestServer.start(Purchases.config(journal, feedback))) {
            assertTrue(s.purchases().recovery().clean(), s.purchases().recovery().toString());
            assertEquals(2, s.purchases().summaries().replayed());
            assertEquals(before, summaries(s, hs), "the same summaries after a restart");
            assertEquals(201, post(s, "pos", purchase(hs.get(0).cnic(), "usc-subsidy", T, "1", "0",
                    item("salt", "1", "kg", "1", "0"))).statusCode());
        }
        Path seg = newestSegment(feedback);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(f.length() - 9); // a crash in the middle of writing the third batch
        }

        try (NserServer s = TestServer.start(Purchases.config(journal, feedback))) {
            RecoveryReport r = s.purchases().recovery();
            assertNotNull(r.tornTail(), r.toString());
            assertTrue(r.truncatedBytes() > 0, r.toString());
            assertEquals(2, r.lastSequence());
            assertEquals(before, summaries(s, hs), "the torn batch is gone, the rest is intact");
            HttpResponse<String> next = post(s, "pos", purchase(hs.get(2).cnic(), "usc-subsidy", T, "1", "0",
                    item("salt", "1", "kg", "1", "0")));
            assertEquals(201, next.statusCode(), next.body());
            assertEquals(3, TestServer.json(next).get("batch_sequence").asLong(), "appends go on after the cut");
        }
    }

    @Test
    void aJournalThatCannotWriteIs503AndStoresNothing() throws Exception {
        List<Purchases.Household> hs = Purchases.households(12_000, 1);
        try (NserServer s = TestServer.start(Purchases.config(Files.createTempDirectory("nser-feedback-log"),
                Files.createTempDirectory("nser-feedback")))) {
            s.purchases().close();
            HttpResponse<String> r = post(s, "pos", purchase(hs.get(0).cnic(), "usc-subsidy", T, "1", "0",
                    item("salt", "1", "kg", "1", "0")));
            expectProblem(r, 503, "feedback-journal-unavailable");
            assertEquals("5", r.headers().firstValue("Retry-After").orElse(""));
            expectProblem(summary(s, "pos", hs.get(0).cnic()), 404, "no-purchases");
        }
    }
}
