package pk.gov.bisp.nser.core.scoring;

import static pk.gov.bisp.nser.core.scoring.PmtIndicator.*;

import java.time.LocalDate;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Asset;
import pk.gov.bisp.nser.core.schema.Disability;
import pk.gov.bisp.nser.core.schema.Electricity;
import pk.gov.bisp.nser.core.schema.Employment;
import pk.gov.bisp.nser.core.schema.GasConnection;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.schema.HouseType;
import pk.gov.bisp.nser.core.schema.LandUnit;
import pk.gov.bisp.nser.core.schema.Livestock;
import pk.gov.bisp.nser.core.schema.Relationship;
import pk.gov.bisp.nser.core.schema.ToiletType;
import pk.gov.bisp.nser.core.schema.WaterSource;

/**
 * The whole numbers every PMT indicator is derived from: counts, flags and land amounts of one household, read
 * from its record ({@link #read}) or from a row of the indicator column. {@link #indicators()} is the only
 * place the indicator values are computed, so a score from the column is the score from the record, to the
 * bit. Ages are taken on the survey date. Mutable and reusable; one per thread (it is a model's scratch).
 */
public final class PmtInputs {

    /** Bit numbers in {@link #flags}: 0..10 are the {@link Asset} bits, then these. */
    public static final int PACCA_BIT = 11;
    public static final int TOILET_FORMAL_BIT = 12;
    public static final int TOILET_INFORMAL_BIT = 13;
    public static final int SAFE_WATER_BIT = 14;
    public static final int ELECTRICITY_BIT = 15;
    public static final int GAS_PIPED_BIT = 16;
    public static final int GAS_LPG_BIT = 17;
    public static final int HEAD_LITERATE_BIT = 18;
    public static final int FEMALE_HEAD_BIT = 19;
    public static final int DISABLED_BIT = 20;
    public static final int ELDERLY_BIT = 21;
    /** Bits above this are never set. */
    public static final int FLAG_BITS = 22;
    public static final int LARGE_LIVESTOCK_CAP = 20;
    public static final int SMALL_LIVESTOCK_CAP = 50;

    private static final int ASSETS = Asset.values().length;
    private static final PmtIndicator[] ASSET_INDICATORS = {REFRIGERATOR, AIR_CONDITIONER, FREEZER, TELEVISION,
        WASHING_MACHINE, MICROWAVE_OVEN, AIR_COOLER, GEYSER, HEATER, COOKING_STOVE, COOKING_RANGE};
    private static final int[] EDUCATION_YEARS = {0, 1, 5, 8, 10, 12, 14, 16, 3};

    /** Province code 1..7 (for the region adjustment). */
    public int province;
    /** Asset bits and the flags above. */
    public int flags;
    /** Living (not deceased) members, 0..255; the indicators count at least one. */
    public int living;
    /** Living members aged under 15 or 65 and over (the rest of the living are of working age). */
    public int dependants;
    /** Living members aged 15 and over, and how many of them are literate. */
    public int adults;
    public int literateAdults;
    /** Living members aged 14 to 60, and how many of them are employed. */
    public int workforce;
    public int employed;
    public int rooms;
    /** Most years of schooling of a living member, 0..16. */
    public int maxEducationYears;
    /** Cows, buffalo and bullocks (capped at 20); goats and lambs (capped at 50). */
    public int largeLivestock;
    public int smallLivestock;
    /** Land amounts as recorded, per unit. */
    public int muraba;
    public int acre;
    public int kanal;
    public int marla;

    private final double[] values = new double[PmtIndicator.values().length];

    /** Reads the inputs of {@code r}; returns this. */
    public PmtInputs read(HouseholdRecord r) {
        LocalDate on = r.surveyDate();
        int live = 0;
        int dep = 0;
        int adult = 0;
        int literate = 0;
        int work = 0;
        int emp = 0;
        int years = 0;
        int f = r.assetBits() & ((1 << ASSETS) - 1);
        boolean headLiterate = false;
        boolean femaleHead = false;
        for (int i = 0, n = r.memberCount(); i < n; i++) {
            if (r.deceased(i)) {
                continue;
            }
            live++;
            int age = r.ageOn(i, on);
            dep += age < 15 || age >= 65 ? 1 : 0;
            if (age >= 15) {
                adult++;
                literate += r.literate(i) ? 1 : 0;
            }
            if (age >= 14 && age <= 60) {
                work++;
                emp += r.employment(i) == Employment.EMPLOYED ? 1 : 0;
            }
            years = Math.max(years, EDUCATION_YEARS[r.education(i).ordinal()]);
            f |= bit(DISABLED_BIT, r.disability(i) != Disability.NONE) | bit(ELDERLY_BIT, age >= 65);
            if (r.relationship(i) == Relationship.HEAD) {
                headLiterate = r.literate(i);
                femaleHead = r.gender(i) == Gender.FEMALE;
            }
        }
        ToiletType toilet = r.toilet();
        WaterSource w = r.water();
        Electricity e = r.electricity();
        GasConnection gas = r.gas();
        f |= bit(PACCA_BIT, r.houseType() == HouseType.PACCA)
                | bit(TOILET_FORMAL_BIT, toilet == ToiletType.FORMAL_LATRINE)
                | bit(TOILET_INFORMAL_BIT, toilet == ToiletType.INFORMAL_LATRINE)
                | bit(SAFE_WATER_BIT, w == WaterSource.TAP_WATER || w == WaterSource.COVERED_WELL)
                | bit(ELECTRICITY_BIT, e == Electricity.METERED || e == Electricity.EXTENDED)
                | bit(GAS_PIPED_BIT, gas == GasConnection.PIPED) | bit(GAS_LPG_BIT, gas == GasConnection.LPG_CYLINDER)
                | bit(HEAD_LITERATE_BIT, headLiterate) | bit(FEMALE_HEAD_BIT, femaleHead);
        province = r.unionCouncil() / 10_000_000;
        flags = f;
        living = live;
        dependants = dep;
        adults = adult;
        literateAdults = literate;
        workforce = work;
        employed = emp;
        rooms = r.rooms();
        maxEducationYears = years;
        largeLivestock = Math.min(LARGE_LIVESTOCK_CAP,
                r.livestock(Livestock.COW) + r.livestock(Livestock.BUFFALO) + r.livestock(Livestock.BULLOCK));
        smallLivestock = Math.min(SMALL_LIVESTOCK_CAP, r.livestock(Livestock.GOAT) + r.livestock(Livestock.LAMB));
        muraba = r.land(LandUnit.MURABA);
        acre = r.land(LandUnit.ACRE);
        kanal = r.land(LandUnit.KANAL);
        marla = r.land(LandUnit.MARLA);
        return this;
    }

    /**
     * The indicator values, indexed by {@link PmtIndicator#ordinal()}: an array owned by this object,
     * overwritten by the next call.
     */
    public double[] indicators() {
        double[] out = values;
        int people = Math.max(living, 1);
        out[HOUSEHOLD_SIZE.ordinal()] = people;
        out[DEPENDENCY_RATIO.ordinal()] = (double) dependants / Math.max(1, living - dependants);
        out[ROOMS_PER_PERSON.ordinal()] = Math.min(3.0, (double) rooms / people);
        out[PACCA.ordinal()] = flag(PACCA_BIT);
        out[TOILET_FORMAL.ordinal()] = flag(TOILET_FORMAL_BIT);
        out[TOILET_INFORMAL.ordinal()] = flag(TOILET_INFORMAL_BIT);
        out[SAFE_WATER.ordinal()] = flag(SAFE_WATER_BIT);
        out[ELECTRICITY.ordinal()] = flag(ELECTRICITY_BIT);
        out[GAS_PIPED.ordinal()] = flag(GAS_PIPED_BIT);
        out[GAS_LPG.ordinal()] = flag(GAS_LPG_BIT);
        for (int a = 0; a < ASSETS; a++) {
            out[ASSET_INDICATORS[a].ordinal()] = flag(a);
        }
        out[LARGE_LIVESTOCK.ordinal()] = largeLivestock;
        out[SMALL_LIVESTOCK.ordinal()] = smallLivestock;
        double acres = 25.0 * muraba + acre + kanal / 8.0 + marla / 160.0;
        out[LOG_LAND_ACRES.ordinal()] = acres == 0 ? 0.0 : Math.log1p(acres);
        out[HEAD_LITERATE.ordinal()] = flag(HEAD_LITERATE_BIT);
        out[ADULT_LITERACY_SHARE.ordinal()] = adults == 0 ? 0 : (double) literateAdults / adults;
        out[MAX_EDUCATION_YEARS.ordinal()] = maxEducationYears;
        out[EMPLOYED_SHARE.ordinal()] = workforce == 0 ? 0 : (double) employed / workforce;
        out[FEMALE_HEAD.ordinal()] = flag(FEMALE_HEAD_BIT);
        out[DISABLED_MEMBER.ordinal()] = flag(DISABLED_BIT);
        out[ELDERLY_MEMBER.ordinal()] = flag(ELDERLY_BIT);
        return out;
    }

    private double flag(int bit) {
        return (flags >>> bit) & 1;
    }

    private static int bit(int bit, boolean set) {
        return set ? 1 << bit : 0;
    }
}
