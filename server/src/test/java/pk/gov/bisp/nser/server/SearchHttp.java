package pk.gov.bisp.nser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Calls to {@code /v1/households} and {@code /count}, and readers for the JSON, NDJSON and CSV rows they send. */
public final class SearchHttp {

    public static final String LIST = "/v1/households";
    /** A CNIC as 13 digits or in its dashed 5-7-1 form, standing alone (not inside a longer word or number). */
    public static final Pattern CNIC_LIKE = Pattern.compile(
            "(?<![0-9A-Za-z])([0-9]{13}|[0-9]{5}-[0-9]{7}-[0-9])(?![0-9A-Za-z])");

    private SearchHttp() {
    }

    /** {@code path?a&b}, skipping empty parts. */
    public static String path(String path, String... parts) {
        StringBuilder b = new StringBuilder(path);
        for (String p : parts) {
            if (p != null && !p.isEmpty()) {
                b.append(b.indexOf("?") < 0 ? '?' : '&').append(p);
            }
        }
        return b.toString();
    }

    public static long count(NserServer s, String role, String filter) throws Exception {
        HttpResponse<String> r = TestServer.get(s, path(LIST + "/count", filter), TestServer.key(role));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = TestServer.json(r);
        assertEquals(1, j.size(), "count body: " + j);
        return j.get("count").asLong();
    }

    public static HttpResponse<String> list(NserServer s, String role, String... parts) throws Exception {
        return TestServer.get(s, path(LIST, parts), TestServer.key(role));
    }

    /** The rows of a 200 NDJSON response, one object per line, the last line ended too. */
    public static List<JsonNode> ndjson(HttpResponse<String> r) throws IOException {
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/x-ndjson", r.headers().firstValue("Content-Type").orElse(""));
        String body = r.body();
        List<JsonNode> out = new ArrayList<>();
        if (body.isEmpty()) {
            return out;
        }
        assertTrue(body.endsWith("\n"), "NDJSON ends with a newline");
        for (String line : body.substring(0, body.length() - 1).split("\n", -1)) {
            JsonNode row = TestServer.JSON.readTree(line);
            assertTrue(row.isObject(), "one object per line: " + line);
            out.add(row);
        }
        return out;
    }

    /** The NDJSON rows of every matching household, in one response. */
    public static List<JsonNode> stream(NserServer s, String role, String filter) throws Exception {
        return ndjson(list(s, role, filter, "format=ndjson"));
    }

    /** The identity of a list row: the household id, or Basic's pseudonym. */
    public static String rowId(JsonNode row) {
        JsonNode id = row.has("household_id") ? row.get("household_id") : row.get("id");
        assertNotNull(id, "row without household_id or id: " + row);
        return id.asText();
    }

    public static List<String> rowIds(List<JsonNode> rows) {
        return rows.stream().map(SearchHttp::rowId).toList();
    }

    /** The records of an RFC 4180 document (CRLF line ends, quoted cells), header first. */
    public static List<List<String>> csv(String body) {
        List<List<String>> out = new ArrayList<>();
        List<String> rec = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < body.length() && body.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                rec.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r' && i + 1 < body.length() && body.charAt(i + 1) == '\n') {
                rec.add(cell.toString());
                cell.setLength(0);
                out.add(rec);
                rec = new ArrayList<>();
                i++;
            } else {
                assertFalse(c == '\n' || c == '\r', "a bare line break outside quotes at " + i);
                cell.append(c);
            }
        }
        assertFalse(quoted, "unterminated quoted cell");
        assertTrue(rec.isEmpty() && cell.length() == 0, "the last CSV line ends with CRLF");
        return out;
    }

    /**
     * Follows the cursor from the first page to the last with {@code limit} rows a page, and returns the row ids
     * in the order received. Each full page but the last carries a cursor (in the {@code Next-Cursor} header and,
     * for JSON, in {@code next_cursor}); the last page carries none.
     */
    public static List<String> pageThrough(NserServer s, String role, String filter, String format, int limit,
                                    long expectedRows) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        long pages = expectedRows / limit + 2;
        do {
            HttpResponse<String> r = list(s, role, filter, "format=" + format, "limit=" + limit,
                    cursor == null ? null : "cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            assertEquals(200, r.statusCode(), r.body());
            Optional<String> header = r.headers().firstValue("Next-Cursor");
            List<String> page = switch (format) {
                case "json" -> {
                    JsonNode j = TestServer.json(r);
                    assertEquals(header.orElse(null), j.get("next_cursor").isNull() ? null
                            : j.get("next_cursor").asText(), "next_cursor and the Next-Cursor header");
                    List<JsonNode> rows = new ArrayList<>();
                    j.get("items").forEach(rows::add);
                    yield rowIds(rows);
                }
                case "ndjson" -> rowIds(ndjson(r));
                case "csv" -> {
                    List<List<String>> recs = csv(r.body());
                    yield recs.subList(1, recs.size()).stream().map(rec -> rec.get(0)).toList();
                }
                default -> throw new IllegalArgumentException(format);
            };
            cursor = header.orElse(null);
            if (cursor != null) {
                assertEquals(limit, page.size(), "a page with a next cursor is full");
            } else {
                assertTrue(page.size() <= limit && (page.size() > 0 || expectedRows == 0),
                        "last page holds 1.." + limit + " rows, got " + page.size());
            }
            ids.addAll(page);
            assertTrue(--pages >= 0, "more pages than " + expectedRows + " rows need");
        } while (cursor != null);
        return ids;
    }

    /** Every field name of an object (not of its children). */
    public static TreeSet<String> fields(JsonNode n) {
        assertTrue(n != null && n.isObject(), "an object: " + n);
        TreeSet<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Every field name at any depth. */
    public static TreeSet<String> allFields(JsonNode n) {
        TreeSet<String> out = new TreeSet<>();
        collect(n, out);
        return out;
    }

    private static void collect(JsonNode n, TreeSet<String> out) {
        if (n.isObject()) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                out.add(k);
                collect(n.get(k), out);
            }
        } else if (n.isArray()) {
            n.forEach(c -> collect(c, out));
        }
    }

    /** Fails when any value at any depth, string or number, looks like a CNIC. */
    public static void assertNoCnicLikeValue(JsonNode n, String where) {
        if (n.isContainerNode()) {
            n.forEach(c -> assertNoCnicLikeValue(c, where));
        } else if (n.isValueNode()) {
            assertFalse(CNIC_LIKE.matcher(n.asText()).find(), where + " holds a CNIC-like value " + n);
        }
    }

    /** The value of a Prometheus sample without labels. */
    public static long metric(NserServer s, String name) throws Exception {
        HttpResponse<String> r = TestServer.get(s, "/metrics");
        assertEquals(200, r.statusCode(), r.body());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no metric " + name + " in /metrics");
    }
}
