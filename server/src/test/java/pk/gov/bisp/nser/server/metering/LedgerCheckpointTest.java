package pk.gov.bisp.nser.server.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.AccessLogs;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.http.Today;

/**
 * The ledger's checkpoint beside the access log: written at shutdown, a restart starts from it and replays only the
 * records after it, and the result always equals a replay of the whole journal; a checkpoint that is damaged, or
 * that counts records the journal no longer has, is ignored.
 */
class LedgerCheckpointTest {

    /** Every organisation's figures of the months around now (a run may cross a month's end), as comparable text. */
    private static Map<String, String> figures(Ledger l) {
        Map<String, String> out = new TreeMap<>();
        YearMonth now = YearMonth.from(ZonedDateTime.now(Today.PAKISTAN));
        for (YearMonth m : new YearMonth[] {now.minusMonths(1), now, now.plusMonths(1)}) {
            l.month(m).forEach((org, u) -> out.put(m + " " + org, Arrays.toString(u.total) + " "
                    + Arrays.deepToString(u.byDay) + " " + u.byOperation.entrySet().stream()
                    .map(e -> e.getKey() + "=" + Arrays.toString(e.getValue())).toList()));
        }
        return out;
    }

    private static List<String> cnics() throws Exception {
        return TestServer.headCnics(7, 997, 10).stream().map(Cnic::format).toList();
    }

    private static void traffic(NserServer s, List<String> cnics) throws Exception {
        for (String c : cnics) {
            TestServer.get(s, "/v1/households/by-cnic/" + c, TestServer.key("power"));
            TestServer.get(s, "/v1/eligibility/usc-subsidy/" + c, TestServer.key("pos"));
        }
        TestServer.get(s, "/health/live");
    }

    @Test
    void aRestartStartsFromTheCheckpointAndAlwaysEqualsAFullReplay() throws Exception {
        Path dir = Files.createTempDirectory("nser-ledger-checkpoint");
        List<String> cnics = cnics();
        Map<String, String> live;
        long through;
        try (NserServer s = TestServer.start(TestServer.demoConfig().withJournalDir(dir))) {
            traffic(s, cnics.subList(0, 5));
            live = figures(s.ledger());
            through = s.ledger().through();
        }
        LedgerCheckpoint cp = LedgerCheckpoint.read(dir);
        assertNotNull(cp, "written at shutdown");
        assertTrue(cp.through() >= through && through >= 11, "through " + cp.through() + " / " + through);
        assertEquals(live, figures(Ledger.replay(dir, cp)));
        assertEquals(live, figures(Ledger.replay(dir)), "the checkpoint and the whole journal agree");
        assertEquals(5, AccessLogs.billedAroundNow(Ledger.replay(dir), "punjab-social-protection")[0],
                live.toString());

        // more records after the checkpoint: a restart adds them to it
        try (NserServer s = TestServer.start(TestServer.demoConfig().withJournalDir(dir))) {
            assertEquals(live, figures(s.ledger()), "the same ledger after the restart");
            traffic(s, cnics.subList(5, 10));
            live = figures(s.ledger());
        }
        LedgerCheckpoint older = cp;
        assertTrue(figures(Ledger.replay(dir, older)).equals(live), "an older checkpoint plus the tail");
        assertEquals(live, figures(Ledger.replay(dir)));
        assertEquals(10, AccessLogs.billedAroundNow(Ledger.replay(dir), "punjab-social-protection")[0],
                live.toString());

        // a checkpoint ahead of the journal (its tail lost after the checkpoint) is ignored, and removed at start
        LedgerCheckpoint ahead = new LedgerCheckpoint(LedgerCheckpoint.read(dir).through() + 100, Map.of());
        assertEquals(live, figures(Ledger.replay(dir, ahead)));
        ahead.write(dir);
        try (NserServer s = TestServer.start(TestServer.demoConfig().withJournalDir(dir))) {
            assertEquals(live, figures(s.ledger()));
            assertEquals(null, LedgerCheckpoint.read(dir), "an ignored checkpoint is deleted");
        }

        // a damaged checkpoint is refused when read; the server then rebuilds from the whole journal
        Files.writeString(dir.resolve(LedgerCheckpoint.FILE), "{\"v\":1,\"through\":\"x\"");
        assertThrows(IOException.class, () -> LedgerCheckpoint.read(dir));
        try (NserServer s = TestServer.start(TestServer.demoConfig().withJournalDir(dir))) {
            assertEquals(live, figures(s.ledger()));
        }
        assertEquals(live, figures(Ledger.replay(dir, LedgerCheckpoint.read(dir))), "rewritten at shutdown");
    }
}
