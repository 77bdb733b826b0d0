package pk.gov.bisp.nser.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.record.RecordLayout;
import pk.gov.bisp.nser.core.text.Digits;
import pk.gov.bisp.nser.core.schema.Address;
import pk.gov.bisp.nser.core.schema.Asset;
import pk.gov.bisp.nser.core.schema.Assets;
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
 * The JSON shape of one household (an NDJSON import line, an export line, a live update), both ways. Field names
 * are in the index builder's IMPORT-FORMAT.md. Parsing names every bad field ({@link InvalidFieldsException}).
 */
public final class HouseholdJson {

    /**
     * Reads and writes household JSON. A key given twice in one object is refused (last-one-wins would let a body say
     * two things at once).
     */
    public static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** Survey dates the record can hold (days since 2000-01-01 in 16 bits). */
    public static final LocalDate SURVEY_MIN = LocalDate.ofEpochDay(HouseholdRecord.SURVEY_EPOCH_DAY);
    public static final LocalDate SURVEY_MAX = SURVEY_MIN.plusDays(0xFFFF);
    /** Dates of birth the record can hold (days since 1900-01-01 in 16 bits). */
    public static final LocalDate BIRTH_MIN = LocalDate.ofEpochDay(HouseholdRecord.DOB_EPOCH_DAY);
    public static final LocalDate BIRTH_MAX = BIRTH_MIN.plusDays(0xFFFF);

    private HouseholdJson() {
    }

    /**
     * Parses one household; {@code pmt} receives the optional given score in hundredths (or -1). The optional
     * {@code version} (default 1) and {@code pmt_model_version} (default 0) are read too.
     *
     * @throws InvalidFieldsException naming every bad field
     */
    public static Household parse(JsonNode n, int[] pmt) throws InvalidFieldsException {
        FieldErrors e = new FieldErrors();
        Household h = parse(n, pmt, e);
        e.throwIfAny();
        return h;
    }

    /**
     * Parses one household from its JSON bytes (UTF-8), with the same answers as {@link #parse(JsonNode, int[])}
     * on {@code JSON.readTree(json)}: a valid household is read by a streaming parser without building a tree
     * (half to two thirds of the CPU, a seventh of the garbage; BENCHMARKS.md); anything else, or anything unusual, goes through the tree,
     * so every error is named exactly as there.
     *
     * @throws InvalidFieldsException  naming every bad field
     * @throws JsonProcessingException when the bytes are not one JSON value ({@code readTree}'s exception)
     */
    public static Household parse(byte[] json, int[] pmt) throws InvalidFieldsException, JsonProcessingException {
        Household h = HouseholdStream.parse(json, 0, json.length, pmt);
        if (h != null) {
            return h;
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (java.io.IOException e) { // not from a byte array
            throw new java.io.UncheckedIOException(e);
        }
        return parse(tree, pmt);
    }

    /**
     * The streaming parse alone: the household, or null when the tree path must decide (the bytes may be invalid or
     * merely unusual, such as a number written as a string). For tests and benchmarks of the fast path.
     */
    public static Household streamed(byte[] json, int[] pmt) {
        return HouseholdStream.parse(json, 0, json.length, pmt);
    }

    /** Parses into {@code e}; null when any field was bad. */
    public static Household parse(JsonNode n, int[] pmt, FieldErrors e) {
        if (!n.isObject()) {
            e.add("household", "expected a JSON object");
            return null;
        }
        long id = e.read(() -> longField(n, "household_id", 1, Long.MAX_VALUE), 0L);
        Address address = address(n, e);
        LocalDate survey = e.read(() -> date(n, "survey_date", SURVEY_MIN, SURVEY_MAX), null);
        SurveySource source = e.read(() -> enumField(n, "survey_source", SurveySource::ofKey), null);
        Dwelling dwelling = dwelling(n, e);
        Assets assets = assets(n, e);
        long phone = e.read(() -> phone(n), 0L);
        int programmes = e.read(() -> programmes(n), 0);
        pmt[0] = e.read(() -> score(n), -1);
        int version = e.read(() -> optionalInt(n, "version", 1, 1, Integer.MAX_VALUE), 1);
        int model = e.read(() -> optionalInt(n, "pmt_model_version", 0, 0, 0xFFFF), 0);
        List<Member> members = members(n, e);
        if (e.any()) {
            return null;
        }
        return new Household(id, address, Math.max(0, pmt[0]), model, survey, source, dwelling, assets, phone,
                (programmes & 1) != 0, (programmes & 2) != 0, version, members);
    }

    /** The address fields of a household object; null when any is bad. */
    public static Address address(JsonNode n, FieldErrors e) {
        int uc = (int) (long) e.read(() -> longField(n, "union_council", 1, Integer.MAX_VALUE), 0L);
        String village = e.read(() -> text(n, "village", 0, 200, true), null);
        String text = e.read(() -> addressText(n), null);
        int lat = e.read(() -> coordinate(n, "latitude", 90), 0);
        int lon = e.read(() -> coordinate(n, "longitude", 180), 0);
        return village == null || text == null || uc == 0 ? null : new Address(uc, village, text, lat, lon);
    }

    /** The dwelling fields of a household object; null when any is bad. */
    public static Dwelling dwelling(JsonNode n, FieldErrors e) {
        HouseType type = e.read(() -> enumField(n, "house_type", HouseType::ofKey), null);
        int rooms = e.read(() -> (int) longField(n, "rooms", 0, 255), -1);
        ToiletType toilet = e.read(() -> enumField(n, "toilet", ToiletType::ofKey), null);
        WaterSource water = e.read(() -> enumField(n, "water", WaterSource::ofKey), null);
        Electricity electricity = e.read(() -> enumField(n, "electricity", Electricity::ofKey), null);
        GasConnection gas = e.read(() -> enumField(n, "gas", GasConnection::ofKey), null);
        if (type == null || rooms < 0 || toilet == null || water == null || electricity == null || gas == null) {
            return null;
        }
        return new Dwelling(type, rooms, toilet, water, electricity, gas);
    }

    /** Equipment, livestock and land of a household object; null when any is bad. */
    public static Assets assets(JsonNode n, FieldErrors e) {
        int bits = e.read(() -> {
            int b = 0;
            int i = 0;
            for (JsonNode a : array(n, "assets", true)) {
                String at = "assets[" + i++ + "]";
                b |= 1 << parseKey(at, a.asText(), Asset::ofKey).ordinal();
            }
            return b;
        }, -1);
        int[] livestock = e.read(() -> counts(n, "livestock", Livestock.values().length, 255,
                k -> Livestock.ofKey(k).ordinal()), null);
        int[] land = e.read(() -> counts(n, "land", LandUnit.values().length, 65_535,
                k -> LandUnit.ofKey(k).ordinal()), null);
        return bits < 0 || livestock == null || land == null ? null : new Assets(bits, livestock, land);
    }

    private static List<Member> members(JsonNode n, FieldErrors e) {
        Iterable<JsonNode> list = e.read(() -> array(n, "members", false), List.of());
        List<Member> members = new ArrayList<>();
        int i = 0;
        for (JsonNode m : list) {
            members.add(member(m, e.under("members[" + i++ + "].")));
        }
        if (i == 0 && n.has("members") || i > 255) {
            e.add("members", "a household has 1 to 255 members, got " + i);
        }
        return members;
    }

    /** One roster entry; null when any field is bad (each named under {@code e}'s prefix). */
    public static Member member(JsonNode m, FieldErrors e) {
        if (!m.isObject()) {
            e.add("member", "expected an object");
            return null;
        }
        long cnic = e.read(() -> optionalCnic(m, "cnic"), -1L);
        String name = e.read(() -> text(m, "name", 1, 200, false), null);
        String guardian = e.read(() -> text(m, "guardian_name", 0, 200, true), null);
        Gender gender = e.read(() -> enumField(m, "gender", Gender::ofKey), null);
        LocalDate dob = e.read(() -> date(m, "date_of_birth", BIRTH_MIN, BIRTH_MAX), null);
        Relationship rel = e.read(() -> enumField(m, "relationship", Relationship::ofKey), null);
        MaritalStatus marital = e.read(() -> enumField(m, "marital_status", MaritalStatus::ofKey), null);
        Disability disability = e.read(() -> enumField(m, "disability", Disability::ofKey), null);
        EducationLevel education = e.read(() -> enumField(m, "education", EducationLevel::ofKey), null);
        Boolean literate = e.read(() -> bool(m, "literate"), null);
        SchoolStatus school = e.read(() -> enumField(m, "school_status", SchoolStatus::ofKey), null);
        Employment employment = e.read(() -> enumField(m, "employment", Employment::ofKey), null);
        Boolean chronic = e.read(() -> bool(m, "chronic_disease"), null);
        Boolean deceased = e.read(() -> bool(m, "deceased"), null);
        if (cnic < 0 || name == null || guardian == null || gender == null || dob == null || rel == null
                || marital == null || disability == null || education == null || literate == null || school == null
                || employment == null || chronic == null || deceased == null) {
            return null;
        }
        return new Member(cnic, name, guardian, gender, dob, rel, marital, disability, education, literate, school,
                employment, chronic, deceased);
    }

    /** The household as an NDJSON object; {@link #parse} reads it back to an equal household. */
    public static ObjectNode toJson(Household h) {
        ObjectNode n = JSON.createObjectNode();
        n.put("household_id", h.householdId()).put("union_council", h.address().unionCouncil())
                .put("village", h.address().village()).put("address", h.address().text())
                .put("latitude", h.address().latitudeE6() / 1e6).put("longitude", h.address().longitudeE6() / 1e6)
                .put("survey_date", h.surveyDate().toString()).put("survey_source", h.surveySource().key())
                .put("house_type", h.dwelling().houseType().key()).put("rooms", h.dwelling().rooms())
                .put("toilet", h.dwelling().toilet().key()).put("water", h.dwelling().water().key())
                .put("electricity", h.dwelling().electricity().key()).put("gas", h.dwelling().gas().key());
        ArrayNode assets = n.putArray("assets");
        h.assets().equipment().forEach(a -> assets.add(a.key()));
        ObjectNode livestock = n.putObject("livestock");
        for (Livestock l : Livestock.values()) {
            if (h.assets().livestock(l) > 0) {
                livestock.put(l.key(), h.assets().livestock(l));
            }
        }
        ObjectNode land = n.putObject("land");
        for (LandUnit u : LandUnit.values()) {
            if (h.assets().land(u) > 0) {
                land.put(u.key(), h.assets().land(u));
            }
        }
        n.put("phone", h.phone() == 0 ? "" : Long.toString(h.phone()));
        ArrayNode programmes = n.putArray("programmes");
        if (h.uct()) {
            programmes.add("uct");
        }
        if (h.cct()) {
            programmes.add("cct");
        }
        n.put("pmt_score", h.pmtHundredths() / 100.0);
        n.put("pmt_model_version", h.pmtModelVersion());
        n.put("version", h.version());
        ArrayNode members = n.putArray("members");
        for (Member m : h.members()) {
            memberJson(m, members.addObject());
        }
        return n;
    }

    /** Writes one member's fields into {@code o}. */
    public static ObjectNode memberJson(Member m, ObjectNode o) {
        return o.put("cnic", m.cnic() == 0 ? "" : Cnic.format(m.cnic())).put("name", m.name())
                .put("guardian_name", m.guardianName()).put("gender", m.gender().key())
                .put("date_of_birth", m.dateOfBirth().toString()).put("relationship", m.relationship().key())
                .put("marital_status", m.maritalStatus().key()).put("disability", m.disability().key())
                .put("education", m.education().key()).put("literate", m.literate())
                .put("school_status", m.schoolStatus().key()).put("employment", m.employment().key())
                .put("chronic_disease", m.chronicDisease()).put("deceased", m.deceased());
    }

    // ---- field readers: each names its field when it throws

    private static JsonNode required(JsonNode n, String f) throws FieldErrors.Bad {
        JsonNode v = n.get(f);
        if (v == null || v.isNull() || v.isTextual() && v.asText().isEmpty()) {
            throw new FieldErrors.Bad(f, "missing");
        }
        return v;
    }

    public static long longField(JsonNode n, String f, long min, long max) throws FieldErrors.Bad {
        JsonNode v = required(n, f);
        long x;
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                throw new FieldErrors.Bad(f, v + " is outside " + min + ".." + max);
            }
            x = v.asLong();
        } else if (v.isTextual() && v.asText().matches("-?[0-9]{1,18}")) {
            x = Long.parseLong(v.asText());
        } else {
            throw new FieldErrors.Bad(f, "'" + v.asText() + "' is not a whole number");
        }
        if (x < min || x > max) {
            throw new FieldErrors.Bad(f, x + " is outside " + min + ".." + max);
        }
        return x;
    }

    private static int optionalInt(JsonNode n, String f, int absent, int min, int max) throws FieldErrors.Bad {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? absent : (int) longField(n, f, min, max);
    }

    /** A CNIC/B-Form, or 0 when absent or empty. */
    public static long optionalCnic(JsonNode n, String f) throws FieldErrors.Bad {
        JsonNode c = n.get(f);
        if (c == null || c.isNull() || c.asText().isEmpty()) {
            return 0;
        }
        long cnic = Cnic.tryParse(c.asText());
        if (cnic < 0) {
            throw new FieldErrors.Bad(f, Cnic.explain(c.asText()));
        }
        return cnic;
    }

    /** The {@code phone} field of a household or of a contact change; 0 when absent or empty. */
    public static long phone(JsonNode n) throws FieldErrors.Bad {
        JsonNode p = n.get("phone");
        if (p == null || p.isNull() || p.asText().isEmpty()) {
            return 0;
        }
        String digits = p.asText();
        if (!digits.matches("[1-9][0-9]{9,14}")) {
            throw new FieldErrors.Bad("phone", "'" + digits + "' must be 10 to 15 digits in international form "
                    + "without a leading 0 or +, e.g. 923001234567");
        }
        return Long.parseLong(digits);
    }

    private static int programmes(JsonNode n) throws FieldErrors.Bad {
        int bits = 0;
        for (JsonNode prog : array(n, "programmes", true)) {
            switch (prog.asText()) {
                case "uct" -> bits |= 1;
                case "cct" -> bits |= 2;
                default -> throw new FieldErrors.Bad("programmes", "unknown programme '" + prog.asText()
                        + "'; valid: uct, cct");
            }
        }
        return bits;
    }

    private static int score(JsonNode n) throws FieldErrors.Bad {
        JsonNode score = n.get("pmt_score");
        if (score == null || score.isNull()) {
            return -1;
        }
        if (!score.isNumber() || !(score.asDouble() >= 0 && score.asDouble() <= 100)) {
            throw new FieldErrors.Bad("pmt_score", "'" + score + "' must be a number from 0 to 100");
        }
        return (int) Math.round(score.asDouble() * 100);
    }

    public static int coordinate(JsonNode n, String f, int limit) throws FieldErrors.Bad {
        JsonNode v = n.get(f);
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            return 0;
        }
        double d;
        try {
            d = v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
            throw new FieldErrors.Bad(f, "'" + v.asText() + "' is not a number");
        }
        if (!(Math.abs(d) <= limit)) {
            throw new FieldErrors.Bad(f, d + " is outside -" + limit + ".." + limit);
        }
        return (int) Math.round(d * 1e6);
    }

    public static String text(JsonNode n, String f, int minLen, int maxLen, boolean optional)
            throws FieldErrors.Bad {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            if (optional) {
                return "";
            }
            throw new FieldErrors.Bad(f, "missing");
        }
        if (!v.isValueNode()) {
            throw new FieldErrors.Bad(f, "expected a string");
        }
        String s = v.asText();
        if (s.length() < minLen || s.length() > maxLen) {
            throw new FieldErrors.Bad(f, "length " + s.length() + " must be " + minLen + ".." + maxLen);
        }
        return s;
    }

    private static String addressText(JsonNode n) throws FieldErrors.Bad {
        String s = text(n, "address", 0, RecordLayout.MAX_ADDRESS_BYTES, true);
        int bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > RecordLayout.MAX_ADDRESS_BYTES) {
            throw new FieldErrors.Bad("address", bytes + " bytes of UTF-8; at most " + RecordLayout.MAX_ADDRESS_BYTES);
        }
        return s;
    }

    public static LocalDate date(JsonNode n, String f, LocalDate min, LocalDate max) throws FieldErrors.Bad {
        String s = required(n, f).asText();
        LocalDate d;
        try {
            d = isoDate(s);
        } catch (java.time.DateTimeException e) { // DateTimeParseException too
            throw new FieldErrors.Bad(f, "'" + s + "' is not a date YYYY-MM-DD");
        }
        if (d.isBefore(min) || d.isAfter(max)) {
            throw new FieldErrors.Bad(f, s + " is outside " + min + ".." + max);
        }
        return d;
    }

    /**
     * {@code YYYY-MM-DD} read digit by digit (LocalDate.parse goes through a general formatter, a few microseconds
     * for each of a household's dates); anything else goes to LocalDate.parse for its error.
     */
    private static LocalDate isoDate(String s) {
        if (s.length() == 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
            int y = (int) Digits.read(s, 0, 4, 0);
            int m = (int) Digits.read(s, 5, 7, 0);
            int d = (int) Digits.read(s, 8, 10, 0);
            if (y >= 0 && m >= 0 && d >= 0) {
                return LocalDate.of(y, m, d); // DateTimeException for a day the month does not have
            }
        }
        return LocalDate.parse(s);
    }

    public static boolean bool(JsonNode n, String f) throws FieldErrors.Bad {
        JsonNode v = required(n, f);
        String s = v.asText();
        if (v.isBoolean() || s.equals("true") || s.equals("false")) {
            return v.isBoolean() ? v.asBoolean() : Boolean.parseBoolean(s);
        }
        throw new FieldErrors.Bad(f, "'" + s + "' must be true or false");
    }

    public static <E> E enumField(JsonNode n, String f, Function<String, E> ofKey) throws FieldErrors.Bad {
        return parseKey(f, required(n, f).asText(), ofKey);
    }

    private static <E> E parseKey(String f, String key, Function<String, E> ofKey) throws FieldErrors.Bad {
        try {
            return ofKey.apply(key);
        } catch (IllegalArgumentException e) {
            throw new FieldErrors.Bad(f, e.getMessage());
        }
    }

    private static Iterable<JsonNode> array(JsonNode n, String f, boolean optional) throws FieldErrors.Bad {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            if (optional) {
                return List.of();
            }
            throw new FieldErrors.Bad(f, "missing");
        }
        if (!v.isArray()) {
            throw new FieldErrors.Bad(f, "expected a list");
        }
        return v;
    }

    private static int[] counts(JsonNode n, String f, int size, int max, Function<String, Integer> index)
            throws FieldErrors.Bad {
        int[] out = new int[size];
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw new FieldErrors.Bad(f, "expected an object of counts");
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            int i = parseKey(f + "." + e.getKey(), e.getKey(), index);
            try {
                out[i] = (int) longField(v, e.getKey(), 0, max);
            } catch (FieldErrors.Bad ex) {
                throw new FieldErrors.Bad(f + "." + ex.field(), ex.getMessage());
            }
        }
        return out;
    }
}
