package pk.gov.bisp.nser.server.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte writer writes what Jackson's generator writes for the same tokens. */
class JsonBytesTest {

    private static final List<String> STRINGS = List.of("", "plain", "quote \" and back\\slash", "tab\tnew\nline\r",
            "bell\u0007 nul\u0000 us\u001f del\u007f", "\b\f", "Muhammad Ali", "محمد علی", "é ß ñ",
            "emoji \uD83D\uDE00 pair", "</script>", "a/b");
    private static final long[] LONGS = {0, 1, -1, 9, 10, 99, 100, 1_234_567_890_123L, Long.MAX_VALUE, Long.MIN_VALUE,
        -987_654_321L};
    private static final long[][] DECIMALS = {{0, 6}, {31_500_000, 6}, {-500_000, 6}, {-1, 6}, {5, 6},
        {74_123_456, 6}, {-74_123_456, 6}, {3_200, 2}, {7, 2}, {10_000, 2}, {123, 0}};

    @Test
    void shouldWriteWhatJacksonWrites() throws IOException {
        JsonBytes.Name s = JsonBytes.name("s");
        JsonBytes.Name n = JsonBytes.name("n");
        JsonBytes.Name d = JsonBytes.name("d \"odd\" name");
        JsonBytes w = new JsonBytes(16); // small, so it has to grow
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(expected)) {
            g.writeStartObject();
            w.startObject();
            g.writeArrayFieldStart("strings");
            w.field(JsonBytes.name("strings")).startArray();
            for (String x : STRINGS) {
                g.writeString(x);
                w.value(x);
                g.writeStartObject();
                g.writeStringField("s", x);
                g.writeEndObject();
                w.startObject().field(s).value(JsonBytes.text(x)).endObject();
            }
            g.writeNull();
            w.value((String) null);
            g.writeEndArray();
            w.endArray();
            g.writeArrayFieldStart("longs");
            w.field(JsonBytes.name("longs")).startArray();
            for (long x : LONGS) {
                g.writeStartObject();
                g.writeNumberField("n", x);
                g.writeEndObject();
                w.startObject().field(n).value(x).endObject();
            }
            g.writeEndArray();
            w.endArray();
            g.writeArrayFieldStart("decimals");
            w.field(JsonBytes.name("decimals")).startArray();
            for (long[] x : DECIMALS) {
                g.writeNumber(BigDecimal.valueOf(x[0], (int) x[1]));
                w.decimal(x[0], (int) x[1]);
            }
            g.writeEndArray();
            w.endArray();
            g.writeFieldName("d \"odd\" name");
            w.field(d);
            g.writeStartArray();
            w.startArray();
            g.writeBoolean(true);
            w.value(true);
            g.writeBoolean(false);
            w.value(false);
            g.writeStartArray();
            w.startArray();
            g.writeEndArray();
            w.endArray();
            g.writeStartObject();
            w.startObject();
            g.writeEndObject();
            w.endObject();
            g.writeNumber("12.50");
            w.rawValue("12.50".getBytes(StandardCharsets.US_ASCII));
            g.writeEndArray();
            w.endArray();
            g.writeEndObject();
            w.endObject();
        }
        assertEquals(expected.toString(StandardCharsets.UTF_8), new String(w.toByteArray(), StandardCharsets.UTF_8));
        assertEquals(STRINGS.get(7), new ObjectMapper().readTree(w.toByteArray()).get("strings").get(14).asText());
    }

    /** Numbers of every length, and decimals of every scale, against Long.toString and BigDecimal. */
    @Test
    void numbersShouldBeWhatLongToStringAndBigDecimalWrite() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(42);
        List<Long> longs = new java.util.ArrayList<>();
        for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10 * 10; p *= 10) {
            java.util.Collections.addAll(longs, p - 1, p, p + 1, -p, -p + 1, 2 * p - 1);
        }
        for (int i = 0; i < 20_000; i++) {
            long x = rnd.nextLong() >>> rnd.nextInt(64); // every magnitude
            longs.add(rnd.nextBoolean() ? x : -x);
        }
        java.util.Collections.addAll(longs, Integer.MAX_VALUE + 0L, Integer.MAX_VALUE + 1L, Long.MAX_VALUE,
                Long.MIN_VALUE, Long.MIN_VALUE + 1);
        StringBuilder expected = new StringBuilder("[");
        JsonBytes w = new JsonBytes(8).startArray();
        for (long x : longs) {
            expected.append(expected.length() > 1 ? "," : "").append(x);
            w.value(x);
            int scale = 1 + (int) Math.floorMod(x, 12L);
            expected.append(',').append(BigDecimal.valueOf(x, scale).toPlainString());
            w.decimal(x, scale);
        }
        expected.append(']');
        w.endArray();
        assertEquals(expected.toString(), new String(w.toByteArray(), StandardCharsets.US_ASCII));
    }

    /** Dates as LocalDate writes them, across years 0 to 9999 and every day of a leap year. */
    @Test
    void datesShouldBeWhatLocalDateWrites() {
        java.util.List<java.time.LocalDate> days = new java.util.ArrayList<>();
        for (java.time.LocalDate d = java.time.LocalDate.of(2028, 1, 1); d.getYear() == 2028; d = d.plusDays(1)) {
            days.add(d);
        }
        java.util.Collections.addAll(days, java.time.LocalDate.of(0, 1, 1), java.time.LocalDate.of(7, 7, 7),
                java.time.LocalDate.of(999, 12, 31), java.time.LocalDate.of(1900, 1, 1),
                java.time.LocalDate.of(9999, 12, 31));
        StringBuilder expected = new StringBuilder("[");
        JsonBytes w = new JsonBytes(8).startArray();
        for (java.time.LocalDate d : days) {
            expected.append(expected.length() > 1 ? ",\"" : "\"").append(d).append('"');
            w.date(d.getYear(), d.getMonthValue(), d.getDayOfMonth());
        }
        w.endArray();
        assertEquals(expected.append(']').toString(), new String(w.toByteArray(), StandardCharsets.US_ASCII));
    }

    @Test
    void drainShouldKeepItsPlaceInTheDocumentAndNewlineShouldStartTheNext() {
        JsonBytes w = new JsonBytes(64);
        w.startArray().value(1);
        String first = drained(w);
        w.value(2).endArray().newline().startObject().endObject().newline();
        assertEquals("[1", first);
        assertEquals(",2]\n{}\n", drained(w));
        assertEquals(0, w.size());
        w.reset();
        w.value(3);
        assertEquals("3", new String(w.toByteArray(), StandardCharsets.UTF_8));
        JsonBytes lines = new JsonBytes(8);
        lines.field(JsonBytes.name("a")).value(1).field(JsonBytes.name("b")).startObject().endObject();
        w.reset();
        w.startObject().members(lines.toByteArray()).field(JsonBytes.name("c")).value(12_345).endObject();
        assertEquals("{\"a\":1,\"b\":{},\"c\":12345}", new String(w.toByteArray(), StandardCharsets.UTF_8));
    }

    @Test
    void utf8BytesShouldBeWrittenAsTheirStringIs() {
        for (String x : STRINGS) {
            byte[] utf8 = ("xx" + x + "y").getBytes(StandardCharsets.UTF_8); // at an offset, as in a record
            JsonBytes fromBytes = new JsonBytes(4);
            fromBytes.startArray().value(1).utf8Value(utf8, 2, utf8.length - 3).value(2).endArray();
            JsonBytes fromString = new JsonBytes(4);
            fromString.startArray().value(1).value(x).value(2).endArray();
            assertEquals(new String(fromString.toByteArray(), StandardCharsets.UTF_8),
                    new String(fromBytes.toByteArray(), StandardCharsets.UTF_8), x);
        }
    }

    @Test
    void surrogatesShouldBeEscapedEvenAlone() {
        JsonBytes w = new JsonBytes(8);
        w.value("a\uD800b\uDC00");
        assertEquals("\"a\\uD800b\\uDC00\"", new String(w.toByteArray(), StandardCharsets.US_ASCII));
    }

    /** What {@link JsonBytes#drainPooledDirect} hands over, as text; the buffer is direct and given back. */
    private static String drained(JsonBytes w) {
        io.netty.buffer.ByteBuf b = w.drainPooledDirect(io.netty.buffer.ByteBufAllocator.DEFAULT);
        try {
            assertTrue(b.isDirect());
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }
}
