package pk.gov.bisp.nser.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.schema.Address;
import pk.gov.bisp.nser.core.schema.Asset;
import pk.gov.bisp.nser.core.schema.Assets;
import pk.gov.bisp.nser.core.schema.Coded;
import pk.gov.bisp.nser.core.schema.Disability;
import pk.gov.bisp.nser.core.schema.Dwelling;
import pk.gov.bisp.nser.core.schema.EducationLevel;
import pk.gov.bisp.nser.core.schema.Electricity;
import pk.gov.bisp.nser.core.schema.Employment;
import pk.gov.bisp.nser.core.schema.GasConnection;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.schema.HouseType;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.LandUnit;
import pk.gov.bisp.nser.core.schema.Livestock;
import pk.gov.bisp.nser.core.schema.MaritalStatus;
import pk.gov.bisp.nser.core.schema.Member;
import pk.gov.bisp.nser.core.schema.Relationship;
import pk.gov.bisp.nser.core.schema.SchoolStatus;
import pk.gov.bisp.nser.core.schema.SurveySource;
import pk.gov.bisp.nser.core.schema.ToiletType;
import pk.gov.bisp.nser.core.schema.WaterSource;

/**
 * The fast path of {@link HouseholdJson#parse(byte[], int, int, int[])}: reads one household's JSON with Jackson's
 * streaming parser straight into a {@link Household}, without building a tree (the tree cost about 12 us and
 * 18.5 KB of garbage a household; see BENCHMARKS.md, "Import against generate").
 *
 * <p>It only ever <em>accepts</em>: a household it takes is one the tree path ({@link HouseholdJson#parse(
 * com.fasterxml.jackson.databind.JsonNode, int[])}) takes too, with an equal result. Anything else (a bad or
 * missing field, a value of an unusual JSON type such as a number written as a string, an unknown object-valued
 * field, trailing content, a syntax error) makes it give up ({@link #parse} returns null) and the caller parses the
 * same bytes through the tree, which names every problem exactly as before. So error messages cannot drift, and
 * only valid households need to be read here. {@code HouseholdStreamTest} holds the two paths to the same answers.
 */
final class HouseholdStream {

    private static final int LIVESTOCK = Livestock.values().length;
    private static final int LAND = LandUnit.values().length;
    private static final SurveySource[] SOURCES = SurveySource.values();
    private static final HouseType[] HOUSE_TYPES = HouseType.values();
    private static final ToiletType[] TOILETS = ToiletType.values();
    private static final WaterSource[] WATERS = WaterSource.values();
    private static final Electricity[] ELECTRICITY = Electricity.values();
    private static final GasConnection[] GAS = GasConnection.values();
    private static final Gender[] GENDERS = Gender.values();
    private static final Relationship[] RELATIONSHIPS = Relationship.values();
    private static final MaritalStatus[] MARITAL = MaritalStatus.values();
    private static final Disability[] DISABILITIES = Disability.values();
    private static final EducationLevel[] EDUCATION = EducationLevel.values();
    private static final SchoolStatus[] SCHOOL = SchoolStatus.values();
    private static final Employment[] EMPLOYMENT = Employment.values();
    private static final Asset[] ASSETS = Asset.values();
    private static final java.util.Map<String, Long> HOUSEHOLD_FIELDS = bits("household_id", "union_council",
            "village", "address", "latitude", "longitude", "survey_date", "survey_source", "house_type", "rooms",
            "toilet", "water", "electricity", "gas", "assets", "livestock", "land", "phone", "programmes", "pmt_score",
            "version", "pmt_model_version", "members");
    private static final java.util.Map<String, Long> MEMBER_FIELDS = bits("cnic", "name", "guardian_name", "gender",
            "date_of_birth", "relationship", "marital_status", "disability", "education", "literate", "school_status",
            "employment", "chronic_disease", "deceased");

    /** Thrown to give up: caught in {@link #parse}, never escapes. Without a stack trace: cheap. */
    private static final class GiveUp extends Exception {
        private static final long serialVersionUID = 1L;

        GiveUp() {
            super(null, null, false, false);
        }
    }

    private static final GiveUp GIVE_UP = new GiveUp();

    private HouseholdStream() {
    }

    /**
     * The household, or null when the tree path must decide (it may be invalid, or merely unusual). {@code pmt[0]}
     * receives the given score in hundredths (or -1) only when a household is returned.
     */
    static Household parse(byte[] json, int off, int len, int[] pmt) {
        try (JsonParser p = HouseholdJson.JSON.createParser(json, off, len)) {
            // duplicates are caught here, per object, by a bit a known field: Jackson's detector keeps a HashSet of
            // the names of every object (with the Strings of enum keys, most of the 8 KB a household this path
            // allocated before both went; 3.2 KB after)
            p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            return household(p, pmt);
        } catch (GiveUp | IOException | RuntimeException e) {
            return null; // RuntimeException: an enum's ofKey refusing a key, LocalDate.of refusing a day
        }
    }

    private static Household household(JsonParser p, int[] pmt) throws IOException, GiveUp {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw GIVE_UP;
        }
        long id = 0;
        int uc = 0;
        String village = "";
        String address = "";
        int lat = 0;
        int lon = 0;
        LocalDate survey = null;
        SurveySource source = null;
        HouseType type = null;
        int rooms = -1;
        ToiletType toilet = null;
        WaterSource water = null;
        Electricity electricity = null;
        GasConnection gas = null;
        int assets = 0;
        int[] livestock = null;
        int[] land = null;
        long phone = 0;
        int programmes = 0;
        int score = -1;
        int version = 1;
        int model = 0;
        List<Member> members = null;
        long seen = 0;
        List<String> unknown = null;
        String f;
        while ((f = p.nextFieldName()) != null) {
            seen = once(seen, HOUSEHOLD_FIELDS.get(f));
            JsonToken t = p.nextToken();
            switch (f) {
                case "household_id" -> id = whole(p, t, 1, Long.MAX_VALUE);
                case "union_council" -> uc = (int) whole(p, t, 1, Integer.MAX_VALUE);
                case "village" -> village = text(p, t, 0, 200, true);
                case "address" -> address = addressText(p, t);
                case "latitude" -> lat = coordinate(p, t, 90);
                case "longitude" -> lon = coordinate(p, t, 180);
                case "survey_date" -> survey = date(p, t, HouseholdJson.SURVEY_MIN, HouseholdJson.SURVEY_MAX);
                case "survey_source" -> source = coded(p, t, SOURCES);
                case "house_type" -> type = coded(p, t, HOUSE_TYPES);
                case "rooms" -> rooms = (int) whole(p, t, 0, 255);
                case "toilet" -> toilet = coded(p, t, TOILETS);
                case "water" -> water = coded(p, t, WATERS);
                case "electricity" -> electricity = coded(p, t, ELECTRICITY);
                case "gas" -> gas = coded(p, t, GAS);
                case "assets" -> assets = assets(p, t);
                case "livestock" -> livestock = livestock(p, t);
                case "land" -> land = land(p, t);
                case "phone" -> phone = phone(p, t);
                case "programmes" -> programmes = programmes(p, t);
                case "pmt_score" -> score = score(p, t);
                case "version" -> version = t == JsonToken.VALUE_NULL ? 1 : (int) whole(p, t, 1, Integer.MAX_VALUE);
                case "pmt_model_version" -> model = t == JsonToken.VALUE_NULL ? 0 : (int) whole(p, t, 0, 0xFFFF);
                case "members" -> members = members(p, t, members);
                default -> unknown = unknown(p, t, f, unknown);
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
            throw GIVE_UP; // trailing content: the tree path's to judge
        }
        if (id == 0 || uc == 0 || survey == null || source == null || type == null || rooms < 0 || toilet == null
                || water == null || electricity == null || gas == null || members == null) {
            throw GIVE_UP; // a required field missing
        }
        pmt[0] = score;
        return new Household(id, new Address(uc, village, address, lat, lon), Math.max(0, score), model, survey,
                source, new Dwelling(type, rooms, toilet, water, electricity, gas),
                new Assets(assets, livestock == null ? new int[LIVESTOCK] : livestock,
                        land == null ? new int[LAND] : land),
                phone, (programmes & 1) != 0, (programmes & 2) != 0, version, members);
    }

    private static List<Member> members(JsonParser p, JsonToken t, List<Member> before) throws IOException, GiveUp {
        if (t != JsonToken.START_ARRAY || before != null) {
            throw GIVE_UP;
        }
        List<Member> members = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            members.add(member(p));
        }
        if (p.currentToken() != JsonToken.END_ARRAY || members.isEmpty() || members.size() > 255) {
            throw GIVE_UP;
        }
        return members;
    }

    private static Member member(JsonParser p) throws IOException, GiveUp {
        long cnic = 0;
        String name = null;
        String guardian = "";
        Gender gender = null;
        LocalDate dob = null;
        Relationship rel = null;
        MaritalStatus marital = null;
        Disability disability = null;
        EducationLevel education = null;
        int literate = -1;
        SchoolStatus school = null;
        Employment employment = null;
        int chronic = -1;
        int deceased = -1;
        long seen = 0;
        List<String> unknown = null;
        String f;
        while ((f = p.nextFieldName()) != null) {
            seen = once(seen, MEMBER_FIELDS.get(f));
            JsonToken t = p.nextToken();
            switch (f) {
                case "cnic" -> cnic = cnic(p, t);
                case "name" -> name = text(p, t, 1, 200, false);
                case "guardian_name" -> guardian = text(p, t, 0, 200, true);
                case "gender" -> gender = coded(p, t, GENDERS);
                case "date_of_birth" -> dob = date(p, t, HouseholdJson.BIRTH_MIN, HouseholdJson.BIRTH_MAX);
                case "relationship" -> rel = coded(p, t, RELATIONSHIPS);
                case "marital_status" -> marital = coded(p, t, MARITAL);
                case "disability" -> disability = coded(p, t, DISABILITIES);
                case "education" -> education = coded(p, t, EDUCATION);
                case "literate" -> literate = bool(p, t);
                case "school_status" -> school = coded(p, t, SCHOOL);
                case "employment" -> employment = coded(p, t, EMPLOYMENT);
                case "chronic_disease" -> chronic = bool(p, t);
                case "deceased" -> deceased = bool(p, t);
                default -> unknown = unknown(p, t, f, unknown);
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || name == null || gender == null || dob == null || rel == null
                || marital == null || disability == null || education == null || literate < 0 || school == null
                || employment == null || chronic < 0 || deceased < 0) {
            throw GIVE_UP;
        }
        return new Member(cnic, name, guardian, gender, dob, rel, marital, disability, education, literate == 1,
                school, employment, chronic == 1, deceased == 1);
    }

    // ---- values: each accepts only what the tree path accepts for that field, in the common JSON types

    /**
     * An unknown field: a scalar is read (as the tree would, so bad UTF-8 still fails) and ignored; its name is kept
     * to see it given twice (the tree path refuses that).
     */
    private static List<String> unknown(JsonParser p, JsonToken t, String name, List<String> before)
            throws IOException, GiveUp {
        switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> {
            }
            default -> throw GIVE_UP; // objects, arrays and numbers: the tree path reads them its own way
        }
        List<String> names = before == null ? new ArrayList<>(2) : before;
        if (names.contains(name)) {
            throw GIVE_UP;
        }
        names.add(name);
        return names;
    }

    /** {@code seen} with a known field's bit added; a field given twice gives up. */
    private static long once(long seen, Long bit) throws GiveUp {
        if (bit == null) {
            return seen;
        }
        if ((seen & bit) != 0) {
            throw GIVE_UP;
        }
        return seen | bit;
    }

    private static java.util.Map<String, Long> bits(String... names) {
        java.util.Map<String, Long> m = new java.util.HashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], 1L << i);
        }
        return java.util.Map.copyOf(m);
    }

    /** {@code HouseholdJson.longField}: a JSON integer that fits a long, or a string of 1 to 18 digits. */
    private static long whole(JsonParser p, JsonToken t, long min, long max) throws IOException, GiveUp {
        long x;
        if (t == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType nt = p.getNumberType();
            if (nt != JsonParser.NumberType.INT && nt != JsonParser.NumberType.LONG) {
                throw GIVE_UP;
            }
            x = p.getLongValue();
        } else if (t == JsonToken.VALUE_STRING) {
            x = digits(p.getText());
        } else {
            throw GIVE_UP;
        }
        if (x < min || x > max) {
            throw GIVE_UP;
        }
        return x;
    }

    /** {@code -?[0-9]{1,18}} read as a long, else give up. */
    private static long digits(String s) throws GiveUp {
        int i = s.startsWith("-") ? 1 : 0;
        int n = s.length() - i;
        if (n < 1 || n > 18) {
            throw GIVE_UP;
        }
        long v = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw GIVE_UP;
            }
            v = v * 10 + (c - '0');
        }
        return s.charAt(0) == '-' ? -v : v;
    }

    /** {@code HouseholdJson.text}: a string (or null when optional) of {@code min..max} chars. */
    private static String text(JsonParser p, JsonToken t, int min, int max, boolean optional)
            throws IOException, GiveUp {
        if (t == JsonToken.VALUE_NULL && optional) {
            return "";
        }
        if (t != JsonToken.VALUE_STRING) {
            throw GIVE_UP;
        }
        String s = p.getText();
        if (s.length() < min || s.length() > max) {
            throw GIVE_UP;
        }
        return s;
    }

    private static String addressText(JsonParser p, JsonToken t) throws IOException, GiveUp {
        String s = text(p, t, 0, RecordLayout.MAX_ADDRESS_BYTES, true);
        if (s.length() > RecordLayout.MAX_ADDRESS_BYTES / 3
                && s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > RecordLayout.MAX_ADDRESS_BYTES) {
            throw GIVE_UP;
        }
        return s;
    }

    /** {@code HouseholdJson.coordinate}: absent, null or "" is 0; a number or a numeric string within the limit. */
    private static int coordinate(JsonParser p, JsonToken t, int limit) throws IOException, GiveUp {
        double d;
        switch (t) {
            case VALUE_NULL -> {
                return 0;
            }
            case VALUE_NUMBER_FLOAT -> {
                if (p.getNumberType() != JsonParser.NumberType.DOUBLE) {
                    throw GIVE_UP;
                }
                d = p.getDoubleValue();
            }
            case VALUE_NUMBER_INT -> d = number(p);
            case VALUE_STRING -> {
                String s = p.getText();
                if (s.isEmpty()) {
                    return 0;
                }
                try {
                    d = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw GIVE_UP;
                }
            }
            default -> throw GIVE_UP;
        }
        if (!(Math.abs(d) <= limit)) {
            throw GIVE_UP;
        }
        return (int) Math.round(d * 1e6);
    }

    /** A JSON integer as the tree's {@code asDouble} gives it (int and long only). */
    private static double number(JsonParser p) throws IOException, GiveUp {
        JsonParser.NumberType nt = p.getNumberType();
        if (nt == JsonParser.NumberType.INT) {
            return p.getIntValue();
        }
        if (nt == JsonParser.NumberType.LONG) {
            return p.getLongValue();
        }
        throw GIVE_UP;
    }

    /** {@code HouseholdJson.date}: a string {@code YYYY-MM-DD} within the range, read from the parser's characters. */
    private static LocalDate date(JsonParser p, JsonToken t, LocalDate min, LocalDate max)
            throws IOException, GiveUp {
        if (t != JsonToken.VALUE_STRING || p.getTextLength() != 10) {
            throw GIVE_UP;
        }
        char[] c = p.getTextCharacters();
        int o = p.getTextOffset();
        if (c[o + 4] != '-' || c[o + 7] != '-') {
            throw GIVE_UP;
        }
        int y = digits(c, o, o + 4);
        int m = digits(c, o + 5, o + 7);
        int d = digits(c, o + 8, o + 10);
        if (y < 0 || m < 0 || d < 0) {
            throw GIVE_UP;
        }
        LocalDate date = LocalDate.of(y, m, d); // DateTimeException for a day the month does not have
        if (date.isBefore(min) || date.isAfter(max)) {
            throw GIVE_UP;
        }
        return date;
    }

    /**
     * The constant whose key the string token is (what the enum's {@code ofKey} returns, by the same equality),
     * read from the parser's characters: no String a field.
     */
    private static <E extends Coded> E coded(JsonParser p, JsonToken t, E[] values) throws IOException, GiveUp {
        if (t != JsonToken.VALUE_STRING) {
            throw GIVE_UP;
        }
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        for (E e : values) {
            if (same(e.key(), c, off, len)) {
                return e;
            }
        }
        throw GIVE_UP;
    }

    private static boolean same(String key, char[] c, int off, int len) {
        if (key.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (key.charAt(i) != c[off + i]) {
                return false;
            }
        }
        return true;
    }

    /** Digits {@code from..to} of {@code c} as a number; -1 when one is not an ASCII digit. */
    private static int digits(char[] c, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char d = c[i];
            if (d < '0' || d > '9') {
                return -1;
            }
            v = v * 10 + (d - '0');
        }
        return v;
    }

    /** {@code HouseholdJson.bool}: true/false, or the strings "true"/"false"; 1 or 0. */
    private static int bool(JsonParser p, JsonToken t) throws IOException, GiveUp {
        return switch (t) {
            case VALUE_TRUE -> 1;
            case VALUE_FALSE -> 0;
            case VALUE_STRING -> {
                char[] c = p.getTextCharacters();
                if (same("true", c, p.getTextOffset(), p.getTextLength())) {
                    yield 1;
                }
                if (same("false", c, p.getTextOffset(), p.getTextLength())) {
                    yield 0;
                }
                throw GIVE_UP;
            }
            default -> throw GIVE_UP;
        };
    }

    /** {@code HouseholdJson.optionalCnic}: absent, null or "" is 0; else a valid CNIC/B-Form ({@code Cnic.tryParse}). */
    private static long cnic(JsonParser p, JsonToken t) throws IOException, GiveUp {
        long cnic;
        if (t == JsonToken.VALUE_NULL) {
            return 0;
        } else if (t == JsonToken.VALUE_STRING) {
            if (p.getTextLength() == 0) {
                return 0;
            }
            cnic = Cnic.tryParse(java.nio.CharBuffer.wrap(p.getTextCharacters(), p.getTextOffset(),
                    p.getTextLength()));
        } else if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.LONG) {
            cnic = Cnic.tryParse(Long.toString(p.getLongValue()));
        } else {
            throw GIVE_UP;
        }
        if (cnic < 0) {
            throw GIVE_UP;
        }
        return cnic;
    }

    /** {@code HouseholdJson.phone}: absent, null or "" is 0; else 10 to 15 digits, the first not 0. */
    private static long phone(JsonParser p, JsonToken t) throws IOException, GiveUp {
        String s;
        if (t == JsonToken.VALUE_NULL) {
            return 0;
        } else if (t == JsonToken.VALUE_STRING) {
            s = p.getText();
        } else if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.LONG) {
            s = Long.toString(p.getLongValue());
        } else {
            throw GIVE_UP;
        }
        if (s.isEmpty()) {
            return 0;
        }
        if (s.length() < 10 || s.length() > 15 || s.charAt(0) < '1' || s.charAt(0) > '9') {
            throw GIVE_UP;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw GIVE_UP;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** {@code HouseholdJson.score}: null is -1; a JSON number from 0 to 100, in hundredths. */
    private static int score(JsonParser p, JsonToken t) throws IOException, GiveUp {
        double d;
        if (t == JsonToken.VALUE_NULL) {
            return -1;
        } else if (t == JsonToken.VALUE_NUMBER_FLOAT && p.getNumberType() == JsonParser.NumberType.DOUBLE) {
            d = p.getDoubleValue();
        } else if (t == JsonToken.VALUE_NUMBER_INT) {
            d = number(p);
        } else {
            throw GIVE_UP;
        }
        if (!(d >= 0 && d <= 100)) {
            throw GIVE_UP;
        }
        return (int) Math.round(d * 100);
    }

    /** An optional list of strings: null is empty. */
    private static void listStart(JsonToken t) throws GiveUp {
        if (t != JsonToken.START_ARRAY) {
            throw GIVE_UP;
        }
    }

    private static int assets(JsonParser p, JsonToken t) throws IOException, GiveUp {
        return bits(p, t, q -> 1 << coded(q, JsonToken.VALUE_STRING, ASSETS).ordinal());
    }

    private static int programmes(JsonParser p, JsonToken t) throws IOException, GiveUp {
        return bits(p, t, q -> switch (q.getText()) {
            case "uct" -> 1;
            case "cct" -> 2;
            default -> throw GIVE_UP;
        });
    }

    /** The bit of the string the parser is on, or {@link #GIVE_UP}. */
    @FunctionalInterface
    private interface Bit {
        int of(JsonParser p) throws IOException, GiveUp;
    }

    /** An optional list of strings as a set of bits ({@code bit} of each); null is empty. */
    private static int bits(JsonParser p, JsonToken t, Bit bit) throws IOException, GiveUp {
        if (t == JsonToken.VALUE_NULL) {
            return 0;
        }
        listStart(t);
        int bits = 0;
        JsonToken e;
        while ((e = p.nextToken()) == JsonToken.VALUE_STRING) {
            bits |= bit.of(p);
        }
        if (e != JsonToken.END_ARRAY) {
            throw GIVE_UP;
        }
        return bits;
    }

    private static int[] livestock(JsonParser p, JsonToken t) throws IOException, GiveUp {
        return counts(p, t, LIVESTOCK, f -> Livestock.ofKey(f).ordinal(), 255);
    }

    private static int[] land(JsonParser p, JsonToken t) throws IOException, GiveUp {
        return counts(p, t, LAND, f -> LandUnit.ofKey(f).ordinal(), 65_535);
    }

    /** An object of whole counts keyed by an enum's keys ({@code slot} of a key), each at most once; null: none. */
    private static int[] counts(JsonParser p, JsonToken t, int size, java.util.function.ToIntFunction<String> slot,
                                int max) throws IOException, GiveUp {
        int[] out = new int[size];
        if (t == JsonToken.VALUE_NULL) {
            return out;
        }
        if (t != JsonToken.START_OBJECT) {
            throw GIVE_UP;
        }
        long seen = 0;
        String f;
        while ((f = p.nextFieldName()) != null) {
            int i = slot.applyAsInt(f);
            seen = once(seen, 1L << i);
            out[i] = (int) whole(p, p.nextToken(), 0, max);
        }
        return out;
    }
}
