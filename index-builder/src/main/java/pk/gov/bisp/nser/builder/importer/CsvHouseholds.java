package pk.gov.bisp.nser.builder.importer;

import pk.gov.bisp.nser.core.json.HouseholdJson;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the CSV import format: a header row, then one row per member with the household's columns repeated;
 * the rows of one household are consecutive (same {@code household_id}). Each household becomes the same JSON
 * object an NDJSON line holds, so both formats share one validation.
 */
final class CsvHouseholds {

    static final List<String> HOUSEHOLD_COLUMNS = List.of("household_id", "union_council", "village", "address",
            "latitude", "longitude", "survey_date", "survey_source", "house_type", "rooms", "toilet", "water",
            "electricity", "gas", "assets", "livestock_cow", "livestock_goat", "livestock_buffalo", "livestock_bullock",
            "livestock_lamb", "land_muraba", "land_acre", "land_kanal", "land_marla", "phone", "programmes",
            "pmt_score");
    static final List<String> MEMBER_COLUMNS = List.of("cnic", "name", "guardian_name", "gender", "date_of_birth",
            "relationship", "marital_status", "disability", "education", "literate", "school_status", "employment",
            "chronic_disease", "deceased");

    private CsvHouseholds() {
    }

    /** A CSV file's header: its columns, by name, checked for the required ones. */
    record Layout(List<String> header, Map<String, Integer> col) {

        /** Where the household id is. */
        int idColumn() {
            return col.get("household_id");
        }
    }

    /** Reads a header line; a missing column or a bad line is a {@link RowException} naming it. */
    static Layout layout(String headerLine) throws RowException {
        List<String> header;
        try {
            header = split(stripBom(headerLine));
        } catch (RowException e) {
            throw new RowException("header: " + e.getMessage());
        }
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            col.put(header.get(i).trim(), i);
        }
        List<String> missing = new ArrayList<>();
        for (String c : HOUSEHOLD_COLUMNS) {
            if (!c.equals("pmt_score") && !col.containsKey(c)) {
                missing.add(c);
            }
        }
        for (String c : MEMBER_COLUMNS) {
            if (!col.containsKey(c)) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty()) {
            throw new RowException("header: missing columns " + missing);
        }
        return new Layout(List.copyOf(header), Map.copyOf(col));
    }

    /** The cells of one row, checked against the header's width. */
    static List<String> cells(String line, Layout layout) throws RowException {
        List<String> cells = split(line);
        if (cells.size() != layout.header().size()) {
            throw new RowException("has " + cells.size() + " columns; the header has " + layout.header().size());
        }
        return cells;
    }

    /** The household id of a row that could not be split: the cell a plain comma split finds, or null. */
    static String roughId(String line, Layout layout) {
        String[] rough = line.split(",", -1);
        return layout.idColumn() < rough.length ? rough[layout.idColumn()] : null;
    }

    /** One household's JSON from its member rows (already split). */
    static ObjectNode household(List<List<String>> rows, Layout layout) {
        ObjectNode h = household(rows.get(0), layout.col());
        ArrayNode members = (ArrayNode) h.get("members");
        for (List<String> cells : rows) {
            ObjectNode m = members.addObject();
            for (String c : MEMBER_COLUMNS) {
                m.put(c, cells.get(layout.col().get(c)));
            }
        }
        return h;
    }

    private static ObjectNode household(List<String> cells, Map<String, Integer> col) {
        ObjectNode h = HouseholdJson.JSON.createObjectNode();
        for (String c : HOUSEHOLD_COLUMNS) {
            Integer i = col.get(c);
            String v = i == null ? "" : cells.get(i);
            if (c.startsWith("livestock_") || c.startsWith("land_")) {
                String group = c.startsWith("land_") ? "land" : "livestock";
                if (!v.isEmpty()) {
                    ObjectNode g = h.has(group) ? (ObjectNode) h.get(group) : h.putObject(group);
                    g.put(c.substring(group.length() + 1), v);
                }
            } else if (c.equals("assets") || c.equals("programmes")) {
                ArrayNode a = h.putArray(c);
                for (String s : v.split(";")) {
                    if (!s.isBlank()) {
                        a.add(s.trim());
                    }
                }
            } else if (c.equals("pmt_score")) {
                if (!v.isEmpty()) {
                    try {
                        h.put(c, Double.parseDouble(v));
                    } catch (NumberFormatException e) {
                        h.put(c, v);
                    }
                }
            } else {
                h.put(c, v);
            }
        }
        h.putArray("members");
        return h;
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** A cell as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
    static String quote(String cell) {
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")
                ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }

    /** Splits one RFC 4180 line: commas, double-quoted cells with "" for a quote. */
    static List<String> split(String line) throws RowException {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && cell.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new RowException("unterminated quoted cell (a cell may not span lines)");
        }
        cells.add(cell.toString());
        return cells;
    }
}
