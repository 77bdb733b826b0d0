package pk.gov.bisp.nser.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.benchmarks.state.PartnerSets;
import pk.gov.bisp.nser.benchmarks.state.SnapshotState;
import pk.gov.bisp.nser.core.query.QueryParser;

/**
 * The exchange benchmarks measure what they say: the prefilled households are enrolled, each post is journaled (its
 * sequence the next one) and counted, and "served by nobody" is the cut-off's households less those some programme
 * serves; the trial's directory goes away.
 */
class ExchangeBenchmarksTest {

    @Test
    void postsShouldBeJournaledAndTheCountShouldLeaveOutEveryServedHousehold() throws Exception {
        SnapshotState s = new SnapshotState();
        s.households = 20_000;
        s.snapshot = "";
        s.open();
        PartnerSets p = new PartnerSets();
        p.enrolled = 2_000;
        try {
            p.open(s);
            long total = 0;
            for (String programme : PartnerSets.PROGRAMMES) {
                total += p.enrolledIn(programme);
            }
            assertEquals(2_000, total);

            ExchangeIngestBenchmark ingest = new ExchangeIngestBenchmark();
            ingest.batch = 100;
            ExchangeIngestBenchmark.Households h = new ExchangeIngestBenchmark.Households();
            h.seed();
            ExchangeIngestBenchmark.Counted c = new ExchangeIngestBenchmark.Counted();
            long first = ingest.post(s, p, h, c);
            assertEquals(first + 1, ingest.post(s, p, h, c));
            assertEquals(200, c.enrolments);
            assertEquals(2 + 1, first); // two prefill batches of 1,000 before it

            ExchangeCountBenchmark count = new ExchangeCountBenchmark();
            count.parse(s, p);
            QueryParser parser = new QueryParser(s.snap.geography(), p.store);
            long served = count.engine.count(parser.parse(Map.of("pmt_below", List.of("32"), "programme",
                    List.of("any")), Set.of()));
            assertTrue(served > 0);
            assertEquals(count.belowCutoff(), count.servedByNobody() + served);
        } finally {
            p.close();
            s.close();
        }
        assertFalse(Files.exists(p.dir));
    }
}
