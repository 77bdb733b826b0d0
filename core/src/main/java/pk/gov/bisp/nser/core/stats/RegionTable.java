package pk.gov.bisp.nser.core.stats;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Disability;
import pk.gov.bisp.nser.core.schema.Electricity;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.schema.HouseType;
import pk.gov.bisp.nser.core.schema.Livestock;
import pk.gov.bisp.nser.core.schema.Province;
import pk.gov.bisp.nser.core.schema.ToiletType;
import pk.gov.bisp.nser.core.schema.WaterSource;

/**
 * The annual report's region-level table computed from household records, with the report's definitions
 * (ages on the survey date; literacy of members 10+; out-of-school children 4-18; workforce 14-60).
 * Feed every record to {@link #add}, then read {@link #rows(Marginals)} to compare with the real figures.
 */
public final class RegionTable {

    /** One figure of one region: the real value and ours. */
    public record Row(Province province, String figure, double real, double computed) {
        public double diff() {
            return computed - real;
        }
    }

    private static final int G = 3;

    /** Per-region counters. */
    private static final class Acc {
        long households;
        long members;
        long pacca;
        long safeWater;
        long electricity;
        long disabled;
        long chronic;
        long livestock;
        long underCutoff;
        final long[] toilet = new long[3];
        final long[] children = new long[G];
        final long[] outOfSchool = new long[G];
        final long[] over10 = new long[G];
        final long[] literate = new long[G];
        final long[] workforce = new long[G];
        final long[] employed = new long[G];
    }

    private final Map<Province, Acc> acc = new EnumMap<>(Province.class);

    public RegionTable() {
        for (Province p : Province.values()) {
            acc.put(p, new Acc());
        }
    }

    public void add(HouseholdRecord r) {
        Acc a = acc.get(Province.ofCode(r.unionCouncil() / 10_000_000));
        a.households++;
        a.pacca += r.houseType() == HouseType.PACCA ? 1 : 0;
        WaterSource w = r.water();
        a.safeWater += w == WaterSource.TAP_WATER || w == WaterSource.COVERED_WELL ? 1 : 0;
        Electricity e = r.electricity();
        a.electricity += e == Electricity.METERED || e == Electricity.EXTENDED ? 1 : 0;
        ToiletType t = r.toilet();
        a.toilet[t.ordinal()]++;
        a.underCutoff += r.pmtHundredths() < 3_200 ? 1 : 0;
        boolean animals = false;
        for (Livestock l : Livestock.values()) {
            animals |= r.livestock(l) > 0;
        }
        a.livestock += animals ? 1 : 0;
        LocalDate on = r.surveyDate();
        boolean disabled = false;
        boolean chronic = false;
        for (int i = 0, n = r.memberCount(); i < n; i++) {
            if (r.deceased(i)) {
                continue;
            }
            a.members++;
            disabled |= r.disability(i) != Disability.NONE;
            chronic |= r.chronicDisease(i);
            int g = r.gender(i).ordinal();
            int age = r.ageOn(i, on);
            if (MemberMeasure.OUT_OF_SCHOOL.inBase(age)) {
                a.children[g]++;
                a.outOfSchool[g] += MemberMeasure.OUT_OF_SCHOOL.meets(r, i) ? 1 : 0;
            }
            if (MemberMeasure.LITERACY.inBase(age)) {
                a.over10[g]++;
                a.literate[g] += MemberMeasure.LITERACY.meets(r, i) ? 1 : 0;
            }
            if (MemberMeasure.EMPLOYMENT.inBase(age)) {
                a.workforce[g]++;
                a.employed[g] += MemberMeasure.EMPLOYMENT.meets(r, i) ? 1 : 0;
            }
        }
        a.disabled += disabled ? 1 : 0;
        a.chronic += chronic ? 1 : 0;
    }

    public long households(Province p) {
        return acc.get(p).households;
    }

    public long members(Province p) {
        return acc.get(p).members;
    }

    /** Share of households under the PMT cut-off of 32, in percent. */
    public double underCutoffPct(Province p) {
        return pct(acc.get(p).underCutoff, acc.get(p).households);
    }

    public double underCutoffPctNational() {
        long under = 0;
        long all = 0;
        for (Acc a : acc.values()) {
            under += a.underCutoff;
            all += a.households;
        }
        return pct(under, all);
    }

    /** Every region-level figure of the marginals file next to ours (percent, or persons per household). */
    public List<Row> rows(Marginals real) {
        long total = 0;
        for (Acc a : acc.values()) {
            total += a.households;
        }
        long realTotal = real.households();
        List<Row> rows = new ArrayList<>();
        int m = Gender.MALE.ordinal();
        int f = Gender.FEMALE.ordinal();
        int t = Gender.TRANSGENDER.ordinal();
        for (Province p : Province.values()) {
            Acc a = acc.get(p);
            Marginals.Region r = real.region(p);
            rows.add(new Row(p, "share_of_households_pct", pct(r.households(), realTotal), pct(a.households, total)));
            rows.add(new Row(p, "avg_household_size", r.avgHouseholdSize(), (double) a.members / Math.max(1, a.households)));
            rows.add(new Row(p, "pacca_pct", r.paccaPct(), pct(a.pacca, a.households)));
            rows.add(new Row(p, "kacha_pct", r.kachaPct(), pct(a.households - a.pacca, a.households)));
            rows.add(new Row(p, "safe_drinking_water_pct", r.safeWaterPct(), pct(a.safeWater, a.households)));
            if (!Double.isNaN(r.electricityPct())) {
                rows.add(new Row(p, "electricity_pct", r.electricityPct(), pct(a.electricity, a.households)));
            }
            rows.add(new Row(p, "out_of_school_male_pct", r.outOfSchoolMalePct(), pct(a.outOfSchool[m], a.children[m])));
            rows.add(new Row(p, "out_of_school_female_pct", r.outOfSchoolFemalePct(),
                    pct(a.outOfSchool[f], a.children[f])));
            rows.add(new Row(p, "out_of_school_total_pct", r.outOfSchoolTotalPct(),
                    pct(sum(a.outOfSchool), sum(a.children))));
            rows.add(new Row(p, "literacy_male_pct", r.literacyMalePct(), pct(a.literate[m], a.over10[m])));
            rows.add(new Row(p, "literacy_female_pct", r.literacyFemalePct(), pct(a.literate[f], a.over10[f])));
            rows.add(new Row(p, "literacy_trans_pct", r.literacyTransPct(), pct(a.literate[t], a.over10[t])));
            rows.add(new Row(p, "literacy_total_pct", r.literacyTotalPct(), pct(sum(a.literate), sum(a.over10))));
            rows.add(new Row(p, "households_with_disabled_member_pct", r.disabledMemberPct(),
                    pct(a.disabled, a.households)));
            rows.add(new Row(p, "toilet_formal_latrine_pct", r.toiletFormalPct(),
                    pct(a.toilet[ToiletType.FORMAL_LATRINE.ordinal()], a.households)));
            rows.add(new Row(p, "toilet_informal_latrine_pct", r.toiletInformalPct(),
                    pct(a.toilet[ToiletType.INFORMAL_LATRINE.ordinal()], a.households)));
            rows.add(new Row(p, "toilet_open_defecation_pct", r.toiletOpenPct(),
                    pct(a.toilet[ToiletType.NONE.ordinal()], a.households)));
            rows.add(new Row(p, "households_with_chronic_disease_pct", r.chronicDiseasePct(),
                    pct(a.chronic, a.households)));
            rows.add(new Row(p, "livestock_ownership_pct", r.livestockPct(), pct(a.livestock, a.households)));
            rows.add(new Row(p, "employed_total_pct", r.employedTotalPct(), pct(sum(a.employed), sum(a.workforce))));
            rows.add(new Row(p, "employed_male_pct", r.employedMalePct(), pct(a.employed[m], a.workforce[m])));
            rows.add(new Row(p, "employed_female_pct", r.employedFemalePct(), pct(a.employed[f], a.workforce[f])));
        }
        return rows;
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) {
            s += x;
        }
        return s;
    }

    private static double pct(long part, long whole) {
        return whole == 0 ? Double.NaN : 100.0 * part / whole;
    }
}
