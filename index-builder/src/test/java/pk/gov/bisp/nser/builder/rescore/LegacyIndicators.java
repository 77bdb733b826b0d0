package pk.gov.bisp.nser.builder.rescore;

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
import pk.gov.bisp.nser.core.scoring.PmtIndicator;

/**
 * The indicator computation as it was before the indicator column (PmtIndicators.compute, verbatim), kept as
 * the reference the column must reproduce to the bit: snapshots scored by it must keep their scores.
 */
final class LegacyIndicators {

    private static final Asset[] ASSETS = Asset.values();
    private static final PmtIndicator[] ASSET_INDICATORS = {REFRIGERATOR,
        AIR_CONDITIONER, FREEZER, TELEVISION, WASHING_MACHINE, MICROWAVE_OVEN, AIR_COOLER, GEYSER, HEATER,
        COOKING_STOVE, COOKING_RANGE};
    private static final int[] EDUCATION_YEARS = {0, 1, 5, 8, 10, 12, 14, 16, 3};

    private LegacyIndicators() {
    }

    static void compute(HouseholdRecord r, double[] out) {
        LocalDate on = r.surveyDate();
        int living = 0;
        int dependants = 0;
        int workingAge = 0;
        int adults = 0;
        int literateAdults = 0;
        int workforce = 0;
        int employed = 0;
        int maxYears = 0;
        boolean disabled = false;
        boolean elderly = false;
        boolean headLiterate = false;
        boolean femaleHead = false;
        for (int i = 0, n = r.memberCount(); i < n; i++) {
            if (r.deceased(i)) {
                continue;
            }
            living++;
            int age = r.ageOn(i, on);
            if (age < 15 || age >= 65) {
                dependants++;
            } else {
                workingAge++;
            }
            if (age >= 15) {
                adults++;
                literateAdults += r.literate(i) ? 1 : 0;
            }
            if (age >= 14 && age <= 60) {
                workforce++;
                employed += r.employment(i) == Employment.EMPLOYED ? 1 : 0;
            }
            maxYears = Math.max(maxYears, EDUCATION_YEARS[r.education(i).ordinal()]);
            disabled |= r.disability(i) != Disability.NONE;
            elderly |= age >= 65;
            if (r.relationship(i) == Relationship.HEAD) {
                headLiterate = r.literate(i);
                femaleHead = r.gender(i) == Gender.FEMALE;
            }
        }
        living = Math.max(living, 1);
        out[HOUSEHOLD_SIZE.ordinal()] = living;
        out[DEPENDENCY_RATIO.ordinal()] = (double) dependants / Math.max(1, workingAge);
        out[ROOMS_PER_PERSON.ordinal()] = Math.min(3.0, (double) r.rooms() / living);
        out[PACCA.ordinal()] = flag(r.houseType() == HouseType.PACCA);
        ToiletType toilet = r.toilet();
        out[TOILET_FORMAL.ordinal()] = flag(toilet == ToiletType.FORMAL_LATRINE);
        out[TOILET_INFORMAL.ordinal()] = flag(toilet == ToiletType.INFORMAL_LATRINE);
        WaterSource w = r.water();
        out[SAFE_WATER.ordinal()] = flag(w == WaterSource.TAP_WATER || w == WaterSource.COVERED_WELL);
        Electricity e = r.electricity();
        out[ELECTRICITY.ordinal()] = flag(e == Electricity.METERED || e == Electricity.EXTENDED);
        out[GAS_PIPED.ordinal()] = flag(r.gas() == GasConnection.PIPED);
        out[GAS_LPG.ordinal()] = flag(r.gas() == GasConnection.LPG_CYLINDER);
        int bits = r.assetBits();
        for (int a = 0; a < ASSETS.length; a++) {
            out[ASSET_INDICATORS[a].ordinal()] = (bits >>> a) & 1;
        }
        int large = r.livestock(Livestock.COW) + r.livestock(Livestock.BUFFALO) + r.livestock(Livestock.BULLOCK);
        int small = r.livestock(Livestock.GOAT) + r.livestock(Livestock.LAMB);
        out[LARGE_LIVESTOCK.ordinal()] = Math.min(20, large);
        out[SMALL_LIVESTOCK.ordinal()] = Math.min(50, small);
        double acres = 25.0 * r.land(LandUnit.MURABA) + r.land(LandUnit.ACRE) + r.land(LandUnit.KANAL) / 8.0
                + r.land(LandUnit.MARLA) / 160.0;
        out[LOG_LAND_ACRES.ordinal()] = Math.log1p(acres);
        out[HEAD_LITERATE.ordinal()] = flag(headLiterate);
        out[ADULT_LITERACY_SHARE.ordinal()] = adults == 0 ? 0 : (double) literateAdults / adults;
        out[MAX_EDUCATION_YEARS.ordinal()] = maxYears;
        out[EMPLOYED_SHARE.ordinal()] = workforce == 0 ? 0 : (double) employed / workforce;
        out[FEMALE_HEAD.ordinal()] = flag(femaleHead);
        out[DISABLED_MEMBER.ordinal()] = flag(disabled);
        out[ELDERLY_MEMBER.ordinal()] = flag(elderly);
    }

    private static double flag(boolean b) {
        return b ? 1.0 : 0.0;
    }
}
