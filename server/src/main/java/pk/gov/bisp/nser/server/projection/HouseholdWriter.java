package pk.gov.bisp.nser.server.projection;

import static pk.gov.bisp.nser.server.projection.Fields.*;

import io.netty.util.collection.IntObjectHashMap;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.function.Consumer;
import java.util.function.Supplier;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.index.PmtIndex;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Asset;
import pk.gov.bisp.nser.core.schema.Disability;
import pk.gov.bisp.nser.core.schema.EducationLevel;
import pk.gov.bisp.nser.core.schema.Electricity;
import pk.gov.bisp.nser.core.schema.Employment;
import pk.gov.bisp.nser.core.schema.GasConnection;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.schema.HouseType;
import pk.gov.bisp.nser.core.schema.LandUnit;
import pk.gov.bisp.nser.core.schema.Livestock;
import pk.gov.bisp.nser.core.schema.MaritalStatus;
import pk.gov.bisp.nser.core.schema.Relationship;
import pk.gov.bisp.nser.core.schema.SchoolStatus;
import pk.gov.bisp.nser.core.schema.ToiletType;
import pk.gov.bisp.nser.core.schema.WaterSource;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.json.JsonBytes;

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
 * names, CNICs, dates of birth, contact, village, address text or coordinates, and its score and area only as
 * coarse as {@link SampleCells} allows.
 * Each role has its own write path, so a field outside it is never reached. One instance per event loop.
 *
 * <p>A Power household is ~2.8 KB of JSON, written for every lookup, so the writer copies rather than
 * encodes: field names, enum keys and the runs of enum fields that always appear together (a member's
 * relationship and gender; marital status, disability, education and literacy; schooling, work, health and
 * death; the dwelling's services; the set of equipment) are encoded once, at class initialisation, for every
 * combination of their values, and dictionary strings and each geographic unit's address line on first use.
 * The result is byte for byte what the field-by-field writing gave.
 *
 * <p>A lookup touches a different household each time, so what it reads beyond the record should stay in cache
 * between requests: a union council's address is its own line (code and name) after the four lines of its
 * tehsil, district, division and province, which it shares with every union council beside it, and dates are
 * computed, not looked up in a table.
 */
public final class HouseholdWriter {

    private final Geography geo;
    private final StringDictionary dict;
    final Supplier<LocalDate> today;
    /**
     * Each union council's address lines, province to union council (code and name), encoded once: five arrays, of
     * which the first four are shared by every union council of the same tehsil.
     */
    private final IntObjectHashMap<byte[][]> linesByUc;
    /** Each unit's address line above the union council, by level and code, encoded once. */
    private final java.util.List<IntObjectHashMap<byte[]>> lineByUnit = new java.util.ArrayList<>();
    /** A member object's start, {@code {"cnic":"XXXXX-XXXXXXX-X"}, its digits rewritten per member. */
    private final byte[] cnicStart = "{\"cnic\":\"00000-0000000-0\"".getBytes(StandardCharsets.US_ASCII);
    /** Where the CNIC's quoted text starts in {@link #cnicStart}. */
    static final int CNIC_AT = 8;
    /** Dictionary strings (names, villages), quoted and escaped on first use, by id. */
    private byte[][] strings;

    /** The days (since 1970-01-01) {@link #ymd(int)} takes: years 0 to 9999, as {@link JsonBytes#date} writes. */
    static final int FIRST_DAY = (int) LocalDate.of(0, 1, 1).toEpochDay();
    static final int LAST_DAY = (int) LocalDate.of(9_999, 12, 31).toEpochDay();
    static final int PMT_VALUES = PmtIndex.MAX_VALUE + 1;
    /** Scores 0.00 .. 100.00 as JSON number text, by hundredths. */
    static final byte[][] SCORES = new byte[PMT_VALUES][];
    private static final Livestock[] LIVESTOCK_KINDS = Livestock.values();
    private static final LandUnit[] LAND_UNITS = LandUnit.values();

    private static final int GENDER_N = Gender.values().length;
    private static final int DISABILITY_N = Disability.values().length;
    private static final int EDUCATION_N = EducationLevel.values().length;
    private static final int EMPLOYMENT_N = Employment.values().length;
    private static final int WATER_N = WaterSource.values().length;
    private static final int ELECTRICITY_N = Electricity.values().length;
    private static final int GAS_N = GasConnection.values().length;
    /** {@code "relationship":..,"gender":..}, by relationship * GENDER_N + gender. */
    private static final byte[][] KIN = new byte[Relationship.values().length * GENDER_N][];
    /** {@code "marital_status":..,"disability":..,"education":..,"literate":..}: see {@link #profile}. */
    private static final byte[][] PROFILE_A =
            new byte[MaritalStatus.values().length * DISABILITY_N * EDUCATION_N * 2][];
    /** {@code "school_status":..,"employment":..,"chronic_disease":..,"deceased":..}: see {@link #profile}. */
    private static final byte[][] PROFILE_B = new byte[SchoolStatus.values().length * EMPLOYMENT_N * 4][];
    /** {@code "house_type":..}, by house type. */
    private static final byte[][] HOUSE = new byte[HouseType.values().length][];
    /** {@code "toilet":..,"drinking_water":..,"electricity":..,"gas":..}: see {@link #dwelling}. */
    private static final byte[][] SERVICES = new byte[ToiletType.values().length * WATER_N * ELECTRICITY_N * GAS_N][];
    /** {@code "equipment":[..]}, by the asset bits. */
    private static final byte[][] EQUIPMENT_SETS = new byte[1 << Asset.values().length][];
    /** {@code "relationship":..,"gender":..,"date_of_birth":}, by relationship * GENDER_N + gender. */
    private static final byte[][] KIN_BORN = new byte[KIN.length][];
    /** The field name of a member's name, with the searched flag before it when the caller searched. */
    private static final byte[] NAME_FIELD = encoded(g -> g.field(NAME));
    private static final byte[] SEARCHED_NAME = encoded(g -> g.field(SEARCHED).value(true).field(NAME));
    private static final byte[] OTHER_NAME = encoded(g -> g.field(SEARCHED).value(false).field(NAME));
    /** A member without a CNIC (a child without a B-Form): the start of its object. */
    private static final byte[] NO_CNIC = encoded(g -> g.startObject().field(CNIC).nullValue());

    static {
        for (int h = 0; h < PMT_VALUES; h++) {
            SCORES[h] = BigDecimal.valueOf(h, 2).toPlainString().getBytes(StandardCharsets.US_ASCII);
        }
        for (int rel = 0; rel < KIN.length / GENDER_N; rel++) {
            for (int gen = 0; gen < GENDER_N; gen++) {
                int r = rel;
                int x = gen;
                KIN[rel * GENDER_N + gen] = encoded(g -> g.field(RELATIONSHIP).value(RELATIONSHIPS[r])
                        .field(GENDER).value(GENDERS[x]));
                KIN_BORN[rel * GENDER_N + gen] = encoded(g -> g.field(RELATIONSHIP).value(RELATIONSHIPS[r])
                        .field(GENDER).value(GENDERS[x]).field(DOB));
            }
        }
        for (int i = 0; i < PROFILE_A.length; i++) {
            int lit = i & 1;
            int edu = (i >> 1) % EDUCATION_N;
            int dis = (i >> 1) / EDUCATION_N % DISABILITY_N;
            int mar = (i >> 1) / EDUCATION_N / DISABILITY_N;
            PROFILE_A[i] = encoded(g -> g.field(MARITAL).value(MARITAL_STATUSES[mar])
                    .field(DISABILITY).value(DISABILITIES[dis]).field(EDUCATION).value(EDUCATIONS[edu])
                    .field(LITERATE).value(lit == 1));
        }
        for (int i = 0; i < PROFILE_B.length; i++) {
            int dead = i & 1;
            int chronic = (i >> 1) & 1;
            int emp = (i >> 2) % EMPLOYMENT_N;
            int school = (i >> 2) / EMPLOYMENT_N;
            PROFILE_B[i] = encoded(g -> g.field(SCHOOL).value(SCHOOL_STATUSES[school])
                    .field(EMPLOYMENT).value(EMPLOYMENTS[emp]).field(CHRONIC).value(chronic == 1)
                    .field(DECEASED).value(dead == 1));
        }
        for (int i = 0; i < HOUSE.length; i++) {
            int t = i;
            HOUSE[i] = encoded(g -> g.field(HOUSE_TYPE).value(HOUSE_TYPES[t]));
        }
        for (int i = 0; i < SERVICES.length; i++) {
            int gas = i % GAS_N;
            int el = i / GAS_N % ELECTRICITY_N;
            int water = i / GAS_N / ELECTRICITY_N % WATER_N;
            int toilet = i / GAS_N / ELECTRICITY_N / WATER_N;
            SERVICES[i] = encoded(g -> g.field(TOILET).value(TOILETS[toilet]).field(WATER).value(WATERS[water])
                    .field(ELECTRICITY).value(ELECTRICITIES[el]).field(GAS).value(GASES[gas]));
        }
        for (int bits = 0; bits < EQUIPMENT_SETS.length; bits++) {
            int set = bits;
            EQUIPMENT_SETS[bits] = encoded(g -> {
                g.field(EQUIPMENT).startArray();
                for (int a = 0; a < ASSET_KEYS.length; a++) {
                    if ((set & (1 << a)) != 0) {
                        g.value(ASSET_KEYS[a]);
                    }
                }
                g.endArray();
            });
        }
    }

    /** @param today the date ages are taken on (read per household, so ages move with the calendar) */
    public HouseholdWriter(Geography geo, StringDictionary dict, Supplier<LocalDate> today) {
        this.geo = geo;
        this.dict = dict;
        this.today = today;
        this.strings = new byte[Math.max(16, dict.size())][];
        this.linesByUc = new IntObjectHashMap<>(geo.count(GeoLevel.UNION_COUNCIL) * 2);
        for (int l = 0; l < GeoLevel.UNION_COUNCIL.ordinal(); l++) {
            lineByUnit.add(new IntObjectHashMap<>());
        }
    }

    /** Object members as {@link JsonBytes#members} takes them: {@code "a":..,"b":..}. */
    private static byte[] encoded(Consumer<JsonBytes> members) {
        JsonBytes w = new JsonBytes(256);
        members.accept(w);
        return w.toByteArray();
    }

    byte[] text(int id) {
        if (id >= strings.length) {
            strings = java.util.Arrays.copyOf(strings, Math.max(id + 1, strings.length * 2));
        }
        byte[] s = strings[id];
        if (s == null) {
            s = JsonBytes.quoted(dict.get(id));
            strings[id] = s;
        }
        return s;
    }

    /**
     * A day (days since 1970-01-01, from {@link #FIRST_DAY} to {@link #LAST_DAY}) as {@code yyyymmdd}, computed
     * (the proleptic Gregorian calendar in 400-year eras, as {@link LocalDate#ofEpochDay} counts) rather than read
     * from a table, which would cost a cache miss per member.
     */
    static int ymd(int epochDay) {
        int z = epochDay + 719_468; // days since 0000-03-01: a year then ends with February and its leap day
        int era = Math.floorDiv(z, 146_097); // -1 for January and February of year 0
        int doe = z - era * 146_097;
        int yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        int mp = (5 * doy + 2) / 153; // months from March
        int day = doy - (153 * mp + 2) / 5 + 1;
        int month = mp < 10 ? mp + 3 : mp - 9;
        int year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        return year * 10_000 + month * 100 + day;
    }

    static void date(JsonBytes g, int epochDay) {
        if (epochDay < FIRST_DAY || epochDay > LAST_DAY) { // beyond what JsonBytes.date writes: as LocalDate does
            g.value(LocalDate.ofEpochDay(epochDay).toString());
        } else {
            int ymd = ymd(epochDay);
            g.date(ymd / 10_000, ymd / 100 % 100, ymd % 100);
        }
    }

    /** Completed years from {@code birth} to {@code on} (both {@code yyyymmdd}), as {@link HouseholdRecord#ageOn}. */
    static int age(int birth, int on) {
        int age = on / 10_000 - birth / 10_000;
        return on % 10_000 < birth % 10_000 ? age - 1 : age;
    }

    static int ymd(LocalDate d) {
        return d.getYear() * 10_000 + d.getMonthValue() * 100 + d.getDayOfMonth();
    }

    private static int age(HouseholdRecord r, int i, int on) {
        return age(ymd(r.birthEpochDay(i)), on); // a record's dates of birth are 1900 to 2079
    }

    private static int kin(HouseholdRecord r, int i) {
        return r.relationship(i).ordinal() * GENDER_N + r.gender(i).ordinal();
    }

    /**
     * A household looked up, for {@code role}. {@code searched} is the index of the member looked up by CNIC, or
     * -1 when the household was asked for by id: the members then carry no searched flag, and Standard sees no
     * CNIC at all. Basic needs a searched member (it sees only that person's name).
     */
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
        int pc = FieldClasses.PUBLIC | FieldClasses.CONFIDENTIAL;
        return role == Role.POWER || role == Role.STANDARD && !list ? pc | FieldClasses.SECRET : pc;
    }

    /**
     * One household of a list, projected for {@code role}; {@code pseudonym} and {@code cells} (how finely its area
     * and score are shown) are used by Basic only.
     */
    public void listRow(JsonBytes g, HouseholdRecord r, Role role, String pseudonym, SampleCells cells) {
        switch (role) {
            case POWER -> power(g, r, -1);
            case STANDARD -> standardRow(g, r);
            case BASIC -> basicRow(g, r, pseudonym, cells);
            default -> throw new IllegalArgumentException("role " + role + " has no list projection");
        }
    }

    private void standardRow(JsonBytes g, HouseholdRecord r) {
        g.startObject();
        g.field(HOUSEHOLD_ID).value(r.householdId());
        address(g, r, false, true);
        g.field(MEMBERS).startArray();
        int on = ymd(today.get());
        for (int i = 0; i < r.memberCount(); i++) {
            g.startObject();
            g.encoded(NAME_FIELD, false);
            namedMember(g, r, i, on);
            g.endObject();
        }
        g.endArray();
        g.endObject();
    }

    private void basicRow(JsonBytes g, HouseholdRecord r, String pseudonym, SampleCells cells) {
        g.startObject();
        g.field(ID).value(pseudonym);
        int score = r.pmtHundredths();
        boolean band = cells.bandShown(r.unionCouncil(), score);
        g.field(BAND).value(band ? SampleCells.bandText(SampleCells.band(score)) : null);
        g.field(MODEL).value(r.pmtModelVersion());
        coarseAddress(g, r, cells.finest(r.unionCouncil(), score));
        dwelling(g, r);
        assets(g, r);
        g.field(MEMBERS).startArray();
        int on = ymd(today.get());
        for (int i = 0; i < r.memberCount(); i++) {
            g.startObject();
            g.members(KIN[kin(r, i)]);
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
        g.field(SURVEY_DATE);
        date(g, r.surveyEpochDay());
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
        int on = ymd(today.get());
        for (int i = 0; i < r.memberCount(); i++) {
            long cnic = r.cnic(i);
            g.encoded(cnic == 0 ? NO_CNIC : cnicStart(cnic), true);
            g.encoded(searched < 0 ? NAME_FIELD : i == searched ? SEARCHED_NAME : OTHER_NAME, false);
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
        int on = ymd(today.get());
        for (int i = 0; i < r.memberCount(); i++) {
            g.startObject();
            if (i == searched) {
                cnic(g, r.cnic(i));
            }
            g.encoded(searched < 0 ? NAME_FIELD : i == searched ? SEARCHED_NAME : OTHER_NAME, false);
            namedMember(g, r, i, on);
            g.endObject();
        }
        g.endArray();
        g.endObject();
    }

    private void basic(JsonBytes g, HouseholdRecord r, int searched) {
        g.startObject();
        g.field(NAME).rawValue(text(r.nameId(searched)));
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

    /** A CNIC field, {@code "cnic":"XXXXX-XXXXXXX-X"} (as {@link Cnic#format}), or null for none. */
    private void cnic(JsonBytes g, long cnic) {
        g.field(CNIC);
        if (cnic == 0) {
            g.nullValue();
        } else {
            g.rawValue(java.util.Arrays.copyOfRange(cnicStart(cnic), CNIC_AT, cnicStart.length));
        }
    }

    /** {@code {"cnic":"XXXXX-XXXXXXX-X"} for a member's CNIC, written from its digits without a String. */
    byte[] cnicStart(long cnic) {
        if (!Cnic.isValid(cnic)) {
            Cnic.format(cnic); // throws, naming the value
        }
        byte[] b = cnicStart;
        long v = cnic;
        for (int i = CNIC_AT + 15; i >= CNIC_AT + 1; i--) {
            if (i == CNIC_AT + 6 || i == CNIC_AT + 14) {
                continue;
            }
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return b;
    }

    /** A member's fields from the value of its name on (the name field is written). */
    private void memberDetails(JsonBytes g, HouseholdRecord r, int i, int on) {
        g.rawValue(text(r.nameId(i)));
        g.field(GUARDIAN).rawValue(text(r.guardianNameId(i)));
        g.encoded(KIN_BORN[kin(r, i)], false);
        int birthDay = r.birthEpochDay(i);
        date(g, birthDay);
        g.field(AGE).value(age(ymd(birthDay), on));
        profile(g, r, i);
    }

    /** A member as Standard sees them, from the value of its name on: name, relationship, gender, age. */
    private void namedMember(JsonBytes g, HouseholdRecord r, int i, int on) {
        g.rawValue(text(r.nameId(i)));
        g.members(KIN[kin(r, i)]);
        g.field(AGE).value(age(r, i, on));
    }

    /** A member's circumstances, without identity: marital status, disability, schooling, work, health. */
    static void profile(JsonBytes g, HouseholdRecord r, int i) {
        int a = ((r.maritalStatus(i).ordinal() * DISABILITY_N + r.disability(i).ordinal()) * EDUCATION_N
                + r.education(i).ordinal()) * 2 + (r.literate(i) ? 1 : 0);
        int b = (r.schoolStatus(i).ordinal() * EMPLOYMENT_N + r.employment(i).ordinal()) * 4
                + (r.chronicDisease(i) ? 2 : 0) + (r.deceased(i) ? 1 : 0);
        g.members(PROFILE_A[a]).members(PROFILE_B[b]);
    }

    static void dwelling(JsonBytes g, HouseholdRecord r) {
        g.field(DWELLING).startObject();
        g.members(HOUSE[r.houseType().ordinal()]);
        g.field(ROOMS).value(r.rooms());
        g.members(SERVICES[((r.toilet().ordinal() * WATER_N + r.water().ordinal()) * ELECTRICITY_N
                + r.electricity().ordinal()) * GAS_N + r.gas().ordinal()]);
        g.endObject();
    }

    /** The address: geography lines, then (when {@code local}) village and text, then coordinates if asked. */
    void address(JsonBytes g, HouseholdRecord r, boolean coordinates, boolean local) {
        g.field(ADDRESS).startObject();
        for (byte[] line : linesOf(r.unionCouncil())) {
            g.members(line);
        }
        if (local) {
            g.field(VILLAGE).rawValue(text(r.villageId()));
            g.field(TEXT).utf8Value(r.bytes(), r.addressOffset(), r.addressLength());
        }
        if (coordinates) {
            g.field(LATITUDE).decimal(r.latitudeE6(), 6);
            g.field(LONGITUDE).decimal(r.longitudeE6(), 6);
        }
        g.endObject();
    }

    /** The address down to {@code finest} (null: none), never the union council, village or text. */
    private void coarseAddress(JsonBytes g, HouseholdRecord r, GeoLevel finest) {
        g.field(ADDRESS).startObject();
        if (finest != null) {
            byte[][] lines = linesOf(r.unionCouncil());
            for (int l = 0; l <= finest.ordinal(); l++) {
                g.members(lines[l]);
            }
        }
        g.endObject();
    }

    private byte[][] linesOf(int uc) {
        byte[][] lines = linesByUc.get(uc);
        if (lines == null) {
            lines = lines(uc);
            linesByUc.put(uc, lines);
        }
        return lines;
    }

    private byte[][] lines(int uc) {
        GeoLevel[] levels = GeoLevel.values();
        byte[][] lines = new byte[levels.length][];
        for (GeoLevel l : levels) {
            int code = geo.ancestorOfUc(uc, l);
            if (l == GeoLevel.UNION_COUNCIL) {
                lines[l.ordinal()] = line(l, code);
            } else {
                byte[] shared = lineByUnit.get(l.ordinal()).get(code);
                if (shared == null) {
                    shared = line(l, code);
                    lineByUnit.get(l.ordinal()).put(code, shared);
                }
                lines[l.ordinal()] = shared;
            }
        }
        return lines;
    }

    /** {@code "level":{"code":..,"name":..}} for one unit. */
    private byte[] line(GeoLevel l, int code) {
        GeoUnit u = geo.get(l, code);
        return encoded(w -> w.field(LEVELS[l.ordinal()]).startObject().field(CODE).value(u.code())
                .field(NAME).value(u.name()).endObject());
    }

    static void assets(JsonBytes g, HouseholdRecord r) {
        g.field(ASSETS).startObject();
        g.members(EQUIPMENT_SETS[r.assetBits() & (EQUIPMENT_SETS.length - 1)]);
        g.field(LIVESTOCK).startObject();
        for (Livestock l : LIVESTOCK_KINDS) {
            g.field(LIVESTOCK_KEYS[l.ordinal()]).value(r.livestock(l));
        }
        g.endObject();
        g.field(LAND).startObject();
        for (LandUnit u : LAND_UNITS) {
            g.field(LAND_KEYS[u.ordinal()]).value(r.land(u));
        }
        g.endObject();
        g.endObject();
    }
}
