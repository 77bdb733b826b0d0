package pk.gov.bisp.nser.server.projection;

import static pk.gov.bisp.nser.server.projection.Fields.*;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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
import pk.gov.bisp.nser.server.http.JsonBytes;
import pk.gov.bisp.nser.server.http.JsonBytes.Text;

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
 * ({@link JsonBytes}); one instance per event loop (it caches each union council's address lines).
 */
public final class HouseholdWriter {

    private final Geography geo;
    private final StringDictionary dict;
    private final Supplier<LocalDate> today;
    /** Each union council's address lines (province to union council, code and name), encoded once. */
    private final Map<Integer, byte[]> linesByUc = new HashMap<>();
    /** A quoted CNIC being written: {@code "XXXXX-XXXXXXX-X"}. */
    private final byte[] cnicText = "\"00000-0000000-0\"".getBytes(StandardCharsets.US_ASCII);
    /** Dictionary strings (names, villages) pre-encoded on first use, by id. */
    private Text[] strings;
    /** A calendar day: its JSON text, and its year and month-day (MMDD) for ages. */
    private record Day(Text text, int year, int monthDay) {
        static Day of(int epochDay) {
            LocalDate d = LocalDate.ofEpochDay(epochDay);
            return new Day(JsonBytes.text(d.toString()), d.getYear(), d.getMonthValue() * 100 + d.getDayOfMonth());
        }
    }

    /**
     * Days made on first use, by days since 1900-01-01 (records store dates as 16-bit day counts); shared by
     * every event loop's writer (a race only makes a day twice: a Day is immutable).
     */
    private static final Day[] DAYS = new Day[1 << 17];
    private static final int PMT_VALUES = PmtIndex.MAX_VALUE + 1;
    /** Scores 0.00 .. 100.00 as JSON number text, by hundredths. */
    private static final byte[][] SCORES = new byte[PMT_VALUES][];

    /** @param today the date ages are taken on (read per household, so ages move with the calendar) */
    public HouseholdWriter(Geography geo, StringDictionary dict, Supplier<LocalDate> today) {
        this.geo = geo;
        this.dict = dict;
        this.today = today;
        this.strings = new Text[dict.size()];
    }

    static {
        for (int h = 0; h < PMT_VALUES; h++) {
            SCORES[h] = BigDecimal.valueOf(h, 2).toPlainString().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private Text text(int id) {
        if (id >= strings.length) {
            strings = java.util.Arrays.copyOf(strings, Math.max(id + 1, strings.length * 2));
        }
        Text s = strings[id];
        if (s == null) {
            s = JsonBytes.text(dict.get(id));
            strings[id] = s;
        }
        return s;
    }

    private static Day day(int epochDay) {
        int i = epochDay - HouseholdRecord.DOB_EPOCH_DAY;
        if (i < 0 || i >= DAYS.length) {
            return Day.of(epochDay);
        }
        Day d = DAYS[i];
        if (d == null) {
            d = Day.of(epochDay);
            DAYS[i] = d;
        }
        return d;
    }

    /** Completed years from {@code birth} to {@code on}, as {@link HouseholdRecord#ageOn}, without a LocalDate. */
    private static int age(Day birth, LocalDate on) {
        int age = on.getYear() - birth.year();
        return on.getMonthValue() * 100 + on.getDayOfMonth() < birth.monthDay() ? age - 1 : age;
    }

    private static int age(HouseholdRecord r, int i, LocalDate on) {
        return age(day(r.birthEpochDay(i)), on);
    }

    public void write(JsonBytes g, HouseholdRecord r, int searched, Role role) {
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
    public void listRow(JsonBytes g, HouseholdRecord r, Role role, String pseudonym) {
        switch (role) {
            case POWER -> power(g, r, -1);
            case STANDARD -> standardRow(g, r);
            case BASIC -> basicRow(g, r, pseudonym);
            default -> throw new IllegalArgumentException("role " + role + " has no list projection");
        }
    }

    private void standardRow(JsonBytes g, HouseholdRecord r) {
        g.startObject();
        g.field(HOUSEHOLD_ID).value(r.householdId());
        address(g, r, false, true);
        g.field(MEMBERS).startArray();
        LocalDate on = today.get();
        for (int i = 0; i < r.memberCount(); i++) {
            g.startObject();
            namedMember(g, r, i, on);
            g.endObject();
        }
        g.endArray();
        g.endObject();
    }

    private void basicRow(JsonBytes g, HouseholdRecord r, String pseudonym) {
        g.startObject();
        g.field(ID).value(pseudonym);
        pmt(g, r);
        address(g, r, false, false);
        dwelling(g, r);
        assets(g, r);
        g.field(MEMBERS).startArray();
        LocalDate on = today.get();
        for (int i = 0; i < r.memberCount(); i++) {
            g.startObject();
            g.field(RELATIONSHIP).value(RELATIONSHIPS[r.relationship(i).ordinal()]);
            g.field(GENDER).value(GENDERS[r.gender(i).ordinal()]);
            g.field(AGE).value(age(r, i, on));
            profile(g, r, i);
            g.endObject();
        }
        g.endArray();
        g.endObject();
    }

    private void power(JsonBytes g, HouseholdRecord r, int searched) {
        g.startObject();
        g.field(HOUSEHOLD_ID).value(r.householdId());
        pmt(g, r);
        g.field(SURVEY_DATE).value(day(r.surveyEpochDay()).text());
        g.field(SURVEY_SOURCE).value(SOURCES[r.surveySource().ordinal()]);
        address(g, r, true, true);
        g.field(PHONE).value(r.phone() == 0 ? null : Long.toString(r.phone()));
        dwelling(g, r);
        assets(g, r);
        g.field(PROGRAMMES).startObject();
        g.field(UCT).value(r.uct());
        g.field(CCT).value(r.cct());
        g.endObject();
        g.field(MEMBERS).startArray();
        LocalDate on = today.get();
        for (int i = 0; i < r.memberCount(); i++) {
            g.startObject();
            cnic(g, r.cnic(i));
            if (searched >= 0) {
                g.field(SEARCHED).value(i == searched);
            }
            memberDetails(g, r, i, on);
            g.endObject();
        }
        g.endArray();
        g.endObject();
    }

    private void standard(JsonBytes g, HouseholdRecord r, int searched) {
        g.startObject();
        g.field(HOUSEHOLD_ID).value(r.householdId());
        pmt(g, r);
        address(g, r, false, true);
        assets(g, r);
        g.field(MEMBERS).startArray();
        LocalDate on = today.get();
        for (int i = 0; i < r.memberCount(); i++) {
            g.startObject();
            if (i == searched) {
                cnic(g, r.cnic(i));
            }
            g.field(SEARCHED).value(i == searched);
            namedMember(g, r, i, on);
            g.endObject();
        }
        g.endArray();
        g.endObject();
    }

    private void basic(JsonBytes g, HouseholdRecord r, int searched) {
        g.startObject();
        g.field(NAME).value(text(r.nameId(searched)));
        address(g, r, false, true);
        pmt(g, r);
        g.endObject();
    }

    private static void pmt(JsonBytes g, HouseholdRecord r) {
        g.field(SCORE);
        int h = r.pmtHundredths();
        if (h < PMT_VALUES) {
            g.rawValue(SCORES[h]);
        } else {
            g.decimal(h, 2);
        }
        g.field(MODEL).value(r.pmtModelVersion());
    }

    /** A CNIC as "XXXXX-XXXXXXX-X" (as {@link Cnic#format}), written from its digits without a String. */
    private void cnic(JsonBytes g, long cnic) {
        g.field(CNIC);
        if (cnic == 0) {
            g.nullValue();
            return;
        }
        if (!Cnic.isValid(cnic)) {
            Cnic.format(cnic); // throws, naming the value
        }
        byte[] b = cnicText;
        long v = cnic;
        for (int i = 15; i >= 1; i--) {
            if (i == 6 || i == 14) {
                continue;
            }
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        g.rawValue(b);
    }

    private void memberDetails(JsonBytes g, HouseholdRecord r, int i, LocalDate on) {
        g.field(NAME).value(text(r.nameId(i)));
        g.field(GUARDIAN).value(text(r.guardianNameId(i)));
        g.field(RELATIONSHIP).value(RELATIONSHIPS[r.relationship(i).ordinal()]);
        g.field(GENDER).value(GENDERS[r.gender(i).ordinal()]);
        Day birth = day(r.birthEpochDay(i));
        g.field(DOB).value(birth.text());
        g.field(AGE).value(age(birth, on));
        profile(g, r, i);
    }

    /** A member as Standard sees them: name, relationship, gender, age. */
    private void namedMember(JsonBytes g, HouseholdRecord r, int i, LocalDate on) {
        g.field(NAME).value(text(r.nameId(i)));
        g.field(RELATIONSHIP).value(RELATIONSHIPS[r.relationship(i).ordinal()]);
        g.field(GENDER).value(GENDERS[r.gender(i).ordinal()]);
        g.field(AGE).value(age(r, i, on));
    }

    /** A member's circumstances, without identity: marital status, disability, schooling, work, health. */
    private static void profile(JsonBytes g, HouseholdRecord r, int i) {
        g.field(MARITAL).value(MARITAL_STATUSES[r.maritalStatus(i).ordinal()]);
        g.field(DISABILITY).value(DISABILITIES[r.disability(i).ordinal()]);
        g.field(EDUCATION).value(EDUCATIONS[r.education(i).ordinal()]);
        g.field(LITERATE).value(r.literate(i));
        g.field(SCHOOL).value(SCHOOL_STATUSES[r.schoolStatus(i).ordinal()]);
        g.field(EMPLOYMENT).value(EMPLOYMENTS[r.employment(i).ordinal()]);
        g.field(CHRONIC).value(r.chronicDisease(i));
        g.field(DECEASED).value(r.deceased(i));
    }

    private static void dwelling(JsonBytes g, HouseholdRecord r) {
        g.field(DWELLING).startObject();
        g.field(HOUSE_TYPE).value(HOUSE_TYPES[r.houseType().ordinal()]);
        g.field(ROOMS).value(r.rooms());
        g.field(TOILET).value(TOILETS[r.toilet().ordinal()]);
        g.field(WATER).value(WATERS[r.water().ordinal()]);
        g.field(ELECTRICITY).value(ELECTRICITIES[r.electricity().ordinal()]);
        g.field(GAS).value(GASES[r.gas().ordinal()]);
        g.endObject();
    }

    /** The address: geography lines, then (when {@code local}) village and text, then coordinates if asked. */
    private void address(JsonBytes g, HouseholdRecord r, boolean coordinates, boolean local){
        byte[] lines = linesByUc.computeIfAbsent(r.unionCouncil(), this::lines);
        g.field(ADDRESS).startObject();
        g.members(lines);
        if (local) {
            g.field(VILLAGE).value(text(r.villageId()));
            g.field(TEXT).value(r.addressText());
        }
        if (coordinates) {
            g.field(LATITUDE).decimal(r.latitudeE6(), 6);
            g.field(LONGITUDE).decimal(r.longitudeE6(), 6);
        }
        g.endObject();
    }

    private byte[] lines(int uc) {
        JsonBytes w = new JsonBytes(512);
        for (GeoLevel l : GeoLevel.values()) {
            GeoUnit u = geo.get(l, geo.ancestorOfUc(uc, l));
            w.field(LEVELS[l.ordinal()]).startObject().field(CODE).value(u.code()).field(NAME).value(u.name())
                    .endObject();
        }
        return w.toByteArray();
    }

    private static void assets(JsonBytes g, HouseholdRecord r) {
        g.field(ASSETS).startObject();
        g.field(EQUIPMENT).startArray();
        int bits = r.assetBits();
        for (int a = 0; a < ASSET_KEYS.length; a++) {
            if ((bits & (1 << a)) != 0) {
                g.value(ASSET_KEYS[a]);
            }
        }
        g.endArray();
        g.field(LIVESTOCK).startObject();
        for (Livestock l : Livestock.values()) {
            g.field(LIVESTOCK_KEYS[l.ordinal()]).value(r.livestock(l));
        }
        g.endObject();
        g.field(LAND).startObject();
        for (LandUnit u : LandUnit.values()) {
            g.field(LAND_KEYS[u.ordinal()]).value(r.land(u));
        }
        g.endObject();
        g.endObject();
    }
}
