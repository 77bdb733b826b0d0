package pk.gov.bisp.nser.server.dci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.json.JsonBytes;

/**
 * The byte-level mapping of a native household to the DCI Group / Member ({@link RecordStream}), and the hand-made
 * ISO 8601 check and clock of the DCI answers, against what they replace (Jackson's reading and writing,
 * {@code OffsetDateTime.parse}, {@code Instant.toString}).
 */
class RecordStreamTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String NATIVE = "{\"household_id\":\"H-1\",\"pmt_score\":31.500000,\"district\":{\"code\":"
            + "\"6001\",\"name\":\"Lahore \\\"city\\\" \\u0001\"},\"members\":[{\"cnic\":\"35202-1234567-1\",\"name\":"
            + "\"Amna \\u0628\",\"gender\":\"female\",\"date_of_birth\":\"1990-01-02\",\"age\":35,\"relation\":"
            + "\"head\",\"searched\":false,\"tags\":[\"a\",{\"b\":[1,2]}]},{\"cnic\":null,\"name\":\"Ali\",\"gender\":"
            + "null,\"age\":\"4\",\"searched\":true}],\"flags\":[],\"empty\":{},\"score_null\":null}";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String group(String nativeJson) {
        JsonBytes out = new JsonBytes(64);
        byte[] a = bytes(" " + nativeJson + " "); // at an offset, as in the writer's buffer
        new RecordStream().group(out, a, 1, a.length - 2);
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void groupMapsTheNamedFieldsAndCopiesTheRest() throws Exception {
        String expected = "{\"@type\":\"Group\",\"group_identifier\":[{\"@type\":\"Identifier\",\"identifier_type\":"
                + "\"HOUSEHOLD_ID\",\"identifier_value\":\"H-1\"}],\"poverty_score\":31.500000,\"poverty_score_type\":"
                + "\"PMT\",\"district\":{\"code\":\"6001\",\"name\":\"Lahore \\\"city\\\" \\u0001\"},\"member_list\":"
                + "[{\"@type\":\"Member\",\"member_identifier\":[{\"@type\":\"Identifier\",\"identifier_type\":\"CNIC\","
                + "\"identifier_value\":\"35202-1234567-1\"}],\"relation\":\"head\",\"searched\":false,\"tags\":[\"a\","
                + "{\"b\":[1,2]}],\"demographic_info\":{\"@type\":\"SRPerson\",\"name\":{\"@type\":\"Name\","
                + "\"given_name\":\"Amna \\u0628\"},\"sex\":\"female\",\"birth_date\":\"1990-01-02\",\"age\":35}},"
                + "{\"@type\":\"Member\",\"searched\":true,\"demographic_info\":{\"@type\":\"SRPerson\",\"name\":"
                + "{\"@type\":\"Name\",\"given_name\":\"Ali\"},\"age\":4}}],\"flags\":[],\"empty\":{},\"score_null\":null,"
                + "\"group_size\":2}";
        String got = group(NATIVE);
        assertEquals(expected, got);
        assertEquals(M.readTree(expected), M.readTree(got)); // and it is JSON
    }

    @Test
    void stringsWithEscapesAnywhereShouldBeCopiedWhole() throws Exception {
        for (int len = 0; len < 40; len++) {
            for (int at = 0; at <= len; at++) {
                String text = "x".repeat(at) + "\\\"" + "y".repeat(len - at) + "\\\\";
                String n = "{\"note\":\"" + text + "\",\"after\":1}";
                assertEquals("{\"@type\":\"Group\",\"note\":\"" + text + "\",\"after\":1}", group(n), n);
                M.readTree(group(n));
            }
        }
    }

    @Test
    void pseudonymNullsAndBasicsName() {
        assertEquals("{\"@type\":\"Group\",\"group_identifier\":[{\"@type\":\"Identifier\",\"identifier_type\":"
                + "\"PSEUDONYM\",\"identifier_value\":\"77\"}],\"band\":\"20-25\"}",
                group("{\"id\":77,\"pmt_score\":null,\"band\":\"20-25\"}"));
        assertEquals("{\"@type\":\"Group\",\"group_identifier\":[{\"@type\":\"Identifier\",\"identifier_type\":"
                + "\"HOUSEHOLD_ID\",\"identifier_value\":\"H-2\"}],\"member_list\":[{\"@type\":\"Member\","
                + "\"demographic_info\":{\"@type\":\"SRPerson\",\"name\":{\"@type\":\"Name\",\"given_name\":\"Zia\"}}}]}",
                group("{\"household_id\":\"H-2\",\"name\":\"Zia\"}"));
        assertEquals("{\"@type\":\"Group\"}", group("{\"household_id\":null,\"name\":null}"));
    }

    @Test
    void membersAllOrOnlyTheSearchedOne() throws Exception {
        RecordStream r = new RecordStream();
        byte[] a = bytes(NATIVE);
        List<String> all = r.members(a, 0, a.length);
        assertEquals(2, all.size());
        assertEquals(1, r.searched);
        String ali = "{\"@type\":\"Member\",\"group_identifier\":[{\"@type\":\"Identifier\",\"identifier_type\":"
                + "\"HOUSEHOLD_ID\",\"identifier_value\":\"H-1\"}],\"searched\":true,\"demographic_info\":{\"@type\":"
                + "\"SRPerson\",\"name\":{\"@type\":\"Name\",\"given_name\":\"Ali\"},\"age\":4}}";
        assertEquals(ali, all.get(1));
        M.readTree(all.get(0));
        JsonBytes out = new JsonBytes(64);
        out.startArray().value("before");
        r.members(out, a, 0, a.length, true);
        out.endArray();
        assertEquals("[\"before\"," + ali + "]", new String(out.toByteArray(), StandardCharsets.UTF_8));
        out.reset();
        out.startArray();
        r.members(out, a, 0, a.length, false);
        out.endArray();
        assertEquals(M.readTree("[" + all.get(0) + "," + ali + "]"), M.readTree(out.toByteArray()));
        byte[] basic = bytes("{\"household_id\":\"H-3\",\"name\":\"Zia\"}");
        assertEquals(List.of("{\"@type\":\"Member\",\"group_identifier\":[{\"@type\":\"Identifier\","
                + "\"identifier_type\":\"HOUSEHOLD_ID\",\"identifier_value\":\"H-3\"}],\"demographic_info\":{\"@type\":"
                + "\"SRPerson\",\"name\":{\"@type\":\"Name\",\"given_name\":\"Zia\"}}}"), r.members(basic, 0,
                basic.length));
        assertEquals(0, r.searched);
    }

    @Test
    void timestampCheckAgreesWithOffsetDateTimeParse() {
        String[] cases = {"2026-12-07T09:00:00+05:00", "2026-12-07T09:00:00Z", "2026-12-07T09:00:00.1Z",
            "2026-12-07T09:00:00.123456789-04:30", "2026-12-07T09:00:00.1234567890Z", "2024-02-29T00:00:00Z",
            "2023-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
            "2026-12-07T24:00:00Z", "2026-12-07T23:60:00Z", "2026-12-07T23:59:60Z", "2026-12-07t09:00:00Z",
            "2026-12-07T09:00Z", "2026-12-07T09:00:00+18:00", "2026-12-07T09:00:00+19:00", "2026-12-07T09:00:00",
            "2026-12-07T09:00:00+0500", "2026-12-07T09:00:00+05", "2026-12-07T09:00:00.Z", "0000-01-01T00:00:00Z",
            "2026-12-07T09:00:00-00:00", "2026-12-07T09:00:00+05:60", "2026-12-07 09:00:00Z", "x", "",
            "2026-12-07T09:00:00ZZ", "+2026-12-07T09:00:00Z", "2026-1a-07T09:00:00Z"};
        for (String c : cases) {
            boolean parses;
            try {
                OffsetDateTime.parse(c);
                parses = true;
            } catch (DateTimeParseException e) {
                parses = false;
            }
            assertEquals(parses, SearchItem.timestamp(c), c);
            assertTrue(!SearchItem.plain(c) || parses, c);
        }
    }

    @Test
    void nowIsInstantsTextToTheMillisecond() {
        for (int i = 0; i < 2_000; i++) {
            Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            String now = DciRoutes.now();
            Instant after = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Instant t = Instant.parse(now);
            assertTrue(!t.isBefore(before) && !t.isAfter(after), now);
            assertEquals(t.toString(), now);
        }
    }
}
