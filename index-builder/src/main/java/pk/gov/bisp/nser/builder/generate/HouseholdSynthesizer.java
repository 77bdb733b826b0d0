package pk.gov.bisp.nser.builder.generate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
import pk.gov.bisp.nser.core.schema.Province;
import pk.gov.bisp.nser.core.schema.Relationship;
import pk.gov.bisp.nser.core.schema.SchoolStatus;
import pk.gov.bisp.nser.core.schema.SurveySource;
import pk.gov.bisp.nser.core.schema.ToiletType;
import pk.gov.bisp.nser.core.schema.WaterSource;
import pk.gov.bisp.nser.core.stats.Marginals;

/**
 * Synthesises the households of one tehsil in order. A latent wealth score per household (plus a tehsil
 * effect) drives dwelling, assets, literacy and the rest, so the PMT has something real to find; every share
 * the annual report publishes is held to its region's figure by a {@link Quota}, tehsil by tehsil.
 */
final class HouseholdSynthesizer {

    private static final Disability[] DISABILITY_TYPES = {Disability.LOWER_LIMB, Disability.LOWER_LIMB,
        Disability.UPPER_LIMB, Disability.VISUAL, Disability.VISUAL, Disability.HEARING, Disability.SPEECH,
        Disability.MENTAL, Disability.MENTAL, Disability.OTHER};
    private static final WaterSource[] UNSAFE_WATER = {WaterSource.HAND_PUMP, WaterSource.HAND_PUMP,
        WaterSource.HAND_PUMP, WaterSource.MOTOR_PUMP, WaterSource.MOTOR_PUMP, WaterSource.OPEN_WELL,
        WaterSource.SURFACE_WATER, WaterSource.TANKER, WaterSource.OTHER};
    private static final double[] ASSET_BASE = {-0.3, -3.0, -2.5, 0.0, -0.6, -3.0, -1.4, -2.2, -2.2, 0.6, -1.8};
    private static final LocalDate SURVEY_START = LocalDate.of(2019, 4, 1);
    private static final int SURVEY_DAYS = 1_000;
    private static final LocalDate UPDATE_START = LocalDate.of(2022, 7, 1);
    private static final SurveySource[] UPDATE_SOURCES = {SurveySource.MISSED_OUT, SurveySource.ROSTER_UPDATE,
        SurveySource.ROSTER_UPDATE, SurveySource.SHOCK_UPDATE, SurveySource.CYCLIC_UPDATE,
        SurveySource.RECERTIFICATION, SurveySource.DESK};

    private final Province province;
    private final Marginals.Region fig;
    private final SplittableRandom rnd;
    private final double avgSize;
    private double sizeShortfall;
    private final Quota pacca;
    private final Quota openDefecation;
    private final Quota informalLatrine;
    private final Quota safeWater;
    private final Quota electricity;
    private final Quota disabled;
    private final Quota chronic;
    private final Quota livestock;
    private final Quota[] literate = new Quota[3];
    private final Quota[] outOfSchool = new Quota[3];
    private final Quota[] employed = new Quota[3];
    private final java.util.Map<Integer, int[]> cnicSerials = new java.util.HashMap<>();
    private int lastTehsil = -1;
    private double tehsilEffect;

    /** A synthesizer for one tehsil, its random stream drawn from the seed and the tehsil code alone. */
    HouseholdSynthesizer(long seed, int tehsil, Province province, Marginals.Region fig) {
        this.province = province;
        this.fig = fig;
        this.rnd = new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + tehsil * 0x632BE59BD9B4E019L));
        this.avgSize = fig.avgHouseholdSize();
        this.pacca = new Quota(fig.paccaPct() / 100, 1.0);
        double open = fig.toiletOpenPct() / 100;
        this.openDefecation = new Quota(open, -1.0);
        this.informalLatrine = new Quota(fig.toiletInformalPct() / 100 / (1 - open), -0.3);
        this.safeWater = new Quota(fig.safeWaterPct() / 100, 0.5);
        double elec = Double.isNaN(fig.electricityPct()) ? 0.97 : fig.electricityPct() / 100;
        this.electricity = new Quota(elec, 1.0);
        this.disabled = new Quota(fig.disabledMemberPct() / 100, -0.2);
        this.chronic = new Quota(fig.chronicDiseasePct() / 100, -0.1);
        this.livestock = new Quota(fig.livestockPct() / 100, -0.2);
        double[] lit = {fig.literacyMalePct(), fig.literacyFemalePct(), fig.literacyTransPct()};
        double[] oos = {fig.outOfSchoolMalePct(), fig.outOfSchoolFemalePct(), fig.outOfSchoolTotalPct()};
        double[] emp = {fig.employedMalePct(), fig.employedFemalePct(), fig.employedTotalPct()};
        for (int g = 0; g < 3; g++) {
            literate[g] = new Quota(lit[g] / 100, 0.9);
            outOfSchool[g] = new Quota(oos[g] / 100, -0.8);
            employed[g] = new Quota(emp[g] / 100, 0.3);
        }
    }

    /**
     * Draws and drops {@code n} households, so that the quotas start the tehsil from a running state rather than
     * from zero: a quota's feedback settles a few units away from zero to offset what its propensity leaves out
     * (ages, literacy), and in a small tehsil starting every one from zero shows (two points of out-of-school
     * children in the smaller regions at 200k households).
     */
    void warmUp(int n, int tehsil, int uc, double[] ucCentre) {
        for (int i = 0; i < n; i++) {
            next(0, tehsil, uc, ucCentre);
        }
        cnicSerials.clear();
    }

    /** The next household, in union council {@code uc} of {@code tehsil}. */
    Household next(long householdId, int tehsil, int uc, double[] ucCentre) {
        if (tehsil != lastTehsil) {
            lastTehsil = tehsil;
            tehsilEffect = 0.35 * gaussian(new SplittableRandom(tehsil * 0x2545F4914F6CDD1DL));
        }
        double z = gaussian(rnd) + tehsilEffect;
        boolean update = rnd.nextDouble() < 0.076;
        LocalDate survey = update ? UPDATE_START.plusDays(rnd.nextInt(365))
                : SURVEY_START.plusDays(rnd.nextInt(SURVEY_DAYS));
        SurveySource source = update ? UPDATE_SOURCES[rnd.nextInt(UPDATE_SOURCES.length)] : SurveySource.DOOR_TO_DOOR;
        int size = drawSize(z);
        List<Member> members = roster(size, z, survey, tehsil);
        members = markDisabledAndChronic(members, z, survey);

        HouseType house = pacca.next(1.0 * z, rnd.nextDouble()) ? HouseType.PACCA : HouseType.KACHA;
        ToiletType toilet = openDefecation.next(-1.0 * z, rnd.nextDouble()) ? ToiletType.NONE
                : informalLatrine.next(-0.3 * z, rnd.nextDouble()) ? ToiletType.INFORMAL_LATRINE
                : ToiletType.FORMAL_LATRINE;
        WaterSource water = safeWater.next(0.5 * z, rnd.nextDouble())
                ? (rnd.nextInt(5) < 3 ? WaterSource.TAP_WATER : WaterSource.COVERED_WELL)
                : UNSAFE_WATER[rnd.nextInt(UNSAFE_WATER.length)];
        boolean elec = electricity.next(1.0 * z, rnd.nextDouble());
        Electricity el = elec ? (rnd.nextInt(100) < 85 ? Electricity.METERED : Electricity.EXTENDED)
                : (rnd.nextInt(100) < 25 ? Electricity.SOLAR_ONLY : Electricity.NONE);
        GasConnection gas = house == HouseType.PACCA && chance(-0.8 + z) ? GasConnection.PIPED
                : chance(-1.6 + 0.7 * z) ? GasConnection.LPG_CYLINDER : GasConnection.NONE;
        int rooms = Math.min(12, 1 + poisson(Math.max(0.2, 0.7 + 0.5 * z + 0.08 * size)));
        Dwelling dwelling = new Dwelling(house, rooms, toilet, water, el, gas);

        int bits = 0;
        for (Asset a : Asset.values()) {
            boolean electric = a != Asset.COOKING_STOVE && a != Asset.HEATER && a != Asset.GEYSER;
            double logit = ASSET_BASE[a.ordinal()] + 1.2 * z + (electric && !elec ? -3.0 : 0.0);
            if (chance(logit)) {
                bits |= 1 << a.ordinal();
            }
        }
        int[] animals = new int[Livestock.values().length];
        boolean ownsLivestock = livestock.next(-0.2 * z, rnd.nextDouble());
        if (ownsLivestock) {
            animals[Livestock.COW.ordinal()] = Math.min(255, poisson(0.9));
            animals[Livestock.GOAT.ordinal()] = Math.min(255, poisson(1.8));
            animals[Livestock.BUFFALO.ordinal()] = Math.min(255, poisson(0.6));
            animals[Livestock.BULLOCK.ordinal()] = Math.min(255, poisson(0.3));
            animals[Livestock.LAMB.ordinal()] = Math.min(255, poisson(0.7));
            if (java.util.Arrays.stream(animals).sum() == 0) {
                animals[Livestock.GOAT.ordinal()] = 1;
            }
        }
        int[] land = new int[LandUnit.values().length];
        if (chance(-2.2 + 0.8 * z + (ownsLivestock ? 1.0 : 0.0))) {
            land[LandUnit.ACRE.ordinal()] = poisson(Math.max(0.3, 1.5 + z));
            land[LandUnit.KANAL.ordinal()] = rnd.nextInt(8);
            land[LandUnit.MARLA.ordinal()] = rnd.nextInt(20);
            if (z > 2.3 && rnd.nextInt(3) == 0) {
                land[LandUnit.MURABA.ordinal()] = 1 + rnd.nextInt(3);
            }
        }
        long phone = rnd.nextInt(100) < 85 ? 923_000_000_000L + rnd.nextLong(500_000_000L) : 0;
        int lat = (int) Math.round((ucCentre[0] + 0.02 * gaussian(rnd)) * 1e6);
        int lon = (int) Math.round((ucCentre[1] + 0.02 * gaussian(rnd)) * 1e6);
        String village = NameBank.villagePrefix(province) + " " + (uc % 100_000 * 5 % 1000 + rnd.nextInt(5));
        String text = "House " + (1 + rnd.nextInt(400)) + ", Street " + (1 + rnd.nextInt(30));
        Address address = new Address(uc, village, text, lat, lon);
        return new Household(householdId, address, 0, 0, survey, source, dwelling, new Assets(bits, animals, land),
                phone, false, false, 1, members);
    }

    private int drawSize(double z) {
        double lambda = Math.max(0.05, avgSize - 1 - 0.25 * z + 0.05 * sizeShortfall);
        int size = Math.min(20, 1 + poisson(lambda));
        sizeShortfall += avgSize - size;
        return size;
    }

    private List<Member> roster(int size, double z, LocalDate survey, int tehsil) {
        List<Member> out = new ArrayList<>(size);
        String family = NameBank.family(province, rnd);
        boolean femaleHead = size == 1 || rnd.nextInt(100) < 9;
        int motherAge;
        String fatherOfChildren;
        if (!femaleHead) {
            int headAge = 22 + (int) (48 * Math.pow(rnd.nextDouble(), 1.4));
            String head = NameBank.male(rnd) + " " + family;
            out.add(member(Gender.MALE, headAge, head, NameBank.male(rnd) + " " + family, Relationship.HEAD,
                    MaritalStatus.MARRIED, z, survey, tehsil));
            motherAge = Math.max(18, headAge - rnd.nextInt(9));
            String wifeFamily = rnd.nextBoolean() ? family : NameBank.family(province, rnd);
            out.add(member(Gender.FEMALE, motherAge, NameBank.female(rnd) + " " + wifeFamily, head,
                    Relationship.SPOUSE, MaritalStatus.MARRIED, z, survey, tehsil));
            if (size >= 4 && rnd.nextInt(100) < 10) {
                int fatherAge = Math.min(95, headAge + 22 + rnd.nextInt(14));
                out.add(member(Gender.MALE, fatherAge, out.get(0).guardianName(), NameBank.male(rnd) + " " + family,
                        Relationship.FATHER, MaritalStatus.WIDOWED, z, survey, tehsil));
            }
            fatherOfChildren = head;
        } else {
            int r = rnd.nextInt(100);
            MaritalStatus status = r < 75 ? MaritalStatus.WIDOWED : r < 85 ? MaritalStatus.DIVORCED
                    : r < 90 ? MaritalStatus.SEPARATED : MaritalStatus.MARRIED;
            motherAge = size == 1 ? 50 + rnd.nextInt(36) : 26 + (int) (50 * Math.pow(rnd.nextDouble(), 1.3));
            String husband = NameBank.male(rnd) + " " + family;
            out.add(member(Gender.FEMALE, motherAge, NameBank.female(rnd) + " " + family, husband, Relationship.HEAD,
                    status, z, survey, tehsil));
            fatherOfChildren = husband;
        }
        int childAge = Math.max(0, Math.min(40, motherAge - 19 - rnd.nextInt(7)));
        while (out.size() < size) {
            int g = rnd.nextInt(2000);
            Gender gender = g == 0 ? Gender.TRANSGENDER : g <= 1000 ? Gender.MALE : Gender.FEMALE;
            String name = (gender == Gender.FEMALE ? NameBank.female(rnd) : NameBank.male(rnd)) + " " + family;
            Relationship rel = gender == Gender.FEMALE ? Relationship.DAUGHTER : Relationship.SON;
            out.add(member(gender, childAge, name, fatherOfChildren, rel, MaritalStatus.NEVER_MARRIED, z, survey,
                    tehsil));
            childAge = childAge > 1 ? childAge - 1 - rnd.nextInt(3) : rnd.nextInt(2);
            childAge = Math.max(0, childAge);
        }
        return out;
    }

    private Member member(Gender gender, int age, String name, String guardian, Relationship rel,
                          MaritalStatus marital, double z, LocalDate survey, int tehsil) {
        LocalDate dob = survey.minusYears(age).minusDays(rnd.nextInt(365));
        int g = gender.ordinal();
        boolean lit = age >= 10 && literate[g].next(0.9 * z - 0.015 * (age - 30), rnd.nextDouble());
        SchoolStatus school = SchoolStatus.NOT_APPLICABLE;
        if (age >= 4 && age <= 18) {
            boolean out = outOfSchool[g].next(-0.8 * z + (lit ? -0.5 : 0.5), rnd.nextDouble());
            school = !out ? SchoolStatus.ENROLLED
                    : age >= 10 && rnd.nextInt(100) < 55 ? SchoolStatus.DROPPED_OUT : SchoolStatus.NEVER_ATTENDED;
        }
        EducationLevel edu = education(age, lit, school, z);
        Employment emp;
        if (age < 14) {
            emp = Employment.NOT_APPLICABLE;
        } else if (age <= 60) {
            emp = employed[g].next(0.3 * z + (age < 20 ? -1.0 : 0.0), rnd.nextDouble()) ? Employment.EMPLOYED
                    : school == SchoolStatus.ENROLLED ? Employment.STUDENT
                    : gender == Gender.FEMALE ? Employment.HOUSEWORK : Employment.UNEMPLOYED;
        } else {
            emp = rnd.nextInt(100) < 80 ? Employment.RETIRED : Employment.UNABLE_TO_WORK;
        }
        long cnic = nextCnic(tehsil, gender);
        return new Member(cnic, name, guardian, gender, dob, rel, marital, Disability.NONE, edu, lit, school, emp,
                false, false);
    }

    private EducationLevel education(int age, boolean lit, SchoolStatus school, double z) {
        if (age < 10) {
            return school == SchoolStatus.ENROLLED && age >= 6 ? EducationLevel.PRE_PRIMARY : EducationLevel.NONE;
        }
        if (!lit) {
            return rnd.nextInt(10) == 0 ? EducationLevel.RELIGIOUS : EducationLevel.NONE;
        }
        double s = z + gaussian(rnd);
        EducationLevel e = s < -0.5 ? EducationLevel.PRIMARY : s < 0.3 ? EducationLevel.MIDDLE
                : s < 1.0 ? EducationLevel.MATRIC : s < 1.6 ? EducationLevel.INTERMEDIATE
                : s < 2.2 ? EducationLevel.GRADUATE : EducationLevel.POSTGRADUATE;
        EducationLevel cap = age < 13 ? EducationLevel.PRIMARY : age < 15 ? EducationLevel.MIDDLE
                : age < 17 ? EducationLevel.MATRIC : age < 19 ? EducationLevel.INTERMEDIATE
                : age < 23 ? EducationLevel.GRADUATE : EducationLevel.POSTGRADUATE;
        return e.ordinal() > cap.ordinal() ? cap : e;
    }

    private List<Member> markDisabledAndChronic(List<Member> members, double z, LocalDate survey) {
        List<Member> out = new ArrayList<>(members);
        if (disabled.next(-0.2 * z, rnd.nextDouble())) {
            int who = rnd.nextInt(out.size());
            Disability d = DISABILITY_TYPES[rnd.nextInt(DISABILITY_TYPES.length)];
            out.set(who, withHealth(out.get(who), d, out.get(who).chronicDisease()));
        }
        if (chronic.next(-0.1 * z, rnd.nextDouble())) {
            int oldest = 0;
            for (int i = 1; i < out.size(); i++) {
                if (out.get(i).dateOfBirth().isBefore(out.get(oldest).dateOfBirth())) {
                    oldest = i;
                }
            }
            int who = rnd.nextInt(3) == 0 ? rnd.nextInt(out.size()) : oldest;
            out.set(who, withHealth(out.get(who), out.get(who).disability(), true));
        }
        return out;
    }

    private static Member withHealth(Member m, Disability d, boolean chronicDisease) {
        return new Member(m.cnic(), m.name(), m.guardianName(), m.gender(), m.dateOfBirth(), m.relationship(),
                m.maritalStatus(), d, m.education(), m.literate(), m.schoolStatus(), m.employment(), chronicDisease,
                m.deceased());
    }

    /** [province digit][district 2][tehsil 2][serial 7][gender digit: odd male, even female]. */
    private long nextCnic(int tehsil, Gender gender) {
        int[] serial = cnicSerials.computeIfAbsent(tehsil, t -> new int[1]);
        int s = serial[0]++;
        if (s >= 9_000_000) {
            throw new IllegalStateException("tehsil " + tehsil + " ran out of CNIC serials");
        }
        int district = tehsil / 100 % 1000;
        int t = tehsil % 100;
        int genderDigit = 2 * rnd.nextInt(5) + (gender == Gender.FEMALE ? 0 : 1);
        return province.cnicDigit() * 1_000_000_000_000L + district * 10_000_000_000L + t * 100_000_000L
                + s * 10L + genderDigit;
    }

    private boolean chance(double logit) {
        return rnd.nextDouble() < 1.0 / (1.0 + Math.exp(-logit));
    }

    private int poisson(double lambda) {
        double l = Math.exp(-lambda);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > l);
        return k - 1;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
