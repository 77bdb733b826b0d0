package pk.gov.bisp.nser.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.record.Households;
import pk.gov.bisp.nser.core.schema.Household;

/**
 * The streaming parse of a household ({@link HouseholdJson#parse(byte[], int[])}) gives the tree path's answer for
 * every input: the same household and score for a valid one, the same error message for a bad one. Each field of
 * the household and of a member is set in turn to each value of a palette of JSON values (every JSON type, the
 * limits of each range, just past them, numbers written as strings, multi-byte and broken text), removed and given
 * twice; and whole lines are broken (trailing content, truncation, bad UTF-8, unknown fields).
 */
class HouseholdStreamTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void shouldStreamValidHouseholdsToWhatTheTreeGives() throws Exception {
        for (Household h : List.of(Households.simple(1_000_000_001L, 352_010_101, 3_520_112_345_671L, 5),
                Households.edges())) {
            byte[] json = bytes(HouseholdJson.toJson(h));
            int[] pmt = {-7};
            Household streamed = HouseholdJson.streamed(json, pmt);
            assertNotNull(streamed, "the fast path reads a plain valid household itself");
            assertEquals(h, streamed);
            assertEquals(h.pmtHundredths(), pmt[0]);
            assertEquals(outcome(json, true), outcome(json, false));
        }
    }

    @Test
    void shouldAnswerAsTheTreeForEveryVariantOfEveryField() throws Exception {
        ObjectNode base = HouseholdJson.toJson(Households.simple(1_000_000_001L, 352_010_101, 3_520_112_345_671L, 3));
        List<byte[]> variants = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        base.fieldNames().forEachRemaining(fields::add);
        fields.addAll(List.of("version", "pmt_model_version", "unknown_field"));
        for (String f : fields) {
            for (JsonNode v : palette()) {
                ObjectNode n = base.deepCopy();
                n.set(f, v);
                variants.add(bytes(n));
            }
            ObjectNode n = base.deepCopy();
            n.remove(f);
            variants.add(bytes(n));
            variants.add(twice(bytes(base), f));
        }
        List<String> memberFields = new ArrayList<>();
        base.get("members").get(0).fieldNames().forEachRemaining(memberFields::add);
        memberFields.add("unknown_field");
        for (String f : memberFields) {
            for (JsonNode v : palette()) {
                ObjectNode n = base.deepCopy();
                ((ObjectNode) n.get("members").get(1)).set(f, v);
                variants.add(bytes(n));
            }
            ObjectNode n = base.deepCopy();
            ((ObjectNode) n.get("members").get(1)).remove(f);
            variants.add(bytes(n));
        }
        for (String group : List.of("livestock", "land")) {
            for (String key : List.of("cow", "acre", "marla", "horse", "")) {
                for (JsonNode v : palette()) {
                    ObjectNode n = base.deepCopy();
                    ((ObjectNode) n.get(group)).set(key, v);
                    variants.add(bytes(n));
                }
            }
        }
        ObjectNode many = base.deepCopy();
        ArrayNode members = (ArrayNode) many.get("members");
        while (members.size() < 256) {
            members.add(members.get(0).deepCopy());
        }
        variants.add(bytes(many));
        members.remove(0);
        variants.add(bytes(many));
        variants.addAll(broken(bytes(base)));

        int streamed = 0;
        for (byte[] v : variants) {
            Object tree = outcome(v, false);
            assertEquals(tree, outcome(v, true), () -> new String(v, StandardCharsets.UTF_8));
            int[] pmt = {-7};
            if (HouseholdJson.streamed(v, pmt) != null) {
                streamed++;
                assertEquals(tree, List.of(HouseholdJson.streamed(v, pmt), pmt[0]),
                        () -> "streamed what the tree refuses: " + new String(v, StandardCharsets.UTF_8));
            }
        }
        // the fast path takes the common valid shapes itself, not just the untouched base
        assertTrue(streamed > 300, "streamed " + streamed + " of " + variants.size());
    }

    /** JSON values of every type and at every limit the fields have. */
    private static List<JsonNode> palette() {
        List<JsonNode> p = new ArrayList<>(List.of(F.nullNode(), F.textNode(""), F.textNode("x"), F.textNode(" "),
                F.numberNode(0), F.numberNode(1), F.numberNode(-1), F.numberNode(255), F.numberNode(256),
                F.numberNode(65_535), F.numberNode(65_536), F.numberNode(Integer.MAX_VALUE),
                F.numberNode(Integer.MAX_VALUE + 1L), F.numberNode(Long.MAX_VALUE),
                F.numberNode(BigInteger.TWO.pow(64)), F.numberNode(1_234_567_890), F.numberNode(1.5),
                F.numberNode(0.0), F.numberNode(-0.0), F.numberNode(90.0), F.numberNode(90.0000001),
                F.numberNode(-180.0), F.numberNode(180.0000004), F.numberNode(31.520001), F.numberNode(1e308),
                F.numberNode(100.0), F.numberNode(100.004), F.numberNode(100.006), F.numberNode(32.125),
                F.numberNode(new BigDecimal("12.345678901234567890")), F.textNode("1e2"), F.textNode("NaN"),
                F.textNode("12"), F.textNode("-12"), F.textNode("0012"), F.textNode("+12"), F.textNode("31.5"),
                F.textNode(" 31.5 "), F.textNode("123456789012345678"), F.textNode("1234567890123456789"),
                F.booleanNode(true), F.booleanNode(false), F.textNode("true"), F.textNode("false"),
                F.textNode("True"), F.objectNode(), F.arrayNode(), F.textNode("uct"), F.textNode("cct"),
                F.textNode("male"), F.textNode("head"), F.textNode("pacca"), F.textNode("television"),
                F.textNode("2020-02-29"), F.textNode("2021-02-29"), F.textNode("1899-12-31"),
                F.textNode("1900-01-01"), F.textNode("2000-01-01"), F.textNode("1999-12-31"),
                F.textNode("2179-06-06"), F.textNode("2179-06-07"), F.textNode("2020-1-01"), F.textNode("2020/01/01"),
                F.textNode("12345-1234567-1"), F.textNode("1234512345671"), F.textNode("0234512345671"),
                F.textNode("12345-12345671"), F.numberNode(1_234_512_345_671L), F.textNode("923001234567"),
                F.textNode("0923001234567"), F.textNode("+923001234567"), F.numberNode(923_001_234_567L),
                F.textNode("١٢٣٤٥١٢٣٤٥٦٧١"), F.textNode("y".repeat(200)), F.textNode("y".repeat(201)),
                F.textNode("é".repeat(127)), F.textNode("é".repeat(128)), F.textNode("ہ".repeat(85)),
                F.textNode("ہ".repeat(86)), F.textNode("\ud800"), F.textNode("a\ud83d\ude00b"),
                F.textNode("\u0000")));
        p.add(F.arrayNode().add("uct").add("cct"));
        p.add(F.arrayNode().add("uct").add("x"));
        p.add(F.arrayNode().add("television").add("geyser"));
        p.add(F.arrayNode().add(1));
        p.add(F.arrayNode().addNull());
        p.add(F.arrayNode().add(F.objectNode()));
        p.add(F.objectNode().put("cow", 1).put("acre", 2));
        p.add(F.objectNode().put("cow", "2"));
        p.add(F.objectNode().put("goat", 256));
        p.add(F.objectNode().put("x", 1));
        return p;
    }

    /** Whole lines broken in ways no field change makes. */
    private static List<byte[]> broken(byte[] base) {
        String s = new String(base, StandardCharsets.UTF_8);
        List<byte[]> out = new ArrayList<>();
        for (String t : List.of(s + " ", s + " x", s + " {}", s + "{}", s + ",", "[" + s + "]", "", " ", "null", "1",
                "\"x\"", "{}", "[]", s.substring(0, s.length() - 1), s.substring(0, s.length() / 2),
                s.replace("\"village\"", "\"village\" "), s.replaceFirst("\\{", "{ /* c */ "),
                s.replaceFirst("\\{", "{\"zz\":1,\"zz\":2,"), s.replaceFirst("\\{", "{\"zz\":\"a\",\"zz\":\"b\","),
                s.replaceFirst("\\{", "{\"zz\":\"a\",\"zy\":true,\"zx\":null,"),
                s.replace("\"guardian_name\"", "\"zz\":\"a\",\"zz\":\"b\",\"guardian_name\""),
                s.replace("\"guardian_name\"", "\"name\":\"X\",\"guardian_name\""),
                s.replace("\"goat\":3", "\"goat\":3,\"cow\":2"), s.replace("\"marla\":10", "\"marla\":10,\"acre\":2"), s.replaceFirst("\\{", "{\"zz\":{\"a\":[1,{}]},"),
                s.replaceFirst("\\{", "{\"zz\":[1,2],"), s.replaceFirst("\\{", "{\"zz\":1.5e3,"),
                s.replaceFirst("\\{", "{\"zz\":\"\\u00e9\","), s.replace("Chak 42", "Chak \\u0034\\u0032"),
                s.replace("Chak 42", "Chak\\n42"), s.replace("Chak 42", "Chak\\x42"), s.replace("Chak 42", "Chak\t42"),
                s.replace("\"rooms\":2", "\"rooms\":02"), s.replace("\"rooms\":2", "\"rooms\":2.0"),
                s.replace("\"rooms\":2", "\"rooms\":-0"), s.replace("\"rooms\":2", "\"rooms\":2e0"),
                s.replace("\"rooms\":2", "\"rooms\":NaN"), s.replace("\"members\":[", "\"members\":[1,"),
                s.replace("\"members\":[", "\"members\":[{},"), s.replace("\"members\":[", "\"members\":[null,"),
                s.replace("]}", "],}"), s.replace("'", "\""))) {
            out.add(t.getBytes(StandardCharsets.UTF_8));
        }
        int at = s.indexOf("Chak");
        for (byte[] bad : List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82})) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(Arrays.copyOf(base, at));
            b.writeBytes(bad);
            b.writeBytes(Arrays.copyOfRange(base, at, base.length));
            out.add(b.toByteArray());
        }
        byte[] bom = new byte[base.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(base, 0, bom, 3, base.length);
        out.add(bom);
        return out;
    }

    /** {@code f}'s member written a second time at the end of the object. */
    private static byte[] twice(byte[] json, String f) throws Exception {
        JsonNode n = HouseholdJson.JSON.readTree(json);
        String s = new String(json, StandardCharsets.UTF_8);
        return (s.substring(0, s.length() - 1) + ",\"" + f + "\":" + n.get(f) + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** What parsing gives: [household, score] or the error, through the streaming entry point or the tree. */
    private static Object outcome(byte[] json, boolean streaming) {
        int[] pmt = {-7};
        try {
            Household h = streaming ? HouseholdJson.parse(json, pmt)
                    : HouseholdJson.parse(HouseholdJson.JSON.readTree(json), pmt);
            return List.of(h, pmt[0]);
        } catch (InvalidFieldsException e) {
            return "invalid: " + e.getMessage();
        } catch (JsonProcessingException e) {
            return "not JSON: " + e.getOriginalMessage();
        } catch (java.io.IOException e) {
            return "io: " + e;
        }
    }

    private static byte[] bytes(JsonNode n) throws Exception {
        return HouseholdJson.JSON.writeValueAsBytes(n);
    }
}
