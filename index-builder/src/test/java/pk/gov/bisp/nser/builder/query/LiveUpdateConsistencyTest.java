package pk.gov.bisp.nser.builder.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.builder.TestRegistries;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryEngine;
import pk.gov.bisp.nser.core.query.QueryParser;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.schema.Address;
import pk.gov.bisp.nser.core.schema.Disability;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.Member;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotVerifier;

/**
 * Live updates against concurrent readers: one household flips between two states thousands of times - (union
 * council in district A, nobody disabled) and (union council in district B, member 0 blind) - while readers
 * count and list. A reader must never see half an update: the household is always in exactly one of the two
 * districts, never in B without a disabled member, and a record read is always one of the two states whole.
 */
class LiveUpdateConsistencyTest {

    @Test
    void aConcurrentReaderNeverSeesAHalfAppliedUpdate() throws Exception {
        try (Snapshot s = Snapshot.open(TestRegistries.generated(20_000, 3), Snapshot.Verify.QUICK)) {
            int ordinal = householdWithoutDisability(s);
            HouseholdRecord r = new HouseholdRecord();
            s.read(ordinal, r);
            Household base = HouseholdCodec.decode(r, s.dictionary());
            int ucA = base.address().unionCouncil();
            int districtA = s.geography().ancestorOfUc(ucA, GeoLevel.DISTRICT);
            int ucB = ucInAnotherDistrict(s, districtA);
            int districtB = s.geography().ancestorOfUc(ucB, GeoLevel.DISTRICT);
            QueryParser parser = new QueryParser(s.geography());
            QueryEngine engine = new QueryEngine(s);
            Query both = parser.parse(Map.of("district", List.of(districtA + "," + districtB)), Set.of());
            Query bWithoutDisability = parser.parse(Map.of("district", List.of(Integer.toString(districtB)),
                    "not_disabled_member", List.of("yes")), Set.of());
            long bothCount = engine.count(both);
            long bClean = engine.count(bWithoutDisability);
            byte[][] states = {encode(s, base, ucA, Disability.NONE, 0), encode(s, base, ucB, Disability.VISUAL, 0)};

            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread reader = new Thread(() -> {
                    HouseholdRecord mine = new HouseholdRecord();
                    try {
                        while (!stop.get()) {
                            long n = engine.count(both);
                            long clean = engine.count(bWithoutDisability);
                            long listed = engine.evaluate(both).getLongCardinality();
                            s.read(ordinal, mine);
                            boolean inB = mine.unionCouncil() == ucB;
                            boolean blind = mine.disability(0) == Disability.VISUAL;
                            if (n != bothCount || clean != bClean || listed != bothCount || inB != blind) {
                                seen.add("count " + n + " list " + listed + " clean " + clean + " inB " + inB
                                        + " blind " + blind);
                            }
                        }
                    } catch (RuntimeException e) {
                        seen.add("reader failed: " + e);
                    }
                });
                reader.start();
                readers.add(reader);
            }
            int flips = 3_000;
            for (int i = 1; i <= flips; i++) {
                byte[] next = states[i % 2].clone();
                pk.gov.bisp.nser.core.record.Bytes.putI32(next, RecordLayout.RECORD_VERSION_OFFSET, i + 1);
                s.apply(ordinal, next);
            }
            stop.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
            assertEquals(List.of(), List.copyOf(seen).subList(0, Math.min(5, seen.size())));
            s.read(ordinal, r);
            assertEquals(ucA, r.unionCouncil(), "an even number of flips ends where it began");
            assertEquals(flips + 1, r.recordVersion());
            assertEquals(bothCount, engine.count(both));
            assertNotEquals(0, bothCount);
            assertEquals(List.of(), SnapshotVerifier.verify(s, n -> { }));
        }
    }

    private static int householdWithoutDisability(Snapshot s) {
        HouseholdRecord r = new HouseholdRecord();
        for (int o = 500; ; o++) {
            s.read(o, r);
            boolean any = false;
            for (int i = 0; i < r.memberCount(); i++) {
                any |= r.disability(i) != Disability.NONE;
            }
            if (!any && r.cnic(0) != 0) {
                return o;
            }
        }
    }

    private static int ucInAnotherDistrict(Snapshot s, int district) {
        for (GeoUnit u : s.geography().all()) {
            if (u.level() == GeoLevel.UNION_COUNCIL && s.geography().ancestorOfUc(u.code(), GeoLevel.DISTRICT)
                    != district) {
                return u.code();
            }
        }
        throw new AssertionError("one district only");
    }

    private static byte[] encode(Snapshot s, Household h, int uc, Disability d, int member) {
        List<Member> roster = new ArrayList<>(h.members());
        Member m = roster.get(member);
        roster.set(member, new Member(m.cnic(), m.name(), m.guardianName(), m.gender(), m.dateOfBirth(),
                m.relationship(), m.maritalStatus(), d, m.education(), m.literate(), m.schoolStatus(),
                m.employment(), m.chronicDisease(), m.deceased()));
        Address a = h.address();
        Household changed = new Household(h.householdId(), new Address(uc, a.village(), a.text(), a.latitudeE6(),
                a.longitudeE6()), h.pmtHundredths(), h.pmtModelVersion(), h.surveyDate(), h.surveySource(),
                h.dwelling(), h.assets(), h.phone(), h.uct(), h.cct(), 1, roster);
        byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
        int n = HouseholdCodec.encode(changed, s.dictionary(), buf);
        assertTrue(n > 0);
        return java.util.Arrays.copyOf(buf, n);
    }
}
