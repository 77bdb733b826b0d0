package pk.gov.bisp.nser.builder.importer;

import pk.gov.bisp.nser.core.json.HouseholdJson;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
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

    /** One household's JSON, or the error that stopped its rows from being read; {@code line} is its first row. */
    record Group(int line, ObjectNode json, String error) {
    }

    private CsvHouseholds() {
    }

    static List<Group> read(BufferedReader in) throws IOException {
        List<Group> out = new ArrayList<>();
        String headerLine = in.readLine();
        if (headerLine == null) {
            return out;
        }
        List<String> header;
        try {
            header = split(stripBom(headerLine));
        } catch (RowException e) {
            out.add(new Group(1, null, "header: " + e.getMessage()));
            return out;
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
            out.add(new Group(1, null, "header: missing columns " + missing));
            return out;
        }
        String line;
        int lineNo = 1;
        ObjectNode current = null;
        String currentId = null;
        String poisonedId = null;
        int currentLine = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            List<String> cells;
            try {
                cells = split(line);
                if (cells.size() != header.size()) {
                    throw new RowException("has " + cells.size() + " columns; the header has " + header.size());
                }
            } catch (RowException e) {
                // the whole household is invalid: drop what was read of it and skip its remaining rows
                String[] rough = line.split(",", -1);
                int idCol = col.get("household_id");
                String badId = idCol < rough.length ? rough[idCol] : null;
                if (current != null && !currentId.equals(badId)) {
                    out.add(new Group(currentLine, current, null));
                }
                current = null;
                currentId = null;
                poisonedId = badId;
                out.add(new Group(lineNo, null, e.getMessage()));
                continue;
            }
            String id = cells.get(col.get("household_id"));
            if (id.equals(poisonedId)) {
                continue;
            }
            poisonedId = null;
            if (current == null || !id.equals(currentId)) {
                if (current != null) {
                    out.add(new Group(currentLine, current, null));
                }
                current = household(cells, col);
                currentId = id;
                currentLine = lineNo;
            }
            ObjectNode m = ((ArrayNode) current.get("members")).addObject();
            for (String c : MEMBER_COLUMNS) {
                String v = cells.get(col.get(c));
                m.put(c, v);
            }
        }
        if (current != null) {
            out.add(new Group(currentLine, current, null));
        }
        return out;
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
