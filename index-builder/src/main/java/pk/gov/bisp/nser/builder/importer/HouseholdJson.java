package pk.gov.bisp.nser.builder.importer;

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

/** The JSON shape of one household (an NDJSON line), both ways. Field names are in IMPORT-FORMAT.md. */
public final class HouseholdJson {

    static final ObjectMapper JSON = new ObjectMapper();

    private HouseholdJson() {
    }

    /** Parses one household; {@code pmt} receives the optional given score in hundredths (or -1). */
    public static Household parse(JsonNode n, int[] pmt) throws RowException {
        if (!n.isObject()) {
            throw new RowException("expected a JSON object for the household");
        }
        long id = longField(n, "household_id", 1, Long.MAX_VALUE);
        Address address = new Address((int) longField(n, "union_council", 1, Integer.MAX_VALUE),
                text(n, "village", 0, 200, true), addressText(n),
                coordinate(n, "latitude", 90), coordinate(n, "longitude", 180));
        LocalDate survey = date(n, "survey_date", SURVEY_MIN, SURVEY_MAX);
        SurveySource source = enumField(n, "survey_source", SurveySource::ofKey);
        Dwelling dwelling = new Dwelling(enumField(n, "house_type", HouseType::ofKey),
                (int) longField(n, "rooms", 0, 255), enumField(n, "toilet", ToiletType::ofKey),
                enumField(n, "water", WaterSource::ofKey), enumField(n, "electricity", Electricity::ofKey),
                enumField(n, "gas", GasConnection::ofKey));
        int bits = 0;
        for (JsonNode a : array(n, "assets", true)) {
            bits |= 1 << parseKey("assets", a.asText(), Asset::ofKey).ordinal();
        }
        int[] livestock = counts(n, "livestock", Livestock.values().length, 255, k -> Livestock.ofKey(k).ordinal());
        int[] land = counts(n, "land", LandUnit.values().length, 65_535, k -> LandUnit.ofKey(k).ordinal());
        long phone = 0;
        JsonNode p = n.get("phone");
        if (p != null && !p.isNull() && !p.asText().isEmpty()) {
            String digits = p.asText();
            if (!digits.matches("[1-9][0-9]{9,14}")) {
                throw new RowException("phone: '" + digits + "' must be 10 to 15 digits in international form "
                        + "without a leading 0 or +, e.g. 923001234567");
            }
            phone = Long.parseLong(digits);
        }
        boolean uct = false;
        boolean cct = false;
        for (JsonNode prog : array(n, "programmes", true)) {
            switch (prog.asText()) {
                case "uct" -> uct = true;
                case "cct" -> cct = true;
                default -> throw new RowException("programmes: unknown programme '" + prog.asText()
                        + "'; valid: uct, cct");
            }
        }
        pmt[0] = -1;
        JsonNode score = n.get("pmt_score");
        if (score != null && !score.isNull()) {
            if (!score.isNumber() || !(score.asDouble() >= 0 && score.asDouble() <= 100)) {
                throw new RowException("pmt_score '" + score + "' must be a number from 0 to 100");
            }
            pmt[0] = (int) Math.round(score.asDouble() * 100);
        }
        List<Member> members = new ArrayList<>();
        int i = 0;
        for (JsonNode m : array(n, "members", false)) {
            members.add(member(m, "members[" + i++ + "]."));
        }
        if (members.isEmpty() || members.size() > 255) {
            throw new RowException("members: a household has 1 to 255 members, got " + members.size());
        }
        return new Household(id, address, 0, 0, survey, source, dwelling, new Assets(bits, livestock, land), phone,
                uct, cct, 1, members);
    }

    private static Member member(JsonNode m, String at) throws RowException {
        if (!m.isObject()) {
            throw new RowException(at + ": expected an object");
        }
        JsonNode c = m.get("cnic");
        long cnic = 0;
        if (c != null && !c.isNull() && !c.asText().isEmpty()) {
            cnic = Cnic.tryParse(c.asText());
            if (cnic < 0) {
                throw new RowException(at + "cnic: " + Cnic.explain(c.asText()));
            }
        }
        try {
            return new Member(cnic, text(m, "name", 1, 200, false), text(m, "guardian_name", 0, 200, true),
                    enumField(m, "gender", Gender::ofKey), date(m, "date_of_birth", BIRTH_MIN, BIRTH_MAX),
                    enumField(m, "relationship", Relationship::ofKey),
                    enumField(m, "marital_status", MaritalStatus::ofKey), enumField(m, "disability", Disability::ofKey),
                    enumField(m, "education", EducationLevel::ofKey), bool(m, "literate"),
                    enumField(m, "school_status", SchoolStatus::ofKey), enumField(m, "employment", Employment::ofKey),
                    bool(m, "chronic_disease"), bool(m, "deceased"));
        } catch (RowException e) {
            throw new RowException(at + e.getMessage());
        }
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
        ArrayNode members = n.putArray("members");
        for (Member m : h.members()) {
            members.addObject().put("cnic", m.cnic() == 0 ? "" : Cnic.format(m.cnic())).put("name", m.name())
                    .put("guardian_name", m.guardianName()).put("gender", m.gender().key())
                    .put("date_of_birth", m.dateOfBirth().toString()).put("relationship", m.relationship().key())
                    .put("marital_status", m.maritalStatus().key()).put("disability", m.disability().key())
                    .put("education", m.education().key()).put("literate", m.literate())
                    .put("school_status", m.schoolStatus().key()).put("employment", m.employment().key())
                    .put("chronic_disease", m.chronicDisease()).put("deceased", m.deceased());
        }
        return n;
    }

    // ---- field readers: each names the field in its message

    private static JsonNode required(JsonNode n, String f) throws RowException {
        JsonNode v = n.get(f);
        if (v == null || v.isNull() || v.isTextual() && v.asText().isEmpty()) {
            throw new RowException(f + ": missing");
        }
        return v;
    }

    static long longField(JsonNode n, String f, long min, long max) throws RowException {
        JsonNode v = required(n, f);
        long x;
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                throw new RowException(f + ": " + v + " is outside " + min + ".." + max);
            }
            x = v.asLong();
        } else if (v.isTextual() && v.asText().matches("-?[0-9]{1,18}")) {
            x = Long.parseLong(v.asText());
        } else {
            throw new RowException(f + ": '" + v.asText() + "' is not a whole number");
        }
        if (x < min || x > max) {
            throw new RowException(f + ": " + x + " is outside " + min + ".." + max);
        }
        return x;
    }

    private static int coordinate(JsonNode n, String f, int limit) throws RowException {
        JsonNode v = n.get(f);
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            return 0;
        }
        double d;
        try {
            d = v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
            throw new RowException(f + ": '" + v.asText() + "' is not a number");
        }
        if (!(Math.abs(d) <= limit)) {
            throw new RowException(f + ": " + d + " is outside -" + limit + ".." + limit);
        }
        return (int) Math.round(d * 1e6);
    }

    private static String text(JsonNode n, String f, int minLen, int maxLen, boolean optional) throws RowException {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            if (optional) {
                return "";
            }
            throw new RowException(f + ": missing");
        }
        String s = v.asText();
        if (s.length() < minLen || s.length() > maxLen) {
            throw new RowException(f + ": length " + s.length() + " must be " + minLen + ".." + maxLen);
        }
        return s;
    }

    /** Survey dates the record can hold (days since 2000-01-01 in 16 bits). */
    static final LocalDate SURVEY_MIN = LocalDate.ofEpochDay(HouseholdRecord.SURVEY_EPOCH_DAY);
    static final LocalDate SURVEY_MAX = SURVEY_MIN.plusDays(0xFFFF);
    /** Dates of birth the record can hold (days since 1900-01-01 in 16 bits). */
    static final LocalDate BIRTH_MIN = LocalDate.ofEpochDay(HouseholdRecord.DOB_EPOCH_DAY);
    static final LocalDate BIRTH_MAX = BIRTH_MIN.plusDays(0xFFFF);

    private static String addressText(JsonNode n) throws RowException {
        String s = text(n, "address", 0, RecordLayout.MAX_ADDRESS_BYTES, true);
        int bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > RecordLayout.MAX_ADDRESS_BYTES) {
            throw new RowException("address: " + bytes + " bytes of UTF-8; at most " + RecordLayout.MAX_ADDRESS_BYTES);
        }
        return s;
    }

    private static LocalDate date(JsonNode n, String f, LocalDate min, LocalDate max) throws RowException {
        String s = required(n, f).asText();
        LocalDate d;
        try {
            d = LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new RowException(f + ": '" + s + "' is not a date YYYY-MM-DD");
        }
        if (d.isBefore(min) || d.isAfter(max)) {
            throw new RowException(f + ": " + s + " is outside " + min + ".." + max);
        }
        return d;
    }

    private static boolean bool(JsonNode n, String f) throws RowException {
        JsonNode v = required(n, f);
        String s = v.asText();
        if (v.isBoolean() || s.equals("true") || s.equals("false")) {
            return v.isBoolean() ? v.asBoolean() : Boolean.parseBoolean(s);
        }
        throw new RowException(f + ": '" + s + "' must be true or false");
    }

    private static <E> E enumField(JsonNode n, String f, Function<String, E> ofKey) throws RowException {
        return parseKey(f, required(n, f).asText(), ofKey);
    }

    private static <E> E parseKey(String f, String key, Function<String, E> ofKey) throws RowException {
        try {
            return ofKey.apply(key);
        } catch (IllegalArgumentException e) {
            throw new RowException(f + ": " + e.getMessage());
        }
    }

    private static Iterable<JsonNode> array(JsonNode n, String f, boolean optional) throws RowException {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            if (optional) {
                return List.of();
            }
            throw new RowException(f + ": missing");
        }
        if (!v.isArray()) {
            throw new RowException(f + ": expected a list");
        }
        return v;
    }

    private static int[] counts(JsonNode n, String f, int size, int max, Function<String, Integer> index)
            throws RowException {
        int[] out = new int[size];
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw new RowException(f + ": expected an object of counts");
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            int i = parseKey(f, e.getKey(), index);
            try {
                out[i] = (int) longField(v, e.getKey(), 0, max);
            } catch (RowException ex) {
                throw new RowException(f + "." + ex.getMessage());
            }
        }
        return out;
    }
}
