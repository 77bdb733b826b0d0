package pk.gov.bisp.nser.core.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.index.BitmapIndex;
import pk.gov.bisp.nser.core.index.BitmapIndexWriter;
import pk.gov.bisp.nser.core.index.MemberSlices;
import pk.gov.bisp.nser.core.index.PmtIndex;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.record.Households;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.stats.MemberMeasure;

/**
 * Golden files of every format version we own, committed under {@code src/test/resources/golden/v1}. Each is
 * read back and decoded, and re-encoding the same input must give the same bytes. Never disable this: a
 * failure means the on-disk format changed, which needs a new version and new golden files. The tests only read
 * them; {@code scripts/regenerate-golden-files.sh} rewrites them with {@link #main}, from the same writers.
 */
public class GoldenFilesTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/v1");
    private static final String[] FILES = {"household-edges.record", "strings.dict", "bitmaps.bin",
        "household-ids.bin", "pmt.rbm", "pmt-indicators.bin", "scores.bin", "member-slices.txt"};

    /** Rewrites every golden file of this class into the directory {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (String f : FILES) {
            Files.deleteIfExists(dir.resolve(f));
        }
        writeRecordFiles(dir);
        writeIndexFiles(dir);
        writePmtColumns(dir);
        writeMemberSlices(dir);
    }

    @TempDir
    Path tmp;

    /** The known household's record and its dictionary, as this code writes them. */
    private static void writeRecordFiles(Path dir) throws Exception {
        StringDictionary dict = StringDictionary.empty();
        byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
        int len = HouseholdCodec.encode(Households.edges(), dict, buf);
        DictionaryFile.write(dir.resolve("strings.dict"), dict);
        Files.write(dir.resolve("household-edges.record"), java.util.Arrays.copyOf(buf, len));
    }

    @Test
    void recordV1ShouldDecodeToTheKnownHousehold() throws Exception {
        Household known = Households.edges();
        writeRecordFiles(tmp);
        compare("household-edges.record");
        compare("strings.dict");

        byte[] golden = Files.readAllBytes(GOLDEN.resolve("household-edges.record"));
        StringDictionary goldenDict = DictionaryFile.read(GOLDEN.resolve("strings.dict"));
        HouseholdRecord r = new HouseholdRecord().wrap(golden, golden.length);
        assertEquals(known, HouseholdCodec.decode(r, goldenDict));
        assertEquals(RecordLayout.VERSION, golden[0]);
    }

    /** A bitmap index, a household-id index and a PMT index of known content. */
    private static void writeIndexFiles(Path tmp) throws Exception {
        BitmapIndexWriter bw = new BitmapIndexWriter();
        bw.put("house_type=kacha", RoaringBitmap.bitmapOf(0, 2, 4, 100_000));
        bw.put("province=6", RoaringBitmap.bitmapOfRange(0, 70_000));
        bw.bitmap("empty=yes");
        bw.write(tmp.resolve("bitmaps.bin"), 100_001);
        HouseholdIdIndex.write(tmp.resolve("household-ids.bin"), new long[] {30, 10, 20}, new int[] {0, 1, 2}, 3);
        PmtIndex.Writer pw = new PmtIndex.Writer();
        for (int v : new int[] {0, 3_199, 3_200, 10_000, 5_000}) {
            pw.add(v);
        }
        pw.write(tmp.resolve("pmt.rbm"));
    }

    @Test
    void indexFilesV1ShouldReadBackTheKnownContent() throws Exception {
        writeIndexFiles(tmp);
        for (String f : new String[] {"bitmaps.bin", "household-ids.bin", "pmt.rbm"}) {
            compare(f);
        }

        BitmapIndex b = BitmapIndex.open(GOLDEN.resolve("bitmaps.bin"));
        assertEquals(100_001, b.universe());
        assertEquals(4, b.get("house_type=kacha").getCardinality());
        assertEquals(70_000, b.get("province=6").getCardinality());
        assertEquals(0, b.get("empty=yes").getCardinality());
        HouseholdIdIndex ids = HouseholdIdIndex.open(GOLDEN.resolve("household-ids.bin"));
        assertEquals(1, ids.ordinalOf(10));
        assertEquals(2, ids.ordinalOf(20));
        assertEquals(0, ids.ordinalOf(30));
        assertEquals(-1, ids.ordinalOf(15));
        PmtIndex pmt = PmtIndex.open(GOLDEN.resolve("pmt.rbm"));
        assertEquals(5, pmt.universe());
        assertEquals(2, pmt.range().lteCardinality(3_199));
        assertEquals(RoaringBitmap.bitmapOf(2, 4), pmt.range().between(3_200, 9_999));
    }

    /** The PMT inputs of the two known households: the edges, and a simple one of five members. */
    private static PmtInputs[] knownInputs() {
        StringDictionary dict = StringDictionary.empty();
        byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
        PmtInputs edges = new PmtInputs().read(new HouseholdRecord().wrap(buf,
                HouseholdCodec.encode(Households.edges(), dict, buf)));
        PmtInputs simple = new PmtInputs().read(new HouseholdRecord().wrap(buf,
                HouseholdCodec.encode(Households.simple(1L, 60_010_101, 3_520_212_345_671L, 5), dict, buf)));
        return new PmtInputs[] {edges, simple};
    }

    /** The PMT indicator column and the score column of two known households. */
    private static void writePmtColumns(Path tmp) throws Exception {
        PmtInputs[] known = knownInputs();
        PmtInputs edges = known[0];
        PmtInputs simple = known[1];
        try (PmtIndicatorColumn.Writer w = PmtIndicatorColumn.Writer.create(tmp.resolve("pmt-indicators.bin"))) {
            w.append(edges);
            w.append(simple);
            w.finish(2);
        }
        ScoreColumn.write(tmp.resolve("scores.bin"), new char[] {0, 3_199, 10_000}, 3, 2);
    }

    @Test
    void pmtColumnsV1ShouldReadBackTheKnownContent() throws Exception {
        writePmtColumns(tmp);
        for (String f : new String[] {"pmt-indicators.bin", "scores.bin"}) {
            compare(f);
        }
        PmtInputs[] known = knownInputs();
        PmtInputs edges = known[0];
        PmtInputs simple = known[1];

        PmtIndicatorColumn column = PmtIndicatorColumn.open(GOLDEN.resolve("pmt-indicators.bin"));
        assertEquals(2, column.rows());
        PmtInputs read = new PmtInputs();
        column.read(0, read);
        assertArrayEquals(edges.indicators().clone(), read.indicators());
        assertEquals(7, read.province);
        assertEquals(65_535, read.marla);
        column.read(1, read);
        assertArrayEquals(simple.indicators().clone(), read.indicators());
        assertEquals(5, read.living);
        ScoreColumn scores = ScoreColumn.open(GOLDEN.resolve("scores.bin"));
        assertEquals(3, scores.rows());
        assertEquals(2, scores.modelVersion());
        assertEquals(3_199, scores.get(1));
        assertEquals(10_000, scores.get(2));
    }

    /**
     * The member slices ({@code bitmaps.bin}'s {@code members.*} bitmaps) of the two known households, one name a
     * line: the edges household, a blank line, the simple one of five members.
     */
    private static void writeMemberSlices(Path dir) throws Exception {
        StringBuilder out = new StringBuilder();
        for (Household h : new Household[] {Households.edges(), Households.simple(1L, 60_010_101, 3_520_212_345_671L,
                5)}) {
            java.util.List<String> names = new java.util.ArrayList<>();
            new MemberSlices().namesOf(record(h), names);
            out.append(String.join("\n", names)).append("\n\n");
        }
        Files.writeString(dir.resolve("member-slices.txt"), out);
    }

    private static HouseholdRecord record(Household h) {
        byte[] buf = new byte[RecordLayout.MAX_RECORD_SIZE];
        return new HouseholdRecord().wrap(buf, HouseholdCodec.encode(h, StringDictionary.empty(), buf));
    }

    @Test
    void memberSlicesV1ShouldNameTheKnownHouseholdsSlices() throws Exception {
        writeMemberSlices(tmp);
        compare("member-slices.txt");
        String[] golden = Files.readString(GOLDEN.resolve("member-slices.txt")).split("\n\n");
        assertEquals(2, golden.length, "two households");
        Household[] known = {Households.edges(), Households.simple(1L, 60_010_101, 3_520_212_345_671L, 5)};
        for (int h = 0; h < known.length; h++) {
            java.util.Set<String> names = java.util.Set.of(golden[h].split("\n"));
            HouseholdRecord r = record(known[h]);
            int living = 0;
            for (int i = 0; i < r.memberCount(); i++) {
                living += r.deceased(i) ? 0 : 1;
            }
            assertEquals(living, value(names, "members.living"), "living members");
            for (MemberMeasure m : MemberMeasure.values()) {
                for (Gender g : new Gender[] {null, Gender.MALE, Gender.FEMALE, Gender.TRANSGENDER}) {
                    long[] acc = new long[2];
                    m.add(r, g, acc);
                    String family = "members." + m.key() + "." + (g == null ? "all" : g.key());
                    assertEquals(acc[0], value(names, family + ".base"), family);
                    assertEquals(acc[1], value(names, family + ".count"), family);
                }
            }
        }
    }

    /** The value the slices {@code family=b<i>} in {@code names} encode: the sum of 2^i. */
    private static long value(java.util.Set<String> names, String family) {
        long v = 0;
        for (int b = 0; b < MemberSlices.BITS; b++) {
            v += names.contains(family + "=b" + b) ? 1L << b : 0;
        }
        return v;
    }

    /** The file {@code name} as written into the test's directory equals the committed golden file. */
    private void compare(String name) throws Exception {
        assertArrayEquals(Files.readAllBytes(GOLDEN.resolve(name)), Files.readAllBytes(tmp.resolve(name)),
                name + ": encoding changed; the v1 format must not change");
    }
}
