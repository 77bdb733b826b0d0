package pk.gov.bisp.nser.builder.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.builder.TestRegistries;
import pk.gov.bisp.nser.builder.cli.GenerateCommand;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.schema.MaritalStatus;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Manifest;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotFiles;
import pk.gov.bisp.nser.core.snapshot.SnapshotVerifier;
import pk.gov.bisp.nser.core.stats.Marginals;

class GeneratorDeterminismTest {

    @TempDir
    Path tmp;

    @Test
    void sameSeedShouldGiveTheSameBytes() throws Exception {
        Path a = TestRegistries.build(20_000, 7, tmp.resolve("a"));
        Path b = TestRegistries.build(20_000, 7, tmp.resolve("b"));
        for (String f : List.of(SnapshotFiles.HOUSEHOLD_IDS, SnapshotFiles.DICTIONARY, SnapshotFiles.BITMAPS,
                SnapshotFiles.PMT_INDEX, SnapshotFiles.GEOGRAPHY)) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        try (Snapshot sa = Snapshot.open(a, Snapshot.Verify.QUICK); Snapshot sb = Snapshot.open(b, Snapshot.Verify.QUICK)) {
            HouseholdRecord ra = new HouseholdRecord();
            HouseholdRecord rb = new HouseholdRecord();
            for (int i = 0; i < sa.householdCount(); i++) {
                sa.read(i, ra);
                sb.read(i, rb);
                assertArrayEquals(ra.toByteArray(), rb.toByteArray(), "record at ordinal " + i);
            }
        }
    }

    @Test
    void oneAndFourThreadsShouldGiveTheSameBytes() throws Exception {
        SyntheticRegistry registry = new SyntheticRegistry(20_000, 11, Marginals.builtIn());
        assertTrue(registry.chunks() > 4, "tehsils to share out: " + registry.chunks());
        Path one = tmp.resolve("one");
        Path four = tmp.resolve("four");
        Manifest m1 = GenerateCommand.generate(registry, PmtModel.builtIn(), one, GenerateCommand.DEFAULT_AS_OF,
                false, 11, 1);
        Manifest m4 = GenerateCommand.generate(registry, PmtModel.builtIn(), four, GenerateCommand.DEFAULT_AS_OF,
                false, 11, 4);
        assertEquals(20_000, m4.households());
        assertEquals(m1.members(), m4.members());
        assertEquals(m1.files(), m4.files(), "sizes and checksums of every file");
        for (String f : m1.files().keySet()) {
            assertEquals(-1L, Files.mismatch(one.resolve(f), four.resolve(f)), f);
        }
    }

    @Test
    void anotherSeedShouldGiveAnotherRegistry() throws Exception {
        Path a = TestRegistries.build(10_000, 1, tmp.resolve("a"));
        Path b = TestRegistries.build(10_000, 2, tmp.resolve("b"));
        try (Snapshot sa = Snapshot.open(a, Snapshot.Verify.QUICK); Snapshot sb = Snapshot.open(b, Snapshot.Verify.QUICK)) {
            HouseholdRecord ra = new HouseholdRecord();
            HouseholdRecord rb = new HouseholdRecord();
            int differ = 0;
            for (int i = 0; i < 100; i++) {
                sa.read(i, ra);
                sb.read(i, rb);
                differ += java.util.Arrays.equals(ra.toByteArray(), rb.toByteArray()) ? 0 : 1;
            }
            assertTrue(differ > 90, "records differing between seeds: " + differ);
        }
    }

    @Test
    void membersShouldBePlausibleAndCnicsUniqueAndFindable() throws Exception {
        try (Snapshot s = Snapshot.open(TestRegistries.generated(200_000, 1), Snapshot.Verify.QUICK)) {
            assertEquals(List.of(), SnapshotVerifier.verify(s, x -> { }), "indexes must agree with the records");
            Set<Long> seen = new HashSet<>();
            HouseholdRecord r = new HouseholdRecord();
            for (int o = 0; o < s.householdCount(); o += 7) {
                s.read(o, r);
                int everMarriedWomen = 0;
                for (int i = 0; i < r.memberCount(); i++) {
                    long cnic = r.cnic(i);
                    assertTrue(Cnic.isValid(cnic));
                    assertTrue(seen.add(cnic), "duplicate CNIC " + cnic);
                    assertEquals(o, s.ordinalOfCnic(cnic));
                    int age = r.ageOn(i, r.surveyDate());
                    assertTrue(age >= 0 && age <= 100, "age " + age);
                    boolean woman = r.gender(i) == Gender.FEMALE && age >= 18;
                    everMarriedWomen += woman && r.maritalStatus(i) != MaritalStatus.NEVER_MARRIED ? 1 : 0;
                    assertEquals(r.gender(i) == Gender.FEMALE, cnic % 2 == 0, "gender digit of " + cnic);
                }
                assertEquals(1, everMarriedWomen, "one ever-married woman per family, household " + r.householdId());
            }
        }
    }
}
