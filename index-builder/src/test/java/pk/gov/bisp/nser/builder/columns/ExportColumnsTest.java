package pk.gov.bisp.nser.builder.columns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;
import pk.gov.bisp.nser.builder.CliRun;
import pk.gov.bisp.nser.builder.TestRegistries;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.index.Dimension;
import pk.gov.bisp.nser.core.index.Dimensions;
import pk.gov.bisp.nser.core.index.HouseholdIndexer;
import pk.gov.bisp.nser.core.index.MemberSlices;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/** The CSV of {@code export-columns}, read back and held against the snapshot's own records and bitmaps. */
class ExportColumnsTest {

    private static final long HOUSEHOLDS = 200_000;

    @TempDir
    static Path tmp;

    static Path dir;
    static List<String> header;
    static List<String[]> rows;

    @BeforeAll
    static void export() throws Exception {
        dir = TestRegistries.generated(HOUSEHOLDS, 1);
        Path csv = tmp.resolve("columns.csv");
        CliRun run = CliRun.of("export-columns", dir.toString(), "--out", csv.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("wrote 200,000 households"), run.out());
        assertTrue(Files.notExists(tmp.resolve("columns.csv.tmp")));
        rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.US_ASCII)) {
            header = List.of(in.readLine().split(","));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                rows.add(line.split(",", -1));
            }
        }
    }

    private static int col(String name) {
        int i = header.indexOf(name);
        assertTrue(i >= 0, "no column " + name + " in " + header);
        return i;
    }

    @Test
    void shouldWriteOneRowPerHouseholdInOrdinalOrderWithItsIdAndScore() throws Exception {
        assertEquals(HouseholdColumns.columnNames(), header);
        assertEquals(HOUSEHOLDS, rows.size());
        int pmt = col("pmt");
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK)) {
            HouseholdRecord r = new HouseholdRecord();
            for (int ordinal = 0; ordinal < rows.size(); ordinal++) {
                String[] row = rows.get(ordinal);
                assertEquals(header.size(), row.length, "fields in row " + ordinal);
                assertEquals(ordinal, Integer.parseInt(row[col("ordinal")]));
                assertTrue(s.read(ordinal, r));
                assertEquals(r.householdId(), Long.parseLong(row[col("household_id")]), "ordinal " + ordinal);
                assertTrue(row[pmt].matches("\\d{1,3}\\.\\d\\d"), row[pmt]);
                assertEquals(r.pmtHundredths(), Integer.parseInt(row[pmt].replace(".", "")), "ordinal " + ordinal);
            }
            long inRange = rows.stream().filter(row -> between(row[pmt], 2_000, 3_200)).count();
            assertEquals(s.pmt().range().betweenCardinality(2_000, 3_200), inRange);
        }
    }

    @Test
    void flagColumnsShouldCountAsManyRowsAsTheirBitmaps() throws Exception {
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK)) {
            for (String[] flag : new String[][] {{"disabled_member", "disabled_member=yes"}, {"widow", "widow=yes"},
                {"land_owned", "land_owned=yes"}, {"disability_visual", "disability=visual"},
                {"asset_refrigerator", "asset=refrigerator"}, {"programme_uct", "programme=uct"}}) {
                int c = col(flag[0]);
                long set = rows.stream().filter(row -> row[c].equals("t")).count();
                long bitmap = s.bitmaps().get(flag[1]).getLongCardinality();
                assertTrue(bitmap > 0 && bitmap < HOUSEHOLDS, flag[1] + " cardinality=" + bitmap);
                assertEquals(bitmap, set, flag[0]);
            }
        }
    }

    /** A CSV column and the bitmap it stands for: {@code name} for a t/f column, {@code name + value} otherwise. */
    private record Column(int index, String bitmapName, boolean bool) {
        String bitmapOf(String field) {
            if (!bool) {
                return bitmapName + field;
            }
            assertTrue(field.equals("t") || field.equals("f"), bitmapName + " field=" + field);
            return field.equals("t") ? bitmapName : null;
        }
    }

    @Test
    void everyDimensionAndGeographyColumnShouldHoldExactlyItsBitmap() throws Exception {
        List<Column> columns = new ArrayList<>();
        for (GeoLevel l : GeoLevel.values()) {
            columns.add(new Column(col(l.key()), l.key() + "=", false));
        }
        for (Dimension d : Dimensions.ALL) {
            if (!d.multiValued()) {
                columns.add(new Column(col(d.key()), d.key() + "=", false));
            } else {
                for (String v : d.values()) {
                    String name = HouseholdColumns.isFlag(d) ? d.key() : d.key() + "_" + v;
                    columns.add(new Column(col(name), d.bitmapName(v), true));
                }
            }
        }
        assertEquals(header.size() - 3, columns.size(), "every column but ordinal, household_id and pmt");
        assertEquals(35, columns.stream().filter(Column::bool).count(), "t/f columns");
        Map<String, RoaringBitmap> fromCsv = new HashMap<>();
        for (int ordinal = 0; ordinal < rows.size(); ordinal++) {
            String[] row = rows.get(ordinal);
            for (Column c : columns) {
                String name = c.bitmapOf(row[c.index()]);
                if (name != null) {
                    fromCsv.computeIfAbsent(name, n -> new RoaringBitmap()).add(ordinal);
                }
            }
        }
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK)) {
            int checked = 0;
            // the member slices are counts over a household's members, not columns (MemberSlicesStatsTest checks
            // them against the records); the Basic sample is drawn, not exported
            Set<String> notColumns = new HashSet<>(MemberSlices.allNames());
            notColumns.add("sample=basic");
            for (Map.Entry<String, ImmutableRoaringBitmap> e : s.bitmaps().all().entrySet()) {
                if (!notColumns.contains(e.getKey())) {
                    RoaringBitmap stored = e.getValue().toRoaringBitmap();
                    RoaringBitmap csv = fromCsv.getOrDefault(e.getKey(), new RoaringBitmap());
                    assertTrue(stored.equals(csv), () -> e.getKey() + ": bitmap has " + stored.getCardinality()
                            + " households, the CSV " + csv.getCardinality() + ", "
                            + RoaringBitmap.xorCardinality(stored, csv) + " differ");
                    checked++;
                }
            }
            assertTrue(checked > 67 + 5000, "bitmaps checked=" + checked);
            assertTrue(s.bitmaps().all().keySet().containsAll(fromCsv.keySet()), "a CSV value with no bitmap");
        }
    }

    @Test
    void theComparisonQueryShouldCountAsTheBitmapsDo() throws Exception {
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK)) {
            GeoUnit largest = null;
            long best = -1;
            for (GeoUnit u : s.geography().units(GeoLevel.DISTRICT)) {
                long n = s.bitmaps().get(HouseholdIndexer.geoName(GeoLevel.DISTRICT, u.code())).getLongCardinality();
                if (n > best) {
                    best = n;
                    largest = u;
                }
            }
            RoaringBitmap context = ImmutableRoaringBitmap.and(
                    s.bitmaps().get(HouseholdIndexer.geoName(GeoLevel.DISTRICT, largest.code())),
                    s.bitmaps().get("disabled_member=yes")).toRoaringBitmap();
            RoaringBitmap hits = s.pmt().range().between(2_000, 3_200, context);
            String district = Integer.toString(largest.code());
            int pmt = col("pmt");
            int dist = col("district");
            int disabled = col("disabled_member");
            RoaringBitmap fromCsv = new RoaringBitmap();
            for (int ordinal = 0; ordinal < rows.size(); ordinal++) {
                String[] row = rows.get(ordinal);
                if (between(row[pmt], 2_000, 3_200) && row[dist].equals(district) && row[disabled].equals("t")) {
                    fromCsv.add(ordinal);
                }
            }
            assertTrue(hits.getCardinality() > 10, "hits=" + hits.getCardinality());
            assertEquals(hits.getCardinality(), fromCsv.getCardinality());
            assertTrue(hits.equals(fromCsv), "the same count but other households");
        }
    }

    @Test
    void scoresShouldHaveTwoDecimals() {
        Map<Integer, String> expected = Map.of(0, "0.00", 5, "0.05", 10, "0.10", 3175, "31.75", 3200, "32.00",
                10_000, "100.00");
        expected.forEach((hundredths, text) -> {
            StringBuilder sb = new StringBuilder("x");
            HouseholdColumns.appendScore(sb, hundredths);
            assertEquals("x" + text, sb.toString());
        });
    }

    private static boolean between(String score, int lo, int hi) {
        int h = Integer.parseInt(score.replace(".", ""));
        return h >= lo && h <= hi;
    }
}
