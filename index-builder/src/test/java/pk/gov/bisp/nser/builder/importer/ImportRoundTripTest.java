package pk.gov.bisp.nser.builder.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.builder.CliRun;
import pk.gov.bisp.nser.builder.TestRegistries;
import pk.gov.bisp.nser.builder.cli.Main;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.snapshot.Manifest;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * Issue 24: {@code export} then {@code import --keep-scores} of 200,000 households gives the registry back, in a
 * child JVM whose heap (-Xmx256m) is a fraction of the input (about 450 MB of NDJSON): the same households, members
 * and ids, the same stats table, every household equal, and the index files byte for byte. The households map, CNIC
 * index and dictionary files differ in bytes: parsing on every core adds names to the dictionary in the order the
 * threads meet them, so a record's name ids differ while its names do not.
 */
class ImportRoundTripTest {

    private static final int HOUSEHOLDS = 200_000;
    /** Files that must come back byte for byte. */
    private static final Set<String> SAME_BYTES = Set.of("bitmaps.bin", "pmt.rbm", "household-ids.bin",
            "geography.json", "pmt-indicators.bin");

    @TempDir
    Path tmp;

    @Test
    void exportThenImportShouldGiveTheSameRegistryInASmallHeap() throws Exception {
        Path original = TestRegistries.generated(HOUSEHOLDS, 1);
        Path ndjson = tmp.resolve("registry.ndjson");
        assertEquals(0, child("-Xmx1g", ndjson, "export", original.toString()), "export");
        assertTrue(Files.size(ndjson) > 256L << 20, "the input outgrows the import's heap: " + Files.size(ndjson));
        Path imported = tmp.resolve("imported");
        assertEquals(0, child("-Xmx256m", tmp.resolve("import.log"), "import", "--format", "ndjson",
                ndjson.toString(), "--out", imported.toString(), "--keep-scores", "--as-of", "2026-07-01"),
                Files.readString(tmp.resolve("import.log")));
        try (Snapshot a = Snapshot.open(original, Snapshot.Verify.QUICK);
             Snapshot b = Snapshot.open(imported, Snapshot.Verify.FULL)) {
            Manifest ma = a.manifest();
            Manifest mb = b.manifest();
            assertEquals(HOUSEHOLDS, mb.households());
            assertEquals(ma.members(), mb.members());
            assertEquals(ma.ids(), mb.ids());
            HouseholdRecord ra = new HouseholdRecord();
            HouseholdRecord rb = new HouseholdRecord();
            for (int o = 0; o < HOUSEHOLDS; o++) {
                a.read(o, ra);
                b.read(o, rb); // the same ordinal: export order is (union council, ordinal)
                Household expected = HouseholdCodec.decode(ra, a.dictionary());
                assertEquals(expected.withPmt(expected.pmtHundredths(), 0), HouseholdCodec.decode(rb, b.dictionary()),
                        "household at ordinal " + o);
            }
            Set<String> same = new TreeSet<>();
            for (String f : mb.files().keySet()) {
                if (ma.files().containsKey(f) && ma.files().get(f).equals(mb.files().get(f))) {
                    same.add(f);
                }
            }
            assertTrue(same.containsAll(SAME_BYTES), "byte-identical: " + same);
        }
        assertEquals(stats(original), stats(imported), "the stats table");
        interruptedImportShouldLeaveNothing(ndjson);
    }

    /** Killed (SIGTERM, as Ctrl-C or a service stop) while it reads, an import leaves nothing beside --out. */
    private void interruptedImportShouldLeaveNothing(Path ndjson) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("interrupted"));
        Process p = start("-Xmx256m", tmp.resolve("interrupted.log"), "import", "--format", "ndjson",
                ndjson.toString(), "--out", dir.resolve("snap").toString(), "--keep-scores");
        while (p.isAlive() && !Files.readString(tmp.resolve("interrupted.log")).contains("read + parse")) {
            Thread.sleep(50); // until it is reading: its temporary directory exists
        }
        try (var listing = Files.list(dir)) {
            assertTrue(listing.anyMatch(f -> f.getFileName().toString().startsWith(".snap.import-")),
                    "the import had started");
        }
        p.destroy();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the import stopped");
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(), listing.toList(), "left behind by an interrupted import");
        }
    }

    private static List<String> stats(Path snapshot) {
        CliRun run = CliRun.of("stats", snapshot.toString());
        assertEquals(0, run.exit(), run.err());
        return run.out().lines().filter(l -> !l.contains(snapshot.toString())).toList();
    }

    /** Runs the index builder in a child JVM with {@code heap}, its output to {@code out}; returns its exit code. */
    private static int child(String heap, Path out, String... args) throws Exception {
        return start(heap, out, args).waitFor();
    }

    private static Process start(String heap, Path out, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(heap);
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Dchronicle")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile());
        pb.redirectError(args[0].equals("export") ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.to(
                out.toFile()));
        return pb.start();
    }
}
