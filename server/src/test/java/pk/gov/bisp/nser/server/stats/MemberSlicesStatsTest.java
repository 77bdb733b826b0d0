package pk.gov.bisp.nser.server.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;
import pk.gov.bisp.nser.builder.cli.GenerateCommand;
import pk.gov.bisp.nser.builder.generate.SyntheticRegistry;
import pk.gov.bisp.nser.core.format.Checksums;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.index.BitmapIndexWriter;
import pk.gov.bisp.nser.core.index.MemberSlices;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.query.QueryEngine;
import pk.gov.bisp.nser.core.query.QueryParser;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.Member;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Manifest;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotFiles;
import pk.gov.bisp.nser.core.snapshot.SnapshotFold;
import pk.gov.bisp.nser.core.snapshot.SnapshotVerifier;
import pk.gov.bisp.nser.core.stats.Marginals;

/**
 * Member statistics from the member slices equal those read from the records (the path of snapshots written
 * before the slices) and a brute-force count over every record: every member measure and gender, with and
 * without filters, at several levels, true counts, cell keys, and the published (perturbed, suppressed) tables;
 * again after live updates that change members' literacy, deaths, births and a new household; and a snapshot
 * without the slices is served from its records, takes live updates, and an online fold of it has the slices.
 */
class MemberSlicesStatsTest {

    private static final String[] MEASURES = {"literacy", "literacy:female", "literacy:male", "literacy:transgender",
        "out_of_school", "out_of_school:female", "out_of_school:male", "employment", "employment:female",
        "employment:transgender", "house_type:kacha", "disabled_member:yes", "pmt_below:32"};

    @Test
    void slicesGiveTheRecordsTablesForEveryMeasureFilterAndLevel() throws Exception {
        try (Snapshot s = Snapshot.open(snapshot(), Snapshot.Verify.QUICK)) {
            assertTrue(MemberSlices.present(s.bitmaps().all()), "a generated snapshot has the slices");
            assertEveryTableAlike(s);
        }
    }

    @Test
    void slicesFollowLiveUpdatesOfMembersAndNewHouseholds() throws Exception {
        Path copy = copy(snapshot(), tmp.resolve("updated"));
        try (Snapshot s = Snapshot.open(copy, Snapshot.Verify.QUICK)) {
            int changed = update(s);
            assertTrue(changed > 100, "updates applied: " + changed);
            assertEveryTableAlike(s);
            assertEquals(List.of(), SnapshotVerifier.verify(s, p -> { }),
                    "the slices after the updates equal those rebuilt from the records");
        }
    }

    @Test
    void keptTablesCorrectedByTheChangedHouseholdsEqualCountingNow() throws Exception {
        Path copy = copy(snapshot(), tmp.resolve("kept"));
        try (Snapshot s = Snapshot.open(copy, Snapshot.Verify.QUICK)) {
            TableCache cache = new TableCache(s, "a test secret of 16+ chars", 1_000);
            int shapes = assertKeptTablesAlike(s, cache);
            assertEquals(shapes, cache.counted(), "each table counted once over the files");
            assertTrue(update(s) > 100);
            assertEquals(shapes, assertKeptTablesAlike(s, cache));
            // one more household changed after the tables were kept: the next answers follow it
            byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
            HouseholdRecord r = new HouseholdRecord();
            assertTrue(s.read(7, r));
            Household h = HouseholdCodec.decode(r, s.dictionary());
            List<Member> ms = new ArrayList<>(h.members());
            ms.add(member(ms.get(0), 0, Gender.MALE, false, false, h.surveyDate().minusYears(9)));
            s.apply(7, encode(h, ms, h.householdId(), s, buf));
            assertEquals(shapes, assertKeptTablesAlike(s, cache));
            assertEquals(shapes, cache.counted(), "not one table counted over the whole files again");
            // a full cache drops the table used least recently, which is then counted again
            TableCache two = new TableCache(s, "a test secret of 16+ chars", 2);
            QueryParser parser = new QueryParser(s.geography());
            Query all = parser.parse(Map.of(), Set.of());
            List<GeoUnit> districts = s.geography().units(GeoLevel.DISTRICT);
            for (String m : new String[] {"literacy", "employment", "literacy", "out_of_school", "employment"}) {
                two.count(s, new QueryEngine(s), all, Measure.parse(m, parser), GeoLevel.DISTRICT, districts);
            }
            assertEquals(4, two.counted(), "literacy kept, out_of_school dropped employment, which came back");
        }
    }

    @Test
    void aNewGenerationIsWarmedWithTheTablesTheServedOneKept() throws Exception {
        try (Snapshot served = Snapshot.open(snapshot(), Snapshot.Verify.QUICK);
             Snapshot next = Snapshot.open(copy(snapshot(), tmp.resolve("next")), Snapshot.Verify.QUICK)) {
            KeptTables kept = new KeptTables("a test secret of 16+ chars");
            TableCache before = kept.of(served);
            assertTrue(before == kept.of(served), "one cache per generation, whoever asks");
            QueryParser parser = new QueryParser(served.geography());
            Query all = parser.parse(Map.of(), Set.of());
            Query poor = parser.parse(Map.of("pmt_below", List.of("32")), Set.of());
            List<GeoUnit> districts = served.geography().units(GeoLevel.DISTRICT);
            List<GeoUnit> provinces = served.geography().units(GeoLevel.PROVINCE);
            before.count(served, new QueryEngine(served), all, Measure.parse("literacy", parser), GeoLevel.DISTRICT,
                    districts);
            before.count(served, new QueryEngine(served), poor, null, GeoLevel.PROVINCE, provinces);
            assertEquals(2, before.counted());
            List<Runnable> work = new ArrayList<>();
            kept.swapping(served, next, work::add);
            assertTrue(before == kept.of(served), "until the fold serves it, requests keep the served generation's");
            assertEquals(1, work.size(), "the counting goes to a worker");
            work.get(0).run();
            TableCache after = kept.of(next);
            assertTrue(after != before);
            assertTrue(before == kept.of(served), "a request still reading the old generation gets its own cache");
            assertEquals(2, after.counted(), "both tables counted over the new generation");
            StatsTable t = after.count(next, new QueryEngine(next), all, Measure.parse("literacy", parser),
                    GeoLevel.DISTRICT, districts);
            after.count(next, new QueryEngine(next), poor, null, GeoLevel.PROVINCE, provinces);
            assertEquals(2, after.counted(), "and found kept by the first requests");
            RecordKeys keys = RecordKeys.of(next, "a test secret of 16+ chars");
            assertArrayEquals(new GroupCounter(next, new QueryEngine(next), keys).count(all,
                    Measure.parse("literacy", parser), GeoLevel.DISTRICT, districts).cells, t.cells);
        }
    }

    /**
     * Every measure, filter and level from the cache equals the table counted now (true counts and cell keys);
     * returns how many tables were compared.
     */
    private static int assertKeptTablesAlike(Snapshot s, TableCache cache) {
        RecordKeys keys = RecordKeys.of(s, "a test secret of 16+ chars");
        org.roaringbitmap.RoaringBitmap everyone = new org.roaringbitmap.RoaringBitmap();
        everyone.add(0L, s.householdCount());
        List<Map<String, List<String>>> filters = new ArrayList<>(filters(s));
        filters.add(Map.of("not_disabled_member", List.of("yes"), "pmt_below", List.of("32")));
        return forEveryTable(s, filters, (q, m, level, groups, what) -> {
            StatsTable now = new GroupCounter(s, new QueryEngine(s), keys).count(q, m, level, groups);
            StatsTable kept = cache.count(s, new QueryEngine(s), q, m, level, groups);
            what += " after " + s.updatedCount() + " updates";
            assertArrayEquals(now.cells, kept.cells, what);
            assertArrayEquals(now.keys, kept.keys, what);
            // the walk over some households, given them all, is the whole table
            StatsTable walked = GroupCounter.within(s, new QueryEngine(s), keys, everyone).count(q, m, level, groups);
            assertArrayEquals(now.cells, walked.cells, what + ", walked");
            assertArrayEquals(now.keys, walked.keys, what + ", walked");
        });
    }

    /** One table to check: its filter, measure, level and groups, and a text naming them. */
    private interface TableCheck {
        void check(Query q, Measure m, GeoLevel level, List<GeoUnit> groups, String what);
    }

    /** Checks the table of every measure under each filter by province, district and tehsil; returns how many. */
    private static int forEveryTable(Snapshot s, List<Map<String, List<String>>> filters, TableCheck check) {
        QueryParser parser = new QueryParser(s.geography());
        int compared = 0;
        for (Map<String, List<String>> f : filters) {
            Query q = parser.parse(f, Set.of());
            for (GeoLevel level : new GeoLevel[] {GeoLevel.PROVINCE, GeoLevel.DISTRICT, GeoLevel.TEHSIL}) {
                for (String text : MEASURES) {
                    check.check(q, Measure.parse(text, parser), level, s.geography().units(level),
                            text + " " + f + " by " + level);
                    compared++;
                }
            }
        }
        assertEquals(filters.size() * 3 * MEASURES.length, compared);
        return compared;
    }

    @Test
    void aSnapshotWithoutSlicesIsServedFromItsRecordsAndTakesUpdates() throws Exception {
        Path old = withoutSlices(copy(snapshot(), tmp.resolve("old")));
        Map<String, long[][]> before = new LinkedHashMap<>();
        try (Snapshot s = Snapshot.open(old, Snapshot.Verify.FULL)) {
            assertFalse(MemberSlices.present(s.bitmaps().all()));
            assertEquals(List.of(), SnapshotVerifier.verify(s, p -> { }), "verifies as before");
            QueryParser parser = new QueryParser(s.geography());
            RecordKeys keys = RecordKeys.of(s, "a test secret of 16+ chars");
            List<GeoUnit> groups = s.geography().units(GeoLevel.DISTRICT);
            for (String m : MEASURES) {
                GroupCounter c = new GroupCounter(s, new QueryEngine(s), keys);
                assertFalse(c.fromSlices());
                StatsTable t = c.count(parser.parse(Map.of(), Set.of()), Measure.parse(m, parser), GeoLevel.DISTRICT,
                        groups);
                assertBruteForce(s, Measure.parse(m, parser), groups, t, m);
                before.put(m, t.cells);
            }
            assertTrue(update(s) > 100);
            assertEquals(List.of(), SnapshotVerifier.verify(s, p -> { }));
            Map<String, long[][]> updated = new LinkedHashMap<>();
            for (String m : MEASURES) {
                StatsTable t = new GroupCounter(s, new QueryEngine(s), keys).count(parser.parse(Map.of(), Set.of()),
                        Measure.parse(m, parser), GeoLevel.DISTRICT, groups);
                assertBruteForce(s, Measure.parse(m, parser), groups, t, m);
                updated.put(m, t.cells);
            }
            // the online fold writes a generation with the slices, which then answers the same tables from them
            SnapshotFold.Cut cut = SnapshotFold.cut(s, 1);
            Path out = tmp.resolve("old-folded");
            SnapshotFold.write(s, cut, out);
            try (Snapshot gen = Snapshot.open(out, Snapshot.Verify.FULL)) {
                SnapshotFold.verify(gen, s, cut);
                assertTrue(MemberSlices.present(gen.bitmaps().all()), "the fold wrote the member slices");
                assertEquals(List.of(), SnapshotVerifier.verify(gen, p -> { }));
                RecordKeys genKeys = RecordKeys.of(gen, "a test secret of 16+ chars");
                for (String m : MEASURES) {
                    GroupCounter c = new GroupCounter(gen, new QueryEngine(gen), genKeys);
                    assertTrue(c.fromSlices());
                    StatsTable t = c.count(parser.parse(Map.of(), Set.of()), Measure.parse(m, parser),
                            GeoLevel.DISTRICT, groups);
                    assertArrayEquals(updated.get(m), t.cells, "the folded generation's slices: " + m);
                }
            }
        }
        try (Snapshot s = Snapshot.open(snapshot(), Snapshot.Verify.QUICK)) {
            QueryParser parser = new QueryParser(s.geography());
            RecordKeys keys = RecordKeys.of(s, "a test secret of 16+ chars");
            for (String m : MEASURES) {
                StatsTable t = new GroupCounter(s, new QueryEngine(s), keys).count(parser.parse(Map.of(), Set.of()),
                        Measure.parse(m, parser), GeoLevel.DISTRICT, s.geography().units(GeoLevel.DISTRICT));
                assertArrayEquals(before.get(m), t.cells, "with and without slices, the same table: " + m);
            }
        }
    }

    @Test
    void keySumsFromTheKeyBitmapsEqualAPassOverTheHouseholds() throws Exception {
        Path copy = copy(snapshot(), tmp.resolve("keys"));
        try (Snapshot s = Snapshot.open(copy, Snapshot.Verify.QUICK)) {
            update(s); // a household added by a live update: its key comes from its record
            RecordKeys keys = RecordKeys.of(s, "a test secret of 16+ chars");
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
            int n = s.householdCount();
            for (int i = 0; i < 200; i++) {
                org.roaringbitmap.buffer.MutableRoaringBitmap set = new org.roaringbitmap.buffer.MutableRoaringBitmap();
                int density = 1 + rnd.nextInt(100);
                for (int o = rnd.nextInt(n); o < n; o++) {
                    if (rnd.nextInt(100) < density) {
                        set.add(o);
                    }
                }
                if (i % 2 == 0) {
                    set.add(n - 1);
                }
                assertEquals(keys.batchSum(s, set), keys.bitmapSum(s, set), "set " + i);
            }
            org.roaringbitmap.buffer.MutableRoaringBitmap all = new org.roaringbitmap.buffer.MutableRoaringBitmap();
            all.add(0L, n);
            assertEquals(keys.batchSum(s, all), keys.bitmapSum(s, all));
            assertNotEquals(0, keys.bitmapSum(s, all));
        }
    }

    /** Every measure, filter and level: slices against records (cells, keys, published) and the brute force. */
    private static void assertEveryTableAlike(Snapshot s) {
        RecordKeys keys = RecordKeys.of(s, "a test secret of 16+ chars");
        forEveryTable(s, filters(s), (q, m, level, groups, what) -> {
            GroupCounter fast = new GroupCounter(s, new QueryEngine(s), keys);
            assertTrue(fast.fromSlices());
            StatsTable sliced = fast.count(q, m, level, groups);
            StatsTable read = new GroupCounter(s, new QueryEngine(s), keys, GroupCounter.PIECE, () -> { })
                    .count(q, m, level, groups);
            assertArrayEquals(read.cells, sliced.cells, what);
            assertArrayEquals(read.keys, sliced.keys, what);
            if (q.clauses().isEmpty() && !q.hasPmtRange() && level == GeoLevel.DISTRICT) {
                assertBruteForce(s, m, groups, sliced, what);
            }
            sliced.perturb();
            read.perturb();
            assertEquals(read.suppress(10), sliced.suppress(10), what);
            assertArrayEquals(read.cells, sliced.cells, what);
            for (int r = 0; r <= read.totalRow(); r++) {
                assertArrayEquals(read.suppressed[r], sliced.suppressed[r], what);
            }
        });
    }

    /** The filters the tables are compared under: none, a PMT range, two dimensions, one district. */
    private static List<Map<String, List<String>>> filters(Snapshot s) {
        GeoUnit district = s.geography().units(GeoLevel.DISTRICT).get(3);
        return List.of(Map.of(), Map.of("pmt_below", List.of("32")),
                Map.of("disabled_member", List.of("yes"), "house_type", List.of("kacha")),
                Map.of("district", List.of(Integer.toString(district.code()))));
    }

    /** The table's households, members, base and count per group equal a count over every record. */
    private static void assertBruteForce(Snapshot s, Measure measure, List<GeoUnit> groups, StatsTable t, String what) {
        long[][] out = StatsBruteForce.perGroup(s, measure.members() != null ? measure : null, groups);
        long total = 0;
        for (int g = 0; g < groups.size(); g++) {
            long[] c = t.cells[g];
            if (measure.members() != null) {
                assertArrayEquals(out[g], new long[] {c[StatsTable.HOUSEHOLDS], c[StatsTable.MEMBERS],
                        c[StatsTable.BASE], c[StatsTable.COUNT]}, what + " group " + groups.get(g).code());
            } else {
                assertArrayEquals(new long[] {out[g][0], out[g][1]},
                        new long[] {c[StatsTable.HOUSEHOLDS], c[StatsTable.MEMBERS]}, what);
            }
            total += c[StatsTable.COUNT];
        }
        assertNotEquals(0, total, what + ": counts something");
    }

    /**
     * Live updates over the snapshot: in every 40th household member 0's literacy flips, member 1 dies, and a
     * girl of 8 out of school (no CNIC) joins; every 97th gets a 14th and 15th member (a household of 12 or more);
     * and a new household, a copy of household 0 under a new id without CNICs, is added. Returns how many.
     */
    private static int update(Snapshot s) throws IOException {
        byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
        HouseholdRecord r = new HouseholdRecord();
        int n = 0;
        int count = s.householdCount();
        for (int o = 0; o < count; o += 40) {
            assertTrue(s.read(o, r));
            Household h = HouseholdCodec.decode(r, s.dictionary());
            List<Member> ms = new ArrayList<>(h.members());
            Member first = ms.get(0);
            ms.set(0, member(first, first.cnic(), first.gender(), !first.literate(), first.deceased(),
                    first.dateOfBirth()));
            if (ms.size() > 1) {
                Member second = ms.get(1);
                ms.set(1, member(second, second.cnic(), second.gender(), second.literate(), true,
                        second.dateOfBirth()));
            }
            ms.add(member(first, 0, Gender.FEMALE, false, false, h.surveyDate().minusYears(8)));
            if (o % 97 == 0) {
                while (ms.size() < 15) {
                    ms.add(member(first, 0, Gender.TRANSGENDER, true, false, h.surveyDate().minusYears(30)));
                }
            }
            s.apply(o, encode(h, ms, h.householdId(), s, buf));
            n++;
        }
        assertTrue(s.read(0, r));
        Household h = HouseholdCodec.decode(r, s.dictionary());
        List<Member> ms = new ArrayList<>();
        for (Member m : h.members()) {
            ms.add(member(m, 0, m.gender(), m.literate(), m.deceased(), m.dateOfBirth()));
        }
        s.apply(count, encode(h, ms, 9_000_000_000L, s, buf));
        return n + 1;
    }

    private static byte[] encode(Household h, List<Member> ms, long id, Snapshot s, byte[] buf) {
        Household next = new Household(id, h.address(), h.pmtHundredths(), h.pmtModelVersion(), h.surveyDate(),
                h.surveySource(), h.dwelling(), h.assets(), h.phone(), h.uct(), h.cct(), h.version() + 1, ms);
        byte[] out = java.util.Arrays.copyOf(buf, HouseholdCodec.encode(next, s.dictionary(), buf));
        PmtModel.builtIn().rescore(new HouseholdRecord().wrap(out, out.length), PmtModel.newScratch());
        return out;
    }

    private static Member member(Member m, long cnic, Gender gender, boolean literate, boolean deceased,
                                 java.time.LocalDate born) {
        return new Member(cnic, m.name(), m.guardianName(), gender, born, m.relationship(), m.maritalStatus(),
                m.disability(), m.education(), literate, cnic == 0 && !deceased && !literate
                        ? pk.gov.bisp.nser.core.schema.SchoolStatus.NEVER_ATTENDED : m.schoolStatus(),
                m.employment(), m.chronicDisease(), deceased);
    }

    /** A copy of a closed snapshot directory. */
    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        return to;
    }

    /** The snapshot as written before the slices: {@code bitmaps.bin} without them, the manifest to match. */
    private static Path withoutSlices(Path dir) throws IOException {
        Path file = dir.resolve(SnapshotFiles.BITMAPS);
        BitmapIndexWriter w = new BitmapIndexWriter();
        long universe;
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK)) {
            universe = s.bitmaps().universe();
            Set<String> slices = Set.copyOf(MemberSlices.allNames());
            for (Map.Entry<String, ImmutableRoaringBitmap> e : s.bitmaps().all().entrySet()) {
                if (!slices.contains(e.getKey())) {
                    w.put(e.getKey(), e.getValue().toRoaringBitmap());
                }
            }
        }
        Files.delete(file);
        w.write(file, universe);
        Path mf = dir.resolve(SnapshotFiles.MANIFEST);
        Manifest m = Manifest.read(mf);
        Map<String, Manifest.FileEntry> files = new LinkedHashMap<>(m.files());
        files.put(SnapshotFiles.BITMAPS, new Manifest.FileEntry(Files.size(file), Checksums.crc32c(file, b -> { })));
        Manifest old = new Manifest(m.formatVersion(), m.recordLayoutVersion(), m.createdAt(), m.households(),
                m.members(), m.ids(), m.asOf(), m.pmtModelName(), m.pmtModelVersion(), m.build(), files);
        Files.write(mf, old.toJson());
        return dir;
    }

    @TempDir
    static Path tmp;
    private static Path snapshot;

    private static synchronized Path snapshot() throws Exception {
        if (snapshot == null) {
            snapshot = tmp.resolve("snap");
            GenerateCommand.generate(new SyntheticRegistry(6_000, 5, Marginals.builtIn()), PmtModel.builtIn(),
                    snapshot, GenerateCommand.DEFAULT_AS_OF, false, 5);
        }
        return snapshot;
    }
}
