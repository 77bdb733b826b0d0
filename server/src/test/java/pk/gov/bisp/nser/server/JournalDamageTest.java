package pk.gov.bisp.nser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.server.Purchases.batch;
import static pk.gov.bisp.nser.server.Purchases.item;
import static pk.gov.bisp.nser.server.Purchases.post;
import static pk.gov.bisp.nser.server.Purchases.purchase;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.journal.JournalDamage;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.core.journal.RecoveryReport;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.config.ServerConfig;
import pk.gov.bisp.nser.server.http.Today;
import pk.gov.bisp.nser.server.metering.LedgerCheckpoint;

/**
 * One damaged byte in the middle of a journal segment: the access log and the bills lose only the damaged record,
 * usage says so; the update and purchase journals, whose every record was acknowledged, refuse to start by name.
 */
class JournalDamageTest {

    private static final String ORG = "punjab-social-protection"; // demo-power-key's organisation

    /** The access records of the journal in {@code dir} by sequence. */
    private static TreeMap<Long, AccessRecord> accessLog(Path dir) throws IOException {
        TreeMap<Long, AccessRecord> out = new TreeMap<>();
        JournalReader.read(dir, (seq, kind, data, off, len) -> {
            try {
                out.put(seq, AccessRecord.decode(data, off, len));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return out;
    }

    @Test
    void oneDamagedAccessRecordShouldCostTheAccessLogAndTheBillOnlyThatRecordAndUsageShouldSaySo() throws Exception {
        Path dir = Files.createTempDirectory("nser-damaged-access-log");
        ServerConfig cfg = TestServer.demoConfig().withJournalDir(dir);
        List<String> cnics = TestServer.headCnics(7, 997, 20).stream().map(Cnic::format).toList();
        long[] billed;
        try (NserServer s = TestServer.start(cfg)) {
            for (int round = 0; round < 10; round++) {
                for (String c : cnics) {
                    assertEquals(200, TestServer.get(s, "/v1/households/by-cnic/" + c, TestServer.key("power"))
                            .statusCode());
                }
            }
            billed = AccessLogs.billedAroundNow(s.ledger(), ORG);
        }
        assertEquals(200, billed[0], "one row billed per lookup");
        TreeMap<Long, AccessRecord> log = accessLog(dir);
        long target = log.keySet().stream().filter(q -> ORG.equals(log.get(q).organisation()))
                .skip(100).findFirst().orElseThrow(); // a billed lookup in the middle of the segment
        AccessRecord lost = log.get(target);
        LocalDate day = Instant.ofEpochMilli(log.get(target - 1).epochMillis()).atZone(Today.PAKISTAN).toLocalDate();
        YearMonth month = YearMonth.from(day);
        JournalFrames.Damage d = JournalFrames.flip(dir, target);

        for (int start = 0; start < 2; start++) { // rebuilt from the journal, then from the checkpoint written at stop
            try (NserServer s = TestServer.start(cfg)) {
                RecoveryReport r = s.journalRecovery();
                assertEquals(1, r.lostRecords(), r.toString());
                JournalDamage jd = r.corrupt().get(0);
                assertEquals(List.of(d.file(), d.offset(), target, target), List.of(jd.file(), jd.offset(),
                        jd.firstLost(), jd.lastLost()), jd.toString());
                TreeMap<Long, AccessRecord> want = new TreeMap<>(log);
                want.remove(target);
                assertEquals(want, accessLog(dir).headMap(log.lastKey(), true), "only the damaged record is gone");
                long[] after = AccessLogs.billedAroundNow(s.ledger(), ORG);
                assertEquals(List.of(billed[0] - lost.billedRows(), billed[1] - lost.amountPaisa()),
                        List.of(after[0], after[1]), "the bill lost only the damaged record");

                JsonNode usage = TestServer.json(TestServer.get(s, "/v1/usage?month=" + month, TestServer.key("power")));
                assertEquals(1, usage.get("lost_records").asLong(), usage.toString());
                String csv = TestServer.get(s, "/v1/usage?format=csv&month=" + month, TestServer.key("power")).body();
                assertTrue(csv.startsWith("organisation,month,day,requests,rows,charge_pkr,lost_records\r\n"), csv);
                Map<String, String> lostByDay = new TreeMap<>();
                csv.lines().skip(1).forEach(l -> lostByDay.put(l.split(",")[2], l.substring(l.lastIndexOf(',') + 1)));
                assertEquals("1", lostByDay.remove(day.toString()), csv);
                assertTrue(lostByDay.values().stream().allMatch("0"::equals), csv);
                JsonNode admin = TestServer.json(TestServer.get(s, "/admin/usage?month=" + month,
                        TestServer.key("admin")));
                assertEquals(1, admin.get("lost_records").asLong(), admin.toString());
                JsonNode audit = TestServer.json(TestServer.get(s, "/admin/access-log?organisation=" + ORG + "&limit=1",
                        TestServer.key("admin")));
                assertEquals(1, audit.get("lost_records").asLong(), audit.toString());
                assertTrue(TestServer.get(s, "/metrics").body().contains("\nnser_journal_lost_records{journal=\"access\"}"
                        + " 1\n"), "the metric");
            }
            assertEquals(1, LedgerCheckpoint.read(dir).lostRecords(), "the checkpoint keeps the count");
        }
    }

    @Test
    void anUpdateJournalThatLostAnAcknowledgedUpdateShouldRefuseToStartNamingIt() throws Exception {
        Path updates = Files.createTempDirectory("nser-damaged-updates");
        ServerConfig cfg = TestServer.demoConfig().withUpdatesDir(updates);
        try (NserServer s = TestServer.start(cfg); var snap = TestServer.openSnapshot()) {
            var r = new pk.gov.bisp.nser.core.record.HouseholdRecord();
            for (int i = 0; i < 5; i++) {
                snap.read(300 + 17 * i, r);
                String body = "{\"changes\":[{\"change\":\"contact\",\"phone\":\"92300111220" + i + "\"}]}";
                assertEquals(200, TestServer.send(s, "PATCH", "/v1/households/" + r.householdId() + "/members", body,
                        TestServer.key("power")).statusCode());
            }
        } // a clean stop folds the five updates into a checkpoint
        Path checkpoint;
        try (Stream<Path> files = Files.list(updates)) {
            checkpoint = files.filter(f -> f.getFileName().toString().endsWith(".ckpt")).findFirst().orElseThrow();
        }
        Path aside = Files.createTempDirectory("nser-checkpoint-aside").resolve(checkpoint.getFileName());
        Files.move(checkpoint, aside); // as if the process had died before its checkpoint
        JournalFrames.Damage d = JournalFrames.flip(updates, 3);

        IOException e = assertThrows(IOException.class, () -> TestServer.start(cfg));
        assertTrue(e.getMessage().startsWith("the update journal " + updates + " lost 1 acknowledged record to damage: "
                + d.file() + " at offset " + d.offset() + ": frame checksum="), e.getMessage());
        assertTrue(e.getMessage().contains("; lost sequence 3 (1 record); read on from offset ")
                && e.getMessage().endsWith("Restore the damaged segment from a backup (the records after the damage"
                + " are intact); until then the server does not start"), e.getMessage());

        Files.move(aside, checkpoint); // the lost update is in the checkpoint: nothing is lost
        try (NserServer s = TestServer.start(cfg)) {
            assertTrue(s.updates().appliedSequence() >= 5, "the updates replayed");
        }
    }

    @Test
    void aPurchaseJournalThatLostAnAcknowledgedBatchShouldRefuseToStartNamingIt() throws Exception {
        Path feedback = Files.createTempDirectory("nser-damaged-feedback");
        ServerConfig cfg = Purchases.config(Files.createTempDirectory("nser-feedback-log"), feedback);
        Instant t = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<Purchases.Household> hs = Purchases.households(9_000, 5);
        try (NserServer s = TestServer.start(cfg)) {
            for (Purchases.Household h : hs) {
                assertEquals(201, post(s, "pos", batch(purchase(h.cnic(), "usc-subsidy", t, "80", "8",
                        item("dal", "1", "kg", "80", "8")))).statusCode());
            }
        }
        JournalFrames.Damage d = JournalFrames.flip(feedback, 3);
        IOException e = assertThrows(IOException.class, () -> TestServer.start(cfg));
        assertTrue(e.getMessage().startsWith("the purchase feedback journal " + feedback + " lost 1 acknowledged record"
                + " to damage: " + d.file() + " at offset " + d.offset() + ": frame checksum="), e.getMessage());
        assertTrue(e.getMessage().contains("; lost sequence 3 (1 record); "), e.getMessage());
    }

    /**
     * Issue 26: the agreement journal follows the same rule. A torn tail (a change being written when the process
     * died, never acknowledged) is cut and every acknowledged change kept; a damaged acknowledged change stops the
     * start naming file, offset and sequence, rather than serve with a revocation or suspension forgotten.
     */
    @Test
    void anAgreementJournalThatLostAnAcknowledgedChangeShouldRefuseToStartNamingIt() throws Exception {
        Path agreements = Files.createTempDirectory("nser-damaged-agreements");
        ServerConfig cfg = TestServer.demoConfig().withAgreementsDir(agreements);
        try (NserServer s = TestServer.start(cfg)) {
            for (String org : new String[] {"DSA-2026-001", "DSA-2026-002", "DSA-2026-003"}) {
                assertEquals(200, TestServer.send(s, "POST", "/admin/agreements/" + org + "/suspend?reason=check",
                        null, TestServer.key("admin")).statusCode());
            }
        }
        Path seg;
        try (Stream<Path> files = Files.list(agreements)) {
            seg = files.filter(f -> f.getFileName().toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        Files.write(seg, new byte[] {7, 0, 0, 0, 1, 2}, java.nio.file.StandardOpenOption.APPEND); // a torn tail
        try (NserServer s = TestServer.start(cfg)) {
            assertTrue(s.agreements().recovery().truncatedBytes() > 0, "the torn tail was cut");
            assertEquals(3, s.agreements().changes());
            assertEquals(403, TestServer.get(s, "/v1/households/count", TestServer.key("power")).statusCode());
        }
        JournalFrames.Damage d = JournalFrames.flip(agreements, 2);
        IOException e = assertThrows(IOException.class, () -> TestServer.start(cfg));
        assertTrue(e.getMessage().startsWith("the agreement journal " + agreements + " lost 1 acknowledged record"
                + " to damage: " + d.file() + " at offset " + d.offset() + ": frame checksum="), e.getMessage());
        assertTrue(e.getMessage().contains("; lost sequence 2 (1 record); "), e.getMessage());
    }
}
