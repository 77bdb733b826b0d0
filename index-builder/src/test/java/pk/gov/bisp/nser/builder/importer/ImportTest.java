package pk.gov.bisp.nser.builder.importer;

import pk.gov.bisp.nser.core.json.HouseholdJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.builder.CliRun;
import pk.gov.bisp.nser.builder.TestRegistries;
import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

class ImportTest {

    @TempDir
    Path tmp;

    /** The first {@code n} households of the shared 200k registry as NDJSON lines. */
    private static List<String> ndjson(int n) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Snapshot s = Snapshot.open(TestRegistries.generated(200_000, 1), Snapshot.Verify.QUICK)) {
            s.households().scan(n, (r, o) -> lines.add(HouseholdJson.toJson(HouseholdCodec.decode(r, s.dictionary()))
                    .toString()));
        }
        return lines;
    }

    @Test
    void ndjsonImportShouldRebuildTheSameHouseholds() throws Exception {
        List<String> lines = ndjson(500);
        Path in = Files.write(tmp.resolve("in.ndjson"), lines);
        CliRun run = CliRun.of("import", "--format", "ndjson", in.toString(), "--out", tmp.resolve("snap").toString(),
                "--keep-scores");
        assertEquals(0, run.exit(), run.err());
        try (Snapshot s = Snapshot.open(tmp.resolve("snap"), Snapshot.Verify.FULL);
             Snapshot orig = Snapshot.open(TestRegistries.generated(200_000, 1), Snapshot.Verify.QUICK)) {
            assertEquals(500, s.householdCount());
            assertEquals("imported", s.manifest().pmtModelName());
            assertEquals(0, s.manifest().pmtModelVersion());
            HouseholdRecord a = new HouseholdRecord();
            HouseholdRecord b = new HouseholdRecord();
            for (int o = 0; o < 500; o++) {
                orig.read(o, a);
                s.read(s.householdIds().ordinalOf(a.householdId()), b);
                Household expected = HouseholdCodec.decode(a, orig.dictionary());
                assertEquals(expected.withPmt(expected.pmtHundredths(), 0), HouseholdCodec.decode(b, s.dictionary()));
            }
        }
    }

    @Test
    void rescoringImportShouldComputeTheModelScore() throws Exception {
        Path in = Files.write(tmp.resolve("in.ndjson"), ndjson(50));
        assertEquals(0, CliRun.of("import", "--format", "ndjson", in.toString(), "--out", tmp.resolve("snap").toString())
                .exit());
        try (Snapshot s = Snapshot.open(tmp.resolve("snap"), Snapshot.Verify.QUICK);
             Snapshot orig = Snapshot.open(TestRegistries.generated(200_000, 1), Snapshot.Verify.QUICK)) {
            HouseholdRecord a = new HouseholdRecord();
            HouseholdRecord b = new HouseholdRecord();
            orig.read(3, a);
            s.read(s.householdIds().ordinalOf(a.householdId()), b);
            assertEquals(a.pmtHundredths(), b.pmtHundredths());
            assertEquals(1, b.pmtModelVersion());
        }
    }

    @Test
    void badRowsShouldBeReportedWithLineNumbersAndPublishNoSnapshot() throws Exception {
        List<String> lines = new ArrayList<>(ndjson(6));
        lines.set(1, lines.get(1).replaceFirst("\"cnic\":\"[0-9-]+\"", "\"cnic\":\"35202-12345X7-1\""));
        lines.set(3, lines.get(3).replaceFirst("\"toilet\":\"[a-z_]+\"", "\"toilet\":\"bucket\""));
        lines.set(4, lines.get(4).replaceFirst("\"survey_date\":\"[0-9-]+\",", ""));
        lines.set(5, "{not json");
        Path in = Files.write(tmp.resolve("in.ndjson"), lines);
        Path out = tmp.resolve("snap");
        CliRun run = CliRun.of("import", "--format", "ndjson", in.toString(), "--out", out.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("in.ndjson:2: members[0].cnic: CNIC '35202-12345X7-1' has a character"),
                run.err());
        assertTrue(run.err().contains("in.ndjson:4: toilet: unknown ToiletType 'bucket'; valid: formal_latrine"),
                run.err());
        assertTrue(run.err().contains("in.ndjson:5: survey_date: missing"), run.err());
        assertTrue(run.err().contains("in.ndjson:6: not valid JSON"), run.err());
        assertTrue(run.err().contains("4 invalid household(s); no snapshot written"), run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void valuesTheRecordCannotHoldShouldBeFieldErrors() throws Exception {
        List<String> lines = new ArrayList<>(ndjson(3));
        lines.set(0, lines.get(0).replaceFirst("\"survey_date\":\"[0-9-]+\"", "\"survey_date\":\"1999-12-31\""));
        lines.set(1, lines.get(1).replaceFirst("\"address\":\"[^\"]*\"", "\"address\":\"" + "ی".repeat(200) + "\""));
        lines.set(2, lines.get(2).replaceFirst("\"date_of_birth\":\"[0-9-]+\"", "\"date_of_birth\":\"2080-01-01\""));
        Path in = Files.write(tmp.resolve("in.ndjson"), lines);
        CliRun run = CliRun.of("import", "--format", "ndjson", in.toString(), "--out", tmp.resolve("snap").toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("in.ndjson:1: survey_date: 1999-12-31 is outside 2000-01-01..2179-06-06"),
                run.err());
        assertTrue(run.err().contains("in.ndjson:2: address: 400 bytes of UTF-8; at most 255"), run.err());
        assertTrue(run.err().contains("in.ndjson:3: members[0].date_of_birth: 2080-01-01 is outside"), run.err());
    }

    @Test
    void skipInvalidShouldBuildFromTheValidRowsAndCountTheRest() throws Exception {
        List<String> lines = new ArrayList<>(ndjson(5));
        lines.set(2, lines.get(2).replaceFirst("\"gender\":\"[a-z]+\"", "\"gender\":\"x\""));
        Path in = Files.write(tmp.resolve("in.ndjson"), lines);
        CliRun run = CliRun.of("import", "--format", "ndjson", in.toString(), "--out", tmp.resolve("snap").toString(),
                "--skip-invalid");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("skipped 1 invalid household(s)"), run.err());
        try (Snapshot s = Snapshot.open(tmp.resolve("snap"), Snapshot.Verify.QUICK)) {
            assertEquals(4, s.householdCount());
        }
    }

    @Test
    void aCnicInTwoHouseholdsShouldBeAnError() throws Exception {
        List<String> lines = new ArrayList<>(ndjson(3));
        String firstCnic = lines.get(0).replaceFirst(".*?\"cnic\":\"([0-9-]+)\".*", "$1");
        lines.set(2, lines.get(2).replaceFirst("\"cnic\":\"[0-9-]+\"", "\"cnic\":\"" + firstCnic + "\""));
        Path in = Files.write(tmp.resolve("in.ndjson"), lines);
        CliRun run = CliRun.of("import", "--format", "ndjson", in.toString(), "--out", tmp.resolve("snap").toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("in.ndjson:3: cnic: " + firstCnic + " already belongs to the household at "
                + in + ":1"),
                run.err());
    }

    @Test
    void csvImportShouldMatchTheNdjsonImport() throws Exception {
        List<String> lines = ndjson(40);
        String csv = String.join(",", CsvHouseholds.HOUSEHOLD_COLUMNS) + "," + String.join(",",
                CsvHouseholds.MEMBER_COLUMNS) + "\n" + CsvRowsForTest.rows(lines);
        Path in = Files.writeString(tmp.resolve("in.csv"), csv.toString());
        CliRun run = CliRun.of("import", "--format", "csv", in.toString(), "--out", tmp.resolve("csv").toString(),
                "--keep-scores");
        assertEquals(0, run.exit(), run.err());
        Path nd = Files.write(tmp.resolve("in.ndjson"), lines);
        assertEquals(0, CliRun.of("import", "--format", "ndjson", nd.toString(), "--out", tmp.resolve("nd").toString(),
                "--keep-scores").exit());
        try (Snapshot a = Snapshot.open(tmp.resolve("csv"), Snapshot.Verify.QUICK);
             Snapshot b = Snapshot.open(tmp.resolve("nd"), Snapshot.Verify.QUICK)) {
            assertEquals(40, a.householdCount());
            HouseholdRecord ra = new HouseholdRecord();
            HouseholdRecord rb = new HouseholdRecord();
            for (int o = 0; o < 40; o++) {
                a.read(o, ra);
                b.read(o, rb);
                assertEquals(HouseholdCodec.decode(rb, b.dictionary()), HouseholdCodec.decode(ra, a.dictionary()));
            }
        }
    }

    @Test
    void aBadCsvRowShouldDropItsWholeHouseholdNotKeepAPartOfIt() throws Exception {
        List<String> lines = ndjson(3);
        StringBuilder csv = new StringBuilder(String.join(",", CsvHouseholds.HOUSEHOLD_COLUMNS) + ","
                + String.join(",", CsvHouseholds.MEMBER_COLUMNS) + "\n");
        int badLine = -1;
        int line = 1;
        for (int h = 0; h < lines.size(); h++) {
            var json = HouseholdJson.JSON.readTree(lines.get(h));
            int m = 0;
            for (var member : json.get("members")) {
                line++;
                List<String> cells = new ArrayList<>();
                for (String c : CsvHouseholds.HOUSEHOLD_COLUMNS) {
                    cells.add(CsvRowsForTest.cell(json, c));
                }
                for (String c : CsvHouseholds.MEMBER_COLUMNS) {
                    cells.add(CsvRowsForTest.quote(member.get(c).asText()));
                }
                String row = String.join(",", cells);
                if (h == 1 && m == 1) {
                    row = row + ",extra";
                    badLine = line;
                }
                csv.append(row).append('\n');
                m++;
            }
        }
        Path in = Files.writeString(tmp.resolve("in.csv"), csv.toString());
        CliRun run = CliRun.of("import", "--format", "csv", in.toString(), "--out", tmp.resolve("snap").toString(),
                "--skip-invalid", "--keep-scores");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("in.csv:" + badLine + ": has "), run.err());
        assertTrue(run.err().contains("skipped 1 invalid household(s)"), run.err());
        try (Snapshot s = Snapshot.open(tmp.resolve("snap"), Snapshot.Verify.QUICK)) {
            assertEquals(2, s.householdCount(), "the broken household is dropped whole");
            long secondId = HouseholdJson.JSON.readTree(lines.get(1)).get("household_id").asLong();
            assertEquals(-1, s.householdIds().ordinalOf(secondId));
        }
    }

    @Test
    void phonesWithALeadingZeroAndHugeNumbersShouldBeFieldErrors() throws Exception {
        List<String> lines = new ArrayList<>(ndjson(2));
        lines.set(0, lines.get(0).replaceFirst("\"phone\":\"[0-9]*\"", "\"phone\":\"03001234567\""));
        lines.set(1, lines.get(1).replaceFirst("\"rooms\":[0-9]+", "\"rooms\":18446744073709551618"));
        Path in = Files.write(tmp.resolve("in.ndjson"), lines);
        CliRun run = CliRun.of("import", "--format", "ndjson", in.toString(), "--out", tmp.resolve("snap").toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("in.ndjson:1: phone: '03001234567' must be 10 to 15 digits in international"),
                run.err());
        assertTrue(run.err().contains("in.ndjson:2: rooms: 18446744073709551618 is outside 0..255"), run.err());
    }

    @Test
    void csvErrorsShouldNameTheLine() throws Exception {
        String header = String.join(",", CsvHouseholds.HOUSEHOLD_COLUMNS) + "," + String.join(",",
                CsvHouseholds.MEMBER_COLUMNS);
        Path in = Files.writeString(tmp.resolve("bad.csv"), header + "\n1,2,\"unterminated\n");
        CliRun run = CliRun.of("import", "--format", "csv", in.toString(), "--out", tmp.resolve("snap").toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("bad.csv:2: unterminated quoted cell"), run.err());
        Path missing = Files.writeString(tmp.resolve("missing.csv"), "household_id,name\n1,x\n");
        CliRun run2 = CliRun.of("import", "--format", "csv", missing.toString(), "--out", tmp.resolve("snap").toString());
        assertEquals(1, run2.exit());
        assertTrue(run2.err().contains("missing.csv:1: header: missing columns [union_council"), run2.err());
    }
}
