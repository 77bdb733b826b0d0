package pk.gov.bisp.nser.server.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON writer straight into a reusable byte array, for the hot household encodings (lookups, list pages,
 * NDJSON). Field names and constant values are encoded once ({@link Name}, {@link Text}), so writing them is a
 * copy; the only state is whether the next value needs a comma. The caller keeps the structure well formed
 * (every start has its end); that is the price of skipping a generator's per-token bookkeeping, which cost
 * about a third of a Power lookup's server time.
 *
 * <p>Strings are escaped as Jackson escapes them by default: {@code "} and {@code \} with a backslash, control
 * characters as {@code \b \t \n \f \r} or a six-character {@code \\u} escape, surrogates (the halves of
 * characters beyond the BMP) as {@code \\u} escapes too, everything else as UTF-8.
 * One instance per event loop.
 */
public final class JsonBytes {

    /** A field name, encoded once as {@code "name":}. */
    public static final class Name {
        final byte[] bytes;

        private Name(String name) {
            byte[] q = quoted(name);
            bytes = Arrays.copyOf(q, q.length + 1);
            bytes[q.length] = ':';
        }
    }

    /** A constant string value, encoded once with its quotes. */
    public static final class Text {
        final byte[] bytes;

        private Text(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int pos;
    private boolean comma;

    public JsonBytes(int capacity) {
        buf = new byte[Math.max(64, capacity)];
    }

    public static Name name(String name) {
        return new Name(name);
    }

    public static Text text(String value) {
        return new Text(quoted(value));
    }

    /** Constant values for each element of {@code values}, by index. */
    public static Text[] texts(String[] values) {
        Text[] out = new Text[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = text(values[i]);
        }
        return out;
    }

    /** Empties the writer for a new document. */
    public void reset() {
        pos = 0;
        comma = false;
    }

    /** Bytes written since the last reset or drain. */
    public int size() {
        return pos;
    }

    /**
     * What was written since the last reset or drain, copied into a direct buffer from Netty's pool: the caller
     * owns it and must release it ({@code http.Exchange.end(RoutingContext, int, String, ByteBuf)}
     * does).
     */
    public ByteBuf toPooledDirect() {
        return ByteBufAllocator.DEFAULT.directBuffer(pos).writeBytes(buf, 0, pos);
    }

    /**
     * Like {@link #toPooledDirect} (from {@code alloc}), then starts over at the same place in the document, for
     * streams sent in parts: the caller owns the buffer and must release it.
     */
    public ByteBuf drainPooledDirect(ByteBufAllocator alloc) {
        ByteBuf b = alloc.directBuffer(pos).writeBytes(buf, 0, pos);
        pos = 0;
        return b;
    }

    /** The buffer itself: what was written is its first {@link #size()} bytes, until the next write or reset. */
    public byte[] array() {
        return buf;
    }

    /** A copy of what was written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    public JsonBytes startObject() {
        separate();
        put((byte) '{');
        comma = false;
        return this;
    }

    public JsonBytes endObject() {
        put((byte) '}');
        comma = true;
        return this;
    }

    /**
     * Takes back the {@code '}'} that closed the object just written, so that more fields can be added to it (a
     * feature's fields after a projection's); the next field is preceded by a comma. No-op unless an object just ended.
     */
    public JsonBytes reopenObject() {
        if (pos > 1 && buf[pos - 1] == '}' && buf[pos - 2] != '{') {
            pos--;
            comma = true;
        }
        return this;
    }

    public JsonBytes startArray() {
        separate();
        put((byte) '[');
        comma = false;
        return this;
    }

    public JsonBytes endArray() {
        put((byte) ']');
        comma = true;
        return this;
    }

    /** Ends a line of NDJSON: the next value starts a new document. */
    public JsonBytes newline() {
        put((byte) '\n');
        comma = false;
        return this;
    }

    public JsonBytes field(Name name) {
        separate();
        raw(name.bytes);
        comma = false;
        return this;
    }

    public JsonBytes value(Text t) {
        separate();
        raw(t.bytes);
        comma = true;
        return this;
    }

    /**
     * A string given as UTF-8 bytes, written as {@link #value(String)} writes it: copied when it is printable ASCII
     * with nothing to escape (an address, nearly always), else decoded and escaped.
     */
    public JsonBytes utf8Value(byte[] src, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte c = src[i];
            if (c < 0x20 || c == '"' || c == '\\') { // control, quote, backslash, or (negative) beyond ASCII
                return value(new String(src, offset, length, StandardCharsets.UTF_8));
            }
        }
        separate();
        ensure(length + 2);
        buf[pos++] = '"';
        System.arraycopy(src, offset, buf, pos, length);
        pos += length;
        buf[pos++] = '"';
        comma = true;
        return this;
    }

    /** A string, escaped; null writes {@code null}. */
    public JsonBytes value(String s) {
        separate();
        if (s == null) {
            raw(NULL);
        } else {
            string(s);
        }
        comma = true;
        return this;
    }

    public JsonBytes value(long v) {
        separate();
        number(v);
        comma = true;
        return this;
    }

    public JsonBytes value(boolean v) {
        separate();
        raw(v ? TRUE : FALSE);
        comma = true;
        return this;
    }

    public JsonBytes nullValue() {
        separate();
        raw(NULL);
        comma = true;
        return this;
    }

    /** Object members already encoded as JSON ({@code "a":1,"b":{...}}), written as they are. */
    public JsonBytes members(byte[] encoded) {
        separate();
        raw(encoded);
        comma = true;
        return this;
    }

    /**
     * JSON text already encoded (runs of members, or of members then a field name, that always come together),
     * written as it is after the comma its position needs. {@code endsValue} tells whether it ends with a value
     * (what follows needs a comma) or with a field name (its value comes next).
     */
    public JsonBytes encoded(byte[] json, boolean endsValue) {
        separate();
        raw(json);
        comma = endsValue;
        return this;
    }

    /**
     * As {@link #encoded(byte[], boolean)}, for {@code src[offset, offset + length)}: e.g. a {@code "name":value}
     * member copied out of JSON this class wrote.
     */
    public JsonBytes encoded(byte[] src, int offset, int length, boolean endsValue) {
        separate();
        ensure(length);
        System.arraycopy(src, offset, buf, pos, length);
        pos += length;
        comma = endsValue;
        return this;
    }

    /** A value already encoded as JSON (a pre-formatted number, a quoted string), written as it is. */
    public JsonBytes rawValue(byte[] ascii) {
        separate();
        raw(ascii);
        comma = true;
        return this;
    }

    /**
     * A date {@code "YYYY-MM-DD"}, as {@link java.time.LocalDate#toString} writes years 0 to 9999; the caller
     * keeps the fields in range.
     */
    public JsonBytes date(int year, int month, int day) {
        separate();
        ensure(12);
        byte[] b = buf;
        int p = pos;
        b[p] = '"';
        int hi = year / 100;
        int lo = year - hi * 100;
        b[p + 1] = PAIRS[hi << 1];
        b[p + 2] = PAIRS[(hi << 1) + 1];
        b[p + 3] = PAIRS[lo << 1];
        b[p + 4] = PAIRS[(lo << 1) + 1];
        b[p + 5] = '-';
        b[p + 6] = PAIRS[month << 1];
        b[p + 7] = PAIRS[(month << 1) + 1];
        b[p + 8] = '-';
        b[p + 9] = PAIRS[day << 1];
        b[p + 10] = PAIRS[(day << 1) + 1];
        b[p + 11] = '"';
        pos = p + 12;
        comma = true;
        return this;
    }

    /**
     * A fixed-point number {@code unscaled / 10^scale} with exactly {@code scale} decimals, as
     * {@code BigDecimal.valueOf(unscaled, scale).toPlainString()} writes it (e.g. 31.500000).
     */
    public JsonBytes decimal(long unscaled, int scale) {
        separate();
        if (scale <= 0 || scale > 18 || unscaled == Long.MIN_VALUE) {
            raw(java.math.BigDecimal.valueOf(unscaled, scale).toPlainString().getBytes(StandardCharsets.US_ASCII));
        } else {
            ensure(40);
            long v = unscaled;
            if (v < 0) {
                buf[pos++] = '-';
                v = -v;
            }
            long p = POW10[scale];
            number(v / p);
            buf[pos++] = '.';
            long frac = v % p;
            if (scale <= 9) { // the fraction fits an int: zero-padded to the scale
                int start = pairs(buf, pos + scale, (int) frac);
                Arrays.fill(buf, pos, start, (byte) '0');
            } else {
                for (int i = scale - 1; i >= 0; i--) {
                    buf[pos + i] = (byte) ('0' + frac % 10);
                    frac /= 10;
                }
            }
            pos += scale;
        }
        comma = true;
        return this;
    }

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private void separate() {
        if (comma) {
            put((byte) ',');
        }
    }

    private void put(byte b) {
        if (pos == buf.length) {
            grow(1);
        }
        buf[pos++] = b;
    }

    private void raw(byte[] b) {
        int n = b.length;
        if (pos + n > buf.length) {
            grow(n);
        }
        System.arraycopy(b, 0, buf, pos, n);
        pos += n;
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            grow(n);
        }
    }

    private void grow(int n) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }

    /**
     * Writes {@code v} in decimal, two digits at a time from a 200-byte table, with int arithmetic below 2^31 (the
     * numbers of a household: codes, ids, ages, counts).
     */
    private void number(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                raw(MIN_LONG);
                return;
            }
            put((byte) '-');
            v = -v;
        }
        ensure(19);
        byte[] b = buf;
        if (v < 10) {
            b[pos++] = (byte) ('0' + v);
            return;
        }
        int end = pos + digits(v);
        int i = end;
        while (v > Integer.MAX_VALUE) {
            long q = v / 100;
            int r = (int) (v - q * 100) << 1;
            b[--i] = PAIRS[r + 1];
            b[--i] = PAIRS[r];
            v = q;
        }
        pairs(b, i, (int) v);
        pos = end;
    }

    /** Writes {@code v >= 0} so that it ends just before {@code end}; returns where it starts. */
    private static int pairs(byte[] b, int end, int v) {
        int i = end;
        while (v >= 100) {
            int q = v / 100;
            int r = (v - q * 100) << 1;
            b[--i] = PAIRS[r + 1];
            b[--i] = PAIRS[r];
            v = q;
        }
        if (v >= 10) {
            b[--i] = PAIRS[(v << 1) + 1];
            b[--i] = PAIRS[v << 1];
        } else {
            b[--i] = (byte) ('0' + v);
        }
        return i;
    }

    /** The number of decimal digits of {@code v >= 0}. */
    private static int digits(long v) {
        int d = 1;
        while (d < POW10.length && v >= POW10[d]) {
            d++;
        }
        return d;
    }

    /** "00" "01" ... "99". */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** Writes {@code s} quoted and escaped. */
    private void string(String s) {
        int n = s.length();
        ensure(n * 6 + 2);
        byte[] b = buf;
        int p = pos;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[p++] = (byte) c;
                } else {
                    p = escape(b, p, c);
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | c >> 6);
                b[p++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                p = unicodeEscape(b, p, c); // as Jackson writes supplementary characters: two escapes
            } else {
                b[p++] = (byte) (0xE0 | c >> 12);
                b[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[p++] = (byte) (0x80 | c & 0x3F);
            }
        }
        b[p++] = '"';
        pos = p;
    }

    private static int escape(byte[] b, int p, char c) {
        b[p++] = '\\';
        switch (c) {
            case '"' -> b[p++] = '"';
            case '\\' -> b[p++] = '\\';
            case '\b' -> b[p++] = 'b';
            case '\t' -> b[p++] = 't';
            case '\n' -> b[p++] = 'n';
            case '\f' -> b[p++] = 'f';
            case '\r' -> b[p++] = 'r';
            default -> {
                return unicodeEscape(b, p - 1, c);
            }
        }
        return p;
    }

    private static int unicodeEscape(byte[] b, int p, char c) {
        b[p++] = '\\';
        b[p++] = 'u';
        b[p++] = HEX[c >> 12];
        b[p++] = HEX[c >> 8 & 0xF];
        b[p++] = HEX[c >> 4 & 0xF];
        b[p++] = HEX[c & 0xF];
        return p;
    }

    /** {@code s} quoted and escaped, as {@link #value(String)} writes it. */
    public static byte[] quoted(String s) {
        JsonBytes w = new JsonBytes(s.length() * 6 + 2);
        w.string(s);
        return w.toByteArray();
    }
}
