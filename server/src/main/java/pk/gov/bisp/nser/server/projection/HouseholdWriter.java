package pk.gov.bisp.nser.server.projection;

import static pk.gov.bisp.nser.server.http.Json.array;
import static pk.gov.bisp.nser.server.http.Json.bool;
import static pk.gov.bisp.nser.server.http.Json.number;
import static pk.gov.bisp.nser.server.http.Json.object;
import static pk.gov.bisp.nser.server.http.Json.string;
import static pk.gov.bisp.nser.server.projection.Fields.*;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.index.PmtIndex;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.LandUnit;
import pk.gov.bisp.nser.core.schema.Livestock;
import pk.gov.bisp.nser.server.config.Role;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.Json;

/**
 * Writes a household for one role, following the data-sharing plan's CNIC search table (8.2.2):
 * <ul>
 * <li>Power: the complete household: every member's CNIC, contact number, address with coordinates,
 *     dwelling, assets, programme status, PMT score;</li>
 * <li>Standard: head and members by name, relationship, gender and age; address (no coordinates), assets
 *     and PMT score; no CNIC but the one searched, no contact number, dwelling, programme status, and none of
 *     the members' dates of birth, health, education or employment;</li>
 * <li>Basic: the searched person's name, the address (no coordinates) and the PMT score only.</li>
 * </ul>
 * List rows follow the plan's "Address + parameter" and "PMT range + address" rows: Power the complete
 * household; Standard head and member names, relationship, gender and age, and the address; Basic
 * (sample households only) an anonymised household: a pseudonymous id instead of the household id, no
 * names, CNICs, dates of birth, contact, village, address text or coordinates.
 * Each role has its own write path, so a field outside it is never reached. Constant strings are pre-encoded
 * ({@link Json}); one instance per event loop (it caches each union council's address lines).
 */
public final class HouseholdWriter {

    /** One geography level of an address: its code and pre-encoded name. */
    private record Line(int code, SerializedString name) {
    }

    private final Geography geo;
    private final StringDictionary dict;
    private final Supplier<LocalDate> today;
    private final Map<Integer, Line[]> linesByUc = new HashMap<>();
    /** Dictionary strings (names, villages) pre-encoded on first use, by id. */
    private SerializedString[] strings;
    /** Dates pre-encoded on first use, by days since 1900-01-01 (records store dates as 16-bit day counts). */
    private final SerializedString[] dates = new SerializedString[DATE_DAYS];
    private static final int DATE_DAYS = 1 << 17;
    private static final int PMT_VALUES = PmtIndex.MAX_VALUE + 1;
    /** Scores 0.00 .. 100.00 as JSON number text, by hundredths. */
    private static final String[] SCORES = new String[PMT_VALUES];

    /** @param today the date ages are taken on (read per household, so ages move with the calendar) */
    public HouseholdWriter(Geography geo, StringDictionary dict, Supplier<LocalDate> today) {
        this.geo = geo;
        this.dict = dict;
        this.today = today;
        this.strings = new SerializedString[dict.size()];
    }

    static {
        for (int h = 0; h < PMT_VALUES; h++) {
            SCORES[h] = BigDecimal.valueOf(h, 2).toPlainString();
        }
    }

    private SerializedString text(int id) {
        if (id >= strings.length) {
            strings = java.util.Arrays.copyOf(strings, Math.max(id + 1, strings.length * 2));
        }
        SerializedString s = strings[id];
        if (s == null) {
            s = new SerializedString(dict.get(id));
            strings[id] = s;
        }
        return s;
    }

    private SerializedString date(int epochDay) {
        int i = epochDay - HouseholdRecord.DOB_EPOCH_DAY;
        if (i < 0 || i >= DATE_DAYS) {
            return new SerializedString(LocalDate.ofEpochDay(epochDay).toString());
        }
        SerializedString s = dates[i];
        if (s == null) {
            s = new SerializedString(LocalDate.ofEpochDay(epochDay).toString());
            dates[i] = s;
        }
        return s;
    }

    public void write(JsonGenerator g, HouseholdRecord r, int searched, Role role) throws IOException {
        switch (role) {
            case POWER -> power(g, r, searched);
            case STANDARD -> standard(g, r, searched);
            case BASIC -> basic(g, r, searched);
            default -> throw new IllegalArgumentException("role " + role + " has no household projection");
        }
    }

    /**
     * The data-sharing plan's field classes (6.3) a role's households carry: Power all three; Standard public
     * and confidential, and secret in a lookup (the searched member's CNIC); Basic public and confidential.
     */
    public static int fieldClasses(Role role, boolean list) {
        int pc = Exchange.PUBLIC | Exchange.CONFIDENTIAL;
        return role == Role.POWER || role == Role.STANDARD && !list ? pc | Exchange.SECRET : pc;
    }

    /** One household of a list, projected for {@code role}; {@code pseudonym} is used by Basic only. */
    public void listRow(JsonGenerator g, HouseholdRecord r, Role role, String pseudonym) throws IOException {
        switch (role) {
            case POWER -> power(g, r, -1);
            case STANDARD -> standardRow(g, r);
            case BASIC -> basicRow(g, r, pseudonym);
            default -> throw new IllegalArgumentException("role " + role + " has no list projection");
        }
    }

    private void standardRow(JsonGenerator g, HouseholdRecord r) throws IOException {
        g.writeStartObject();
        number(g, HOUSEHOLD_ID, r.householdId());
        address(g, r, false, true);
        array(g, MEMBERS);
        LocalDate on = today.get();
        for (int i = 0; i < r.memberCount(); i++) {
            g.writeStartObject();
            namedMember(g, r, i, on);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void basicRow(JsonGenerator g, HouseholdRecord r, String pseudonym) throws IOException {
        g.writeStartObject();
        string(g, ID, pseudonym);
        pmt(g, r);
        address(g, r, false, false);
        dwelling(g, r);
        assets(g, r);
        array(g, MEMBERS);
        LocalDate on = today.get();
        for (int i = 0; i < r.memberCount(); i++) {
            g.writeStartObject();
            string(g, RELATIONSHIP, RELATIONSHIPS[r.relationship(i).ordinal()]);
            string(g, GENDER, GENDERS[r.gender(i).ordinal()]);
            number(g, AGE, r.ageOn(i, on));
            profile(g, r, i);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void power(JsonGenerator g, HouseholdRecord r, int searched) throws IOException {
        g.writeStartObject();
        number(g, HOUSEHOLD_ID, r.householdId());
        pmt(g, r);
        string(g, SURVEY_DATE, date(r.surveyEpochDay()));
        string(g, SURVEY_SOURCE, SOURCES[r.surveySource().ordinal()]);
        address(g, r, true, true);
        string(g, PHONE, r.phone() == 0 ? null : Long.toString(r.phone()));
        dwelling(g, r);
        assets(g, r);
        object(g, PROGRAMMES);
        bool(g, UCT, r.uct());
        bool(g, CCT, r.cct());
        g.writeEndObject();
        array(g, MEMBERS);
        LocalDate on = today.get();
        for (int i = 0; i < r.memberCount(); i++) {
            g.writeStartObject();
            cnic(g, r.cnic(i));
            if (searched >= 0) {
                bool(g, SEARCHED, i == searched);
            }
            memberDetails(g, r, i, on);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void standard(JsonGenerator g, HouseholdRecord r, int searched) throws IOException {
        g.writeStartObject();
        number(g, HOUSEHOLD_ID, r.householdId());
        pmt(g, r);
        address(g, r, false, true);
        assets(g, r);
        array(g, MEMBERS);
        LocalDate on = today.get();
        for (int i = 0; i < r.memberCount(); i++) {
            g.writeStartObject();
            if (i == searched) {
                cnic(g, r.cnic(i));
            }
            bool(g, SEARCHED, i == searched);
            namedMember(g, r, i, on);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void basic(JsonGenerator g, HouseholdRecord r, int searched) throws IOException {
        g.writeStartObject();
        string(g, NAME, text(r.nameId(searched)));
        address(g, r, false, true);
        pmt(g, r);
        g.writeEndObject();
    }

    private static void pmt(JsonGenerator g, HouseholdRecord r) throws IOException {
        g.writeFieldName(SCORE);
        int h = r.pmtHundredths();
        g.writeNumber(h < PMT_VALUES ? SCORES[h] : BigDecimal.valueOf(h, 2).toPlainString());
        number(g, MODEL, r.pmtModelVersion());
    }

    private static void cnic(JsonGenerator g, long cnic) throws IOException {
        string(g, CNIC, cnic == 0 ? null : Cnic.format(cnic));
    }

    private void memberDetails(JsonGenerator g, HouseholdRecord r, int i, LocalDate on) throws IOException {
        string(g, NAME, text(r.nameId(i)));
        string(g, GUARDIAN, text(r.guardianNameId(i)));
        string(g, RELATIONSHIP, RELATIONSHIPS[r.relationship(i).ordinal()]);
        string(g, GENDER, GENDERS[r.gender(i).ordinal()]);
        string(g, DOB, date(r.birthEpochDay(i)));
        number(g, AGE, r.ageOn(i, on));
        profile(g, r, i);
    }

    /** A member as Standard sees them: name, relationship, gender, age. */
    private void namedMember(JsonGenerator g, HouseholdRecord r, int i, LocalDate on) throws IOException {
        string(g, NAME, text(r.nameId(i)));
        string(g, RELATIONSHIP, RELATIONSHIPS[r.relationship(i).ordinal()]);
        string(g, GENDER, GENDERS[r.gender(i).ordinal()]);
        number(g, AGE, r.ageOn(i, on));
    }

    /** A member's circumstances, without identity: marital status, disability, schooling, work, health. */
    private static void profile(JsonGenerator g, HouseholdRecord r, int i) throws IOException {
        string(g, MARITAL, MARITAL_STATUSES[r.maritalStatus(i).ordinal()]);
        string(g, DISABILITY, DISABILITIES[r.disability(i).ordinal()]);
        string(g, EDUCATION, EDUCATIONS[r.education(i).ordinal()]);
        bool(g, LITERATE, r.literate(i));
        string(g, SCHOOL, SCHOOL_STATUSES[r.schoolStatus(i).ordinal()]);
        string(g, EMPLOYMENT, EMPLOYMENTS[r.employment(i).ordinal()]);
        bool(g, CHRONIC, r.chronicDisease(i));
        bool(g, DECEASED, r.deceased(i));
    }

    private static void dwelling(JsonGenerator g, HouseholdRecord r) throws IOException {
        object(g, DWELLING);
        string(g, HOUSE_TYPE, HOUSE_TYPES[r.houseType().ordinal()]);
        number(g, ROOMS, r.rooms());
        string(g, TOILET, TOILETS[r.toilet().ordinal()]);
        string(g, WATER, WATERS[r.water().ordinal()]);
        string(g, ELECTRICITY, ELECTRICITIES[r.electricity().ordinal()]);
        string(g, GAS, GASES[r.gas().ordinal()]);
        g.writeEndObject();
    }

    /** The address: geography lines, then (when {@code local}) village and text, then coordinates if asked. */
    private void address(JsonGenerator g, HouseholdRecord r, boolean coordinates, boolean local)
            throws IOException {
        Line[] lines = linesByUc.computeIfAbsent(r.unionCouncil(), this::lines);
        object(g, ADDRESS);
        for (int l = 0; l < lines.length; l++) {
            object(g, LEVELS[l]);
            number(g, CODE, lines[l].code());
            string(g, NAME, lines[l].name());
            g.writeEndObject();
        }
        if (local) {
            string(g, VILLAGE, text(r.villageId()));
            string(g, TEXT, r.addressText());
        }
        if (coordinates) {
            g.writeFieldName(LATITUDE);
            g.writeNumber(BigDecimal.valueOf(r.latitudeE6(), 6));
            g.writeFieldName(LONGITUDE);
            g.writeNumber(BigDecimal.valueOf(r.longitudeE6(), 6));
        }
        g.writeEndObject();
    }

    private Line[] lines(int uc) {
        GeoLevel[] levels = GeoLevel.values();
        Line[] out = new Line[levels.length];
        for (GeoLevel l : levels) {
            GeoUnit u = geo.get(l, geo.ancestorOfUc(uc, l));
            out[l.ordinal()] = new Line(u.code(), Json.name(u.name()));
        }
        return out;
    }

    private static void assets(JsonGenerator g, HouseholdRecord r) throws IOException {
        object(g, ASSETS);
        array(g, EQUIPMENT);
        int bits = r.assetBits();
        for (int a = 0; a < ASSET_KEYS.length; a++) {
            if ((bits & (1 << a)) != 0) {
                g.writeString(ASSET_KEYS[a]);
            }
        }
        g.writeEndArray();
        object(g, LIVESTOCK);
        for (Livestock l : Livestock.values()) {
            number(g, LIVESTOCK_KEYS[l.ordinal()], r.livestock(l));
        }
        g.writeEndObject();
        object(g, LAND);
        for (LandUnit u : LandUnit.values()) {
            number(g, LAND_KEYS[u.ordinal()], r.land(u));
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
