package pk.gov.bisp.nser.builder.importer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import pk.gov.bisp.nser.core.json.HouseholdJson;

/** NDJSON households written as the CSV import format's rows (one per member, household columns repeated). */
final class CsvRowsForTest {

    private CsvRowsForTest() {
    }

    /** The rows of these households, without the header, each ended by a newline. */
    static String rows(List<String> ndjson) throws Exception {
        StringBuilder csv = new StringBuilder();
        for (String line : ndjson) {
            JsonNode h = HouseholdJson.JSON.readTree(line);
            for (JsonNode m : h.get("members")) {
                List<String> cells = new ArrayList<>();
                for (String c : CsvHouseholds.HOUSEHOLD_COLUMNS) {
                    cells.add(cell(h, c));
                }
                for (String c : CsvHouseholds.MEMBER_COLUMNS) {
                    cells.add(quote(m.get(c).asText()));
                }
                csv.append(String.join(",", cells)).append('\n');
            }
        }
        return csv.toString();
    }

    static String cell(JsonNode h, String c) {
        if (c.startsWith("livestock_") || c.startsWith("land_")) {
            String group = c.startsWith("land_") ? "land" : "livestock";
            JsonNode v = h.get(group).get(c.substring(group.length() + 1));
            return v == null ? "" : v.asText();
        }
        if (c.equals("assets") || c.equals("programmes")) {
            List<String> parts = new ArrayList<>();
            h.get(c).forEach(x -> parts.add(x.asText()));
            return String.join(";", parts);
        }
        return quote(h.get(c).asText());
    }

    static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
