package pk.gov.bisp.nser.core.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.Member;
import pk.gov.bisp.nser.core.scoring.PmtModel;

/**
 * The online fold's core (issue 29): a generation written from the files and a cut keeps every ordinal, holds the
 * cut's records, and caught up with what changed after the cut equals the live snapshot, also when a CNIC moved to a
 * household of a lower ordinal (met there before the household it left).
 */
class SnapshotFoldTest {

    @TempDir
    Path tmp;

    @Test
    void foldedGenerationCaughtUpEqualsTheLiveSnapshotEvenWhenACnicMovedDown() throws Exception {
        List<Household> hs = TestSnapshots.households(40);
        Path base = TestSnapshots.write(tmp.resolve("base"), hs);
        try (Snapshot live = Snapshot.open(base, Snapshot.Verify.FULL)) {
            apply(live, 3, withPhone(read(live, 3), 923001234567L)); // before the cut: folded into the files
            SnapshotFold.Cut cut = SnapshotFold.cut(live, 1);
            // after the cut: household 31's second member moves to household 2, and a household is added
            Household from = read(live, 31);
            Member moved = from.members().get(1);
            apply(live, 31, withMembers(from, List.of(from.members().get(0))));
            Household to = read(live, 2);
            List<Member> grown = new ArrayList<>(to.members());
            grown.add(moved);
            apply(live, 2, withMembers(to, grown));
            Household added = hs.get(7);
            added = new Household(9_000_000_001L, added.address(), added.pmtHundredths(), added.pmtModelVersion(),
                    added.surveyDate(), added.surveySource(), added.dwelling(), added.assets(), added.phone(),
                    added.uct(), added.cct(), 1, List.of(copy(added.members().get(0), 3_999_900_000_001L)));
            apply(live, 40, added);

            Path out = tmp.resolve("gen");
            Manifest m = SnapshotFold.write(live, cut, out);
            assertEquals("1", m.build().get(SnapshotFold.FOLDED_THROUGH));
            assertEquals(DeltaCheckpoint.identity(live.manifest()), m.build().get(SnapshotFold.GENERATION_OF));
            try (Snapshot gen = Snapshot.open(out, Snapshot.Verify.FULL)) {
                SnapshotFold.verify(gen, live, cut);
                assertEquals(40, gen.householdCount());
                assertEquals(923001234567L, read(gen, 3).phone(), "the cut's change is in the files");
                assertEquals(31, gen.ordinalOfCnic(moved.cnic()), "the move came after the cut");
                assertEquals(3, SnapshotFold.catchUp(live, cut, gen));
                assertEquals(2, gen.ordinalOfCnic(moved.cnic()), "the CNIC is at the household it moved to");
                assertEquals(41, gen.householdCount());
                assertEquals(live.idCount(), gen.idCount());
                assertEquals(live.memberCount(), gen.memberCount());
                HouseholdRecord a = new HouseholdRecord();
                HouseholdRecord b = new HouseholdRecord();
                for (int o = 0; o < live.householdCount(); o++) {
                    assertTrue(live.read(o, a) && gen.read(o, b));
                    assertArrayEquals(a.toByteArray(), b.toByteArray(), "ordinal " + o);
                }
                assertEquals(List.of(), SnapshotVerifier.verify(gen, n -> { }), "indexes agree with records");
            }
        }
        assertTrue(Files.isDirectory(base));
    }

    @Test
    void aNewBaseDropsTheGenerationKeys() {
        java.util.Map<String, String> build = new java.util.LinkedHashMap<>();
        build.put("source", "test");
        build.put(SnapshotFold.GENERATION_OF, "x");
        build.put(SnapshotFold.FOLDED_THROUGH, "12");
        build.put(SnapshotFold.GENERATION, "2");
        build.put(SnapshotFold.BASE_MANIFEST_SHA256, "ab");
        assertEquals(java.util.Map.of("source", "test"), SnapshotFold.asNewBase(build));
    }

    private static Household read(Snapshot s, int ordinal) {
        HouseholdRecord r = new HouseholdRecord();
        assertTrue(s.read(ordinal, r));
        return HouseholdCodec.decode(r, s.dictionary());
    }

    private static void apply(Snapshot s, int ordinal, Household h) {
        byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
        HouseholdRecord r = new HouseholdRecord();
        r.wrap(buf, HouseholdCodec.encode(h, s.dictionary(), buf));
        PmtModel.builtIn().rescore(r, PmtModel.newScratch()); // as an update is: the verifier checks the scores
        s.apply(ordinal, r.toByteArray());
    }

    private static Household withPhone(Household h, long phone) {
        return new Household(h.householdId(), h.address(), h.pmtHundredths(), h.pmtModelVersion(), h.surveyDate(),
                h.surveySource(), h.dwelling(), h.assets(), phone, h.uct(), h.cct(), h.version() + 1, h.members());
    }

    private static Household withMembers(Household h, List<Member> members) {
        return new Household(h.householdId(), h.address(), h.pmtHundredths(), h.pmtModelVersion(), h.surveyDate(),
                h.surveySource(), h.dwelling(), h.assets(), h.phone(), h.uct(), h.cct(), h.version() + 1, members);
    }

    private static Member copy(Member m, long cnic) {
        return new Member(cnic, m.name(), m.guardianName(), m.gender(), m.dateOfBirth(), m.relationship(),
                m.maritalStatus(), m.disability(), m.education(), m.literate(), m.schoolStatus(), m.employment(),
                m.chronicDisease(), m.deceased());
    }
}
