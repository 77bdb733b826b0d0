package pk.gov.bisp.nser.server.dci;

import java.nio.charset.StandardCharsets;
import pk.gov.bisp.nser.server.json.JsonBytes;

/**
 * {@link Records}' mapping, on bytes: the household the role's native projection wrote ({@code HouseholdWriter}
 * into a {@link JsonBytes}: compact, well formed, escaped as Jackson escapes) is scanned member by member, and the
 * DCI {@code Group} (or its {@code Member}s) written as it goes into the answer's {@link JsonBytes}. A member that
 * keeps its native name and value is copied as the bytes it already is ({@code "name":value}); only the mapped ones
 * are rewritten. Nothing is decoded, no tree and no String is made per value, and the names and values are
 * {@link Records}' (its Javadoc says which), so only what the projection wrote can reach a DCI answer. One instance
 * per event loop: its scratch buffer is reused.
 */
final class RecordStream {

    private static final JsonBytes.Name TYPE = JsonBytes.name("@type");
    private static final JsonBytes.Name GROUP_IDENTIFIER = JsonBytes.name("group_identifier");
    private static final JsonBytes.Name MEMBER_IDENTIFIER = JsonBytes.name("member_identifier");
    private static final JsonBytes.Name IDENTIFIER_TYPE = JsonBytes.name("identifier_type");
    private static final JsonBytes.Name IDENTIFIER_VALUE = JsonBytes.name("identifier_value");
    private static final JsonBytes.Name POVERTY_SCORE = JsonBytes.name("poverty_score");
    private static final JsonBytes.Name POVERTY_SCORE_TYPE = JsonBytes.name("poverty_score_type");
    private static final JsonBytes.Name MEMBER_LIST = JsonBytes.name("member_list");
    private static final JsonBytes.Name GROUP_SIZE = JsonBytes.name("group_size");
    private static final JsonBytes.Name DEMOGRAPHIC_INFO = JsonBytes.name("demographic_info");
    private static final JsonBytes.Name NAME = JsonBytes.name("name");
    private static final JsonBytes.Name GIVEN_NAME = JsonBytes.name("given_name");
    private static final JsonBytes.Name SEX = JsonBytes.name("sex");
    private static final JsonBytes.Name BIRTH_DATE = JsonBytes.name("birth_date");
    private static final JsonBytes.Name AGE = JsonBytes.name("age");
    private static final JsonBytes.Text GROUP = JsonBytes.text(Records.GROUP);
    private static final JsonBytes.Text MEMBER = JsonBytes.text(Records.MEMBER);
    private static final JsonBytes.Text IDENTIFIER = JsonBytes.text("Identifier");
    private static final JsonBytes.Text HOUSEHOLD_ID = JsonBytes.text("HOUSEHOLD_ID");
    private static final JsonBytes.Text PSEUDONYM = JsonBytes.text("PSEUDONYM");
    private static final JsonBytes.Text CNIC = JsonBytes.text("CNIC");
    private static final JsonBytes.Text PMT = JsonBytes.text("PMT");
    private static final JsonBytes.Text SR_PERSON = JsonBytes.text("SRPerson");
    private static final JsonBytes.Text NAME_TYPE = JsonBytes.text("Name");

    private static final byte[] F_HOUSEHOLD_ID = ascii("household_id");
    private static final byte[] F_ID = ascii("id");
    private static final byte[] F_PMT_SCORE = ascii("pmt_score");
    private static final byte[] F_MEMBERS = ascii("members");
    private static final byte[] F_NAME = ascii("name");
    private static final byte[] F_CNIC = ascii("cnic");
    private static final byte[] F_GENDER = ascii("gender");
    private static final byte[] F_DATE_OF_BIRTH = ascii("date_of_birth");
    private static final byte[] F_AGE = ascii("age");
    private static final byte[] F_SEARCHED = ascii("searched");
    private static final byte[] TRUE = ascii("true");

    /** Where the member being scanned is: the name's {@code [start, end)} (inside its quotes), the value's. */
    private int nameStart;
    private int nameEnd;
    private int valueStart;
    private int valueEnd;
    /** Set by {@link #member}: whether the member was marked searched. */
    private boolean wasSearched;
    /** Set by {@link #next} at an object's end: past its closing brace. */
    private int closed;
    /** Set by {@link #members}: the index of the member marked searched, or -1. */
    int searched;
    /** The Members being written when only the searched one is kept. */
    private final JsonBytes scratch = new JsonBytes(4_096);
    /** The records being written as Strings (for notifications). */
    private final JsonBytes text = new JsonBytes(4_096);
    /** How many Members the last {@link #members} call wrote. */
    private int count;
    private int[] starts = new int[16];
    private int[] ends = new int[16];

    /** The household in {@code a[off, off + len)} (native projection) as a Group, written to {@code out}. */
    void group(JsonBytes out, byte[] a, int off, int len) {
        int end = off + len;
        int p = off + 1; // past '{'
        out.startObject().field(TYPE).value(GROUP);
        int members = -1;
        while ((p = next(a, p, end)) >= 0) {
            int fieldStart = nameStart - 1;
            if (is(a, F_MEMBERS)) { // read once, member by member
                out.field(MEMBER_LIST).startArray();
                members = 0;
                int q = valueStart + 1; // past '['
                while (a[q = separators(a, q)] != ']') {
                    q = member(out, a, q, null, null, 0, 0);
                    members++;
                }
                out.endArray();
                p = q + 1;
                continue;
            }
            valueEnd = valueEnd(a, valueStart, end);
            if (is(a, F_HOUSEHOLD_ID) || is(a, F_ID)) {
                if (!isNull(a)) {
                    identifier(out, GROUP_IDENTIFIER, is(a, F_ID) ? PSEUDONYM : HOUSEHOLD_ID, a);
                }
            } else if (is(a, F_PMT_SCORE)) {
                if (!isNull(a)) {
                    out.field(POVERTY_SCORE).encoded(a, valueStart, valueEnd - valueStart, true)
                            .field(POVERTY_SCORE_TYPE).value(PMT);
                }
            } else if (is(a, F_NAME)) { // Basic's lookup: the searched person's name, not the roster
                if (!isNull(a)) {
                    out.field(MEMBER_LIST).startArray();
                    person(out, a, valueStart, valueEnd, null, null, 0, 0);
                    out.endArray();
                }
            } else {
                out.encoded(a, fieldStart, valueEnd - fieldStart, true);
            }
            p = valueEnd;
        }
        if (members >= 0) {
            out.field(GROUP_SIZE).value(members);
        }
        out.endObject();
    }

    /**
     * The people of the household in {@code a[off, off + len)} as Members written to {@code out}, each with the
     * household's identifier: all of them, or ({@code onlySearched}) the one marked searched (else the first);
     * {@link #searched} tells which was looked up. A projection without members (Basic's lookup) gives one Member,
     * the searched person, by name.
     */
    void members(JsonBytes out, byte[] a, int off, int len, boolean onlySearched) {
        searched = -1;
        JsonBytes to = onlySearched ? scratch : out;
        scratch.reset();
        count = 0;
        JsonBytes.Text idType = null;
        int idStart = 0;
        int idEnd = 0;
        int end = off + len;
        int p = off + 1;
        while ((p = next(a, p, end)) >= 0) {
            if (is(a, F_MEMBERS)) {
                int q = valueStart + 1;
                while (a[q = separators(a, q)] != ']') {
                    int at = mark(to, count);
                    q = member(to, a, q, idType, a, idStart, idEnd);
                    if (wasSearched) {
                        searched = count;
                    }
                    ends = grow(ends, count);
                    starts[count] = at;
                    ends[count++] = to.size();
                }
                p = q + 1;
                continue;
            }
            valueEnd = valueEnd(a, valueStart, end);
            int nextField = valueEnd;
            if (is(a, F_HOUSEHOLD_ID) || is(a, F_ID)) {
                if (!isNull(a)) {
                    idType = is(a, F_ID) ? PSEUDONYM : HOUSEHOLD_ID;
                    idStart = valueStart;
                    idEnd = valueEnd;
                }
            } else if (is(a, F_NAME)) {
                int at = mark(to, count);
                person(to, a, isNull(a) ? -1 : valueStart, valueEnd, idType, a, idStart, idEnd);
                ends = grow(ends, count);
                starts[count] = at;
                ends[count++] = to.size();
                searched = count - 1;
            }
            p = nextField;
        }
        if (onlySearched && count > 0) {
            int i = Math.max(searched, 0);
            out.encoded(scratch.array(), starts[i], ends[i] - starts[i], true);
        }
    }

    /** The household in {@code a[off, off + len)} (native projection) as a Group's JSON text. */
    String group(byte[] a, int off, int len) {
        text.reset();
        group(text, a, off, len);
        return new String(text.array(), 0, text.size(), StandardCharsets.UTF_8);
    }

    /** As {@link #members(JsonBytes, byte[], int, int, boolean)}, every Member as its JSON text. */
    java.util.List<String> members(byte[] a, int off, int len) {
        text.reset();
        members(text, a, off, len, false);
        java.util.List<String> list = new java.util.ArrayList<>();
        for (int i = 0; starts.length > i && i < count; i++) {
            list.add(new String(text.array(), starts[i], ends[i] - starts[i], StandardCharsets.UTF_8));
        }
        return list;
    }

    /** Where the Member about to be written to {@code to} starts (after the comma before it, if any). */
    private int mark(JsonBytes to, int count) {
        starts = grow(starts, count);
        return to.size() + (count > 0 ? 1 : 0);
    }

    private static int[] grow(int[] a, int i) {
        return i < a.length ? a : java.util.Arrays.copyOf(a, a.length * 2);
    }

    /** {@code "field":[{"@type":"Identifier","identifier_type":type,"identifier_value":value}]}. */
    private void identifier(JsonBytes out, JsonBytes.Name field, JsonBytes.Text type, byte[] a) {
        identifier(out, field, type, a, valueStart, valueEnd);
    }

    private static void identifier(JsonBytes out, JsonBytes.Name field, JsonBytes.Text type, byte[] a, int from,
                                   int to) {
        out.field(field).startArray().startObject().field(TYPE).value(IDENTIFIER).field(IDENTIFIER_TYPE).value(type)
                .field(IDENTIFIER_VALUE);
        string(out, a, from, to);
        out.endObject().endArray();
    }

    /** The value in {@code a[from, to)} as a JSON string: a string as it is, another value's text quoted. */
    private static void string(JsonBytes out, byte[] a, int from, int to) {
        if (a[from] == '"') {
            out.encoded(a, from, to - from, true);
        } else {
            out.utf8Value(a, from, to - from);
        }
    }

    /** Opens a Member object: its type, and the household's identifier when there is one. */
    private static void startMember(JsonBytes out, JsonBytes.Text idType, byte[] id, int idStart, int idEnd) {
        out.startObject().field(TYPE).value(MEMBER);
        if (idType != null) {
            identifier(out, GROUP_IDENTIFIER, idType, id, idStart, idEnd);
        }
    }

    /** A Member of only a name in {@code a[from, to)} ({@code from} -1: no name; Basic's lookup). */
    private static void person(JsonBytes out, byte[] a, int from, int to, JsonBytes.Text idType, byte[] id,
                               int idStart, int idEnd) {
        startMember(out, idType, id, idStart, idEnd);
        out.field(DEMOGRAPHIC_INFO).startObject().field(TYPE).value(SR_PERSON);
        if (from >= 0) {
            out.field(NAME).startObject().field(TYPE).value(NAME_TYPE).field(GIVEN_NAME);
            string(out, a, from, to);
            out.endObject();
        }
        out.endObject().endObject();
    }

    /**
     * One native member object, its {@code '{'} at {@code from}, as a Member; {@link #wasSearched} tells whether it
     * is the searched one. Returns where the object ends (past its {@code '}'}).
     */
    private int member(JsonBytes out, byte[] a, int from, JsonBytes.Text idType, byte[] id, int idStart,
                       int idEnd) {
        startMember(out, idType, id, idStart, idEnd);
        int name = -1;
        int nameTo = 0;
        int gender = -1;
        int genderTo = 0;
        int dob = -1;
        int dobTo = 0;
        int age = -1;
        int ageTo = 0;
        boolean isSearched = false;
        int p = from + 1;
        while ((p = next(a, p, a.length)) >= 0) {
            valueEnd = valueEnd(a, valueStart, a.length);
            boolean isNull = isNull(a);
            if (is(a, F_CNIC)) {
                if (!isNull) {
                    identifier(out, MEMBER_IDENTIFIER, CNIC, a);
                }
            } else if (is(a, F_NAME)) {
                name = isNull ? -1 : valueStart;
                nameTo = valueEnd;
            } else if (is(a, F_GENDER)) {
                gender = isNull ? -1 : valueStart;
                genderTo = valueEnd;
            } else if (is(a, F_DATE_OF_BIRTH)) {
                dob = isNull ? -1 : valueStart;
                dobTo = valueEnd;
            } else if (is(a, F_AGE)) {
                age = isNull ? -1 : valueStart;
                ageTo = valueEnd;
            } else {
                if (is(a, F_SEARCHED)) {
                    isSearched = same(a, valueStart, valueEnd, TRUE);
                }
                out.encoded(a, nameStart - 1, valueEnd - nameStart + 1, true);
            }
            p = valueEnd;
        }
        out.field(DEMOGRAPHIC_INFO).startObject().field(TYPE).value(SR_PERSON);
        if (name >= 0) {
            out.field(NAME).startObject().field(TYPE).value(NAME_TYPE).field(GIVEN_NAME);
            string(out, a, name, nameTo);
            out.endObject();
        }
        if (gender >= 0) {
            out.field(SEX);
            string(out, a, gender, genderTo);
        }
        if (dob >= 0) {
            out.field(BIRTH_DATE);
            string(out, a, dob, dobTo);
        }
        if (age >= 0) { // a number, as the native age is (its quotes dropped if it came as a string)
            out.field(AGE);
            if (a[age] == '"') {
                out.encoded(a, age + 1, ageTo - age - 2, true);
            } else {
                out.encoded(a, age, ageTo - age, true);
            }
        }
        out.endObject().endObject();
        wasSearched = isSearched;
        return closed;
    }

    /**
     * Finds the next {@code "name":value} member of an object from {@code p} (at the member or the comma before it)
     * up to {@code end}; sets the name's bounds and the value's start and returns the latter, or -1 at the object's
     * closing brace (then {@link #closed} is past it). The value's end is found by the caller when it needs it.
     */
    private int next(byte[] a, int p, int end) {
        p = separators(a, p);
        if (p >= end || a[p] != '"') {
            closed = p + 1;
            return -1;
        }
        nameStart = p + 1;
        nameEnd = stringEnd(a, p) - 1;
        p = nameEnd + 1;
        while (a[p] != ':') {
            p++;
        }
        p++;
        while (a[p] <= ' ') {
            p++;
        }
        valueStart = p;
        return p;
    }

    /** Past the commas and white space from {@code p}. */
    private static int separators(byte[] a, int p) {
        while (p < a.length && (a[p] == ',' || a[p] <= ' ')) {
            p++;
        }
        return p;
    }

    /** The end (exclusive) of the JSON value starting at {@code p}. */
    private static int valueEnd(byte[] a, int p, int limit) {
        byte c = a[p];
        if (c == '"') {
            return stringEnd(a, p);
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            while (p < limit) {
                byte b = a[p];
                if (b == '"') {
                    p = stringEnd(a, p);
                    continue;
                }
                if (b == '{' || b == '[') {
                    depth++;
                } else if (b == '}' || b == ']') {
                    if (--depth == 0) {
                        return p + 1;
                    }
                }
                p++;
            }
            return limit;
        }
        while (p < limit && a[p] != ',' && a[p] != '}' && a[p] != ']' && a[p] > ' ') {
            p++;
        }
        return p;
    }

    /**
     * The end (exclusive: past the closing quote) of the string whose opening quote is at {@code p}: eight bytes at a
     * time looking for a quote or a backslash (the lowest byte that is one is found exactly), then byte by byte.
     */
    private static int stringEnd(byte[] a, int p) {
        p++;
        while (true) {
            while (p + 8 <= a.length) {
                long w = (long) LONGS.get(a, p);
                long hit = zeroByte(w ^ QUOTES) | zeroByte(w ^ BACKSLASHES);
                if (hit != 0) {
                    p += Long.numberOfTrailingZeros(hit) >>> 3;
                    break;
                }
                p += 8;
            }
            byte b = a[p];
            if (b == '"') {
                return p + 1;
            }
            p += b == '\\' ? 2 : 1;
        }
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long QUOTES = 0x2222_2222_2222_2222L;
    private static final long BACKSLASHES = 0x5C5C_5C5C_5C5C_5C5CL;

    /** The high bit of each zero byte of {@code x} (exact for the lowest one; a higher one may be a false hit). */
    private static long zeroByte(long x) {
        return (x - 0x0101_0101_0101_0101L) & ~x & 0x8080_8080_8080_8080L;
    }

    private boolean is(byte[] a, byte[] name) {
        return same(a, nameStart, nameEnd, name);
    }

    private boolean isNull(byte[] a) {
        return a[valueStart] == 'n'; // only null starts so
    }

    private static boolean same(byte[] a, int from, int to, byte[] b) {
        return java.util.Arrays.equals(a, from, to, b, 0, b.length);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
