package pk.gov.bisp.nser.builder.importer;

import java.util.List;

/**
 * One household as read from an input, before it is parsed: its original lines (one NDJSON line, or its CSV member
 * rows), where it starts, and its position in the whole import ({@code seq}, counting from 0 across every input).
 *
 * @param seq    position in the import: households are kept in (union council, seq) order
 * @param file   index of its input
 * @param line   the line it starts on (1-based, physical lines of the input)
 * @param json   its NDJSON line's bytes, UTF-8 (null for CSV)
 * @param csv    its original CSV rows, as read (null for NDJSON)
 * @param rows   its CSV rows split into cells (null for NDJSON)
 * @param layout its CSV file's header (null for NDJSON)
 * @param error  why it cannot be read at all (a CSV row that cannot be split, a bad header), else null
 */
record Unit(long seq, int file, int line, byte[] json, List<String> csv, List<List<String>> rows,
            CsvHouseholds.Layout layout, String error) {

    /** Its original lines. */
    List<String> lines() {
        return json != null ? List.of(new String(json, java.nio.charset.StandardCharsets.UTF_8)) : csv;
    }
}
