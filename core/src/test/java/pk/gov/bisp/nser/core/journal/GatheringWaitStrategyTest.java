package pk.gov.bisp.nser.core.journal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When the journal thread gathers: only while a window brings several records. */
class GatheringWaitStrategyTest {

    private static final long MS = 1_000_000;

    @Test
    void shouldGatherOnlyWhileTheLastPeriodBroughtAtLeastThreeRecordsAWindow() {
        long t0 = System.nanoTime(); // the first period's start: the test's times are exact, whatever the machine
        GatheringWaitStrategy s = new GatheringWaitStrategy(300_000, 0, t0); // 300 µs: 3 a window is 10,000/s
        assertFalse(s.decide(0, t0), "idle at first: blocks at once");
        assertTrue(s.decide(100, t0 + 5 * MS), "100 records in 5 ms: 6 a window");
        assertTrue(s.decide(1_000, t0 + 6 * MS), "within the period the decision stands");
        assertTrue(s.decide(1_020, t0 + 10 * MS), "920 records in the period since the last decision");
        assertFalse(s.decide(1_030, t0 + 15 * MS), "10 in 5 ms: 0.6 a window");
    }

    @Test
    void theDecisionShouldFollowTheRateOfEachPeriod() {
        long t0 = System.nanoTime();
        GatheringWaitStrategy s = new GatheringWaitStrategy(300_000, 0, t0);
        assertTrue(s.decide(60, t0 + 5 * MS), "60 in 5 ms: 3.6 a window");
        assertFalse(s.decide(109, t0 + 10 * MS), "49 in 5 ms: 2.94 a window");
        assertTrue(s.decide(159, t0 + 15 * MS), "50 in 5 ms: exactly 3 a window");
        assertFalse(s.decide(159, t0 + 60 * MS), "none for 45 ms");
    }

    @Test
    void withoutAWindowItShouldNeverGather() {
        long t0 = System.nanoTime();
        GatheringWaitStrategy s = new GatheringWaitStrategy(0, 0, t0);
        assertFalse(s.decide(1_000_000, t0 + 5 * MS));
    }
}
