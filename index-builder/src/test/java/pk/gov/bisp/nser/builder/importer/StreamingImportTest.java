package pk.gov.bisp.nser.builder.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.builder.CliRun;
import pk.gov.bisp.nser.builder.TestRegistries;
import pk.gov.bisp.nser.core.json.HouseholdJson;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * Issue 24: inputs as the data team has them (several files, gzip recognised by content, standard input, comment
 * lines), duplicates across files reported with both places, a rejects file that can be fixed and imported again,
 * and nothing left behind by a failed import.
 */
class StreamingImportTest {

    @TempDir
    Path tmp;

    private static List<String> ndjson(int from, int n) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Snapshot s = Snapshot.open(TestRegistries.generated(200_000, 1), Snapshot.Verify.QUICK)) {
            s.households().scan(from + n, (r, o) -> {
                if (o >= from) {
                    lines.add(HouseholdJson.toJson(HouseholdCodec.decode(r, s.dictionary())).toString());
                }
            });
        }
        return lines;
    }

    private static void gzip(Path file, List<String> lines) throws Exception {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void severalFilesGzipByContentAndStandardInputShouldMakeOneSnapshot() throws Exception {
        List<String> all = ndjson(0, 90);
        Path a = Files.write(tmp.resolve("a.ndjson"), all.subList(0, 30));
        Path b = tmp.resolve("b.data"); // gzip without the name saying so
        gzip(b, all.subList(30, 60));
        List<String> c = new ArrayList<>(all.subList(60, 90));
        c.add(0, "# a comment line, as a rejects file has them");
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream((String.join("\n", c) + "\n").getBytes(StandardCharsets.UTF_8)));
            CliRun run = CliRun.of("import", "--format", "ndjson", a.toString(), b.toString(), "-", "--out",
                    tmp.resolve("snap").toString(), "--keep-scores");
            assertEquals(0, run.exit(), run.err());
        } finally {
            System.setIn(stdin);
        }
        try (Snapshot s = Snapshot.open(tmp.resolve("snap"), Snapshot.Verify.FULL)) {
            assertEquals(90, s.householdCount());
            for (String line : all) {
                long id = HouseholdJson.JSON.readTree(line).get("household_id").asLong();
                assertTrue(s.householdIds().ordinalOf(id) >= 0, "household " + id);
            }
        }
    }

    @Test
    void duplicatesAcrossFilesShouldNameBothPlacesAndTheRejectsFileShouldImportOnceFixed() throws Exception {
        List<String> all = ndjson(0, 40);
        List<String> first = new ArrayList<>(all.subList(0, 20));
        List<String> second = new ArrayList<>(all.subList(20, 40));
        String dupId = HouseholdJson.JSON.readTree(first.get(4)).get("household_id").asText();
        String ownId = HouseholdJson.JSON.readTree(second.get(2)).get("household_id").asText();
        second.set(2, second.get(2).replace("\"household_id\":" + ownId, "\"household_id\":" + dupId));
        String cnic = first.get(7).replaceFirst(".*?\"cnic\":\"([0-9-]+)\".*", "$1");
        second.set(5, second.get(5).replaceFirst("\"cnic\":\"[0-9-]+\"", "\"cnic\":\"" + cnic + "\""));
        second.set(8, second.get(8).replaceFirst("\"toilet\":\"[a-z_]+\"", "\"toilet\":\"bucket\""));
        Path a = Files.write(tmp.resolve("a.ndjson"), first);
        Path b = Files.write(tmp.resolve("b.ndjson"), second);
        Path rejects = tmp.resolve("rejects.ndjson");
        CliRun run = CliRun.of("import", "--format", "ndjson", a.toString(), b.toString(), "--out",
                tmp.resolve("snap").toString(), "--keep-scores", "--skip-invalid", "--rejects", rejects.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains(b + ":3: household_id: " + dupId + " already used at " + a + ":5"), run.err());
        assertTrue(run.err().contains(b + ":6: cnic: " + cnic + " already belongs to the household at " + a + ":8"),
                run.err());
        assertTrue(run.err().contains(b + ":9: toilet: unknown ToiletType 'bucket'"), run.err());
        assertTrue(run.err().contains("skipped 3 invalid household(s)"), run.err());
        try (Snapshot s = Snapshot.open(tmp.resolve("snap"), Snapshot.Verify.QUICK)) {
            assertEquals(37, s.householdCount());
        }
        // the rejects file: each household's reason as a comment, then its original line
        List<String> r = Files.readAllLines(rejects);
        assertEquals(List.of("# " + b + ":9: toilet: unknown ToiletType 'bucket'; valid: formal_latrine, "
                        + "informal_latrine, none", second.get(8), "# " + b + ":3: household_id: " + dupId
                        + " already used at " + a + ":5", second.get(2), "# " + b + ":6: cnic: " + cnic
                        + " already belongs to the household at " + a + ":8", second.get(5)),
                r.stream().map(l -> l.startsWith("# ") && l.contains("toilet") ? l.substring(0, l.indexOf(" none")
                        + 5) : l).toList());
        // fixed, it imports on its own (the comment lines are skipped)
        List<String> fixed = new ArrayList<>();
        for (String l : r) {
            fixed.add(l.replace("\"toilet\":\"bucket\"", "\"toilet\":\"none\"")
                    .replace("\"household_id\":" + dupId, "\"household_id\":" + ownId)
                    .replace("\"cnic\":\"" + cnic + "\"", "\"cnic\":\"\""));
        }
        Path again = Files.write(tmp.resolve("fixed.ndjson"), fixed);
        CliRun rerun = CliRun.of("import", "--format", "ndjson", again.toString(), "--out",
                tmp.resolve("fixed").toString(), "--keep-scores");
        assertEquals(0, rerun.exit(), rerun.err());
        try (Snapshot s = Snapshot.open(tmp.resolve("fixed"), Snapshot.Verify.QUICK)) {
            assertEquals(3, s.householdCount());
        }
    }

    @Test
    void csvRejectsShouldKeepTheHeaderAndEveryRowOfARejectedHousehold() throws Exception {
        String header = String.join(",", CsvHouseholds.HOUSEHOLD_COLUMNS) + "," + String.join(",",
                CsvHouseholds.MEMBER_COLUMNS);
        List<String> households = new ArrayList<>();
        for (String h : ndjson(0, 20)) { // one of two members or more, then another
            boolean big = HouseholdJson.JSON.readTree(h).get("members").size() >= 2;
            if (households.isEmpty() ? big : households.size() < 2) {
                households.add(h);
            }
        }
        String[] first = CsvRowsForTest.rows(households.subList(0, 1)).split("\n");
        String[] second = CsvRowsForTest.rows(households.subList(1, 2)).split("\n");
        first[1] = first[1] + ",extra"; // its second row cannot be read: the whole household is rejected
        Path in = Files.writeString(tmp.resolve("in.csv"), header + "\n" + String.join("\n", first) + "\n"
                + String.join("\n", second) + "\n");
        Path rejects = tmp.resolve("rejects.csv");
        CliRun run = CliRun.of("import", "--format", "csv", in.toString(), "--out", tmp.resolve("snap").toString(),
                "--keep-scores", "--skip-invalid", "--rejects", rejects.toString());
        assertEquals(0, run.exit(), run.err());
        List<String> r = Files.readAllLines(rejects);
        assertTrue(r.get(0).startsWith("# " + in + ":3: has 42 columns; the header has 41 (its household starts on "
                + "line 2)"), r.get(0));
        assertEquals(header, r.get(1));
        assertEquals(List.of(first), r.subList(2, r.size()), "every row of the rejected household, as it was");
        try (Snapshot s = Snapshot.open(tmp.resolve("snap"), Snapshot.Verify.QUICK)) {
            assertEquals(1, s.householdCount());
        }
    }

    @Test
    void bytesThatAreNotUtf8ShouldBeAnErrorNeverAReplacementCharacter() throws Exception {
        List<String> lines = ndjson(0, 3);
        byte[] bad = lines.get(1).replaceFirst("\"name\":\"", "\"name\":\"\u0001").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bad.length; i++) {
            if (bad[i] == 1) {
                bad[i] = (byte) 0xC3; // a lead byte followed by a quote: malformed
            }
        }
        Path in = tmp.resolve("in.ndjson");
        Files.write(in, (lines.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
        Files.write(in, bad, java.nio.file.StandardOpenOption.APPEND);
        Files.write(in, ("\n" + lines.get(2) + "\n").getBytes(StandardCharsets.UTF_8),
                java.nio.file.StandardOpenOption.APPEND);
        CliRun run = CliRun.of("import", "--format", "ndjson", in.toString(), "--out", tmp.resolve("snap").toString(),
                "--keep-scores");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains(in + ":2: not valid JSON: Invalid UTF-8"), run.err());
        String header = String.join(",", CsvHouseholds.HOUSEHOLD_COLUMNS) + "," + String.join(",",
                CsvHouseholds.MEMBER_COLUMNS) + "\n";
        Path csv = tmp.resolve("in.csv");
        Files.write(csv, (header + CsvRowsForTest.rows(lines.subList(0, 1))).getBytes(StandardCharsets.UTF_8));
        Files.write(csv, new byte[] {'1', ',', (byte) 0xC3, '\n'}, java.nio.file.StandardOpenOption.APPEND);
        CliRun csvRun = CliRun.of("import", "--format", "csv", csv.toString(), "--out",
                tmp.resolve("snap").toString(), "--keep-scores");
        assertEquals(1, csvRun.exit());
        assertTrue(csvRun.err().contains("not valid UTF-8"), csvRun.err());
        assertFalse(Files.exists(tmp.resolve("snap")));
    }

    /**
     * A full disk is one clear error naming the directory, and nothing is left. Needs a small file system of its
     * own: a 1 MB tmpfs, mounted when the test runs as root (CI does), else the test is skipped.
     */
    @Test
    void aFullDiskShouldBeOneClearErrorNamingTheDirectory() throws Exception {
        Path small = Files.createDirectories(tmp.resolve("small"));
        org.junit.jupiter.api.Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs",
                small.toString()) == 0, "cannot mount a tmpfs here (not root?)");
        try {
            Path in = Files.write(tmp.resolve("in.ndjson"), ndjson(0, 3_000)); // ~7 MB of NDJSON, ~1 MB of runs
            CliRun r = CliRun.of("import", "--format", "ndjson", in.toString(), "--out",
                    small.resolve("snap").toString(), "--keep-scores");
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().contains("no space left on the device of " + small), r.err());
            try (Stream<Path> left = Files.list(small)) {
                assertEquals(List.of(), left.toList(), "left on the full disk");
            }
        } finally {
            run("umount", small.toString());
        }
    }

    private static int run(String... cmd) throws Exception {
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    @Test
    void aFailedImportShouldLeaveNothingBehind() throws Exception {
        List<String> lines = new ArrayList<>(ndjson(0, 5));
        lines.set(3, "{not json");
        Path in = Files.write(tmp.resolve("in.ndjson"), lines);
        Path out = tmp.resolve("out").resolve("snap");
        CliRun run = CliRun.of("import", "--format", "ndjson", in.toString(), "--out", out.toString());
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains(in + ":4: not valid JSON"), run.err());
        assertFalse(Files.exists(out));
        try (Stream<Path> left = Files.list(out.getParent())) {
            assertEquals(List.of(), left.toList(), "temporary files left beside --out");
        }
        CliRun missing = CliRun.of("import", "--format", "ndjson", tmp.resolve("nope.ndjson").toString(), "--out",
                out.toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("nope.ndjson"), missing.err());
        try (Stream<Path> left = Files.list(out.getParent())) {
            assertEquals(List.of(), left.toList(), "temporary files left beside --out");
        }
    }
}
