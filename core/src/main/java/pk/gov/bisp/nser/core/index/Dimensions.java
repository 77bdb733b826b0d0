package pk.gov.bisp.nser.core.index;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import pk.gov.bisp.nser.core.schema.Asset;
import pk.gov.bisp.nser.core.schema.Disability;
import pk.gov.bisp.nser.core.schema.Electricity;
import pk.gov.bisp.nser.core.schema.GasConnection;
import pk.gov.bisp.nser.core.schema.HouseType;
import pk.gov.bisp.nser.core.schema.LandUnit;
import pk.gov.bisp.nser.core.schema.Livestock;
import pk.gov.bisp.nser.core.schema.ToiletType;
import pk.gov.bisp.nser.core.schema.WaterSource;

/** The catalogue of filterable household dimensions, each with one bitmap per value. */
public final class Dimensions {

    /** Household size values "1".."11" and "12" meaning 12 or more. */
    public static final int MAX_SIZE_BUCKET = 12;

    public static final Dimension HOUSE_TYPE = Dimension.single("house_type", HouseType.values(),
            (r, s) -> 1 << r.houseType().ordinal());
    public static final Dimension TOILET = Dimension.single("toilet", ToiletType.values(),
            (r, s) -> 1 << r.toilet().ordinal());
    public static final Dimension WATER = Dimension.single("water", WaterSource.values(),
            (r, s) -> 1 << r.water().ordinal());
    public static final Dimension ELECTRICITY = Dimension.single("electricity", Electricity.values(),
            (r, s) -> 1 << r.electricity().ordinal());
    public static final Dimension GAS = Dimension.single("gas", GasConnection.values(),
            (r, s) -> 1 << r.gas().ordinal());
    public static final Dimension HOUSEHOLD_SIZE = new Dimension("household_size",
            IntStream.rangeClosed(1, MAX_SIZE_BUCKET).mapToObj(Integer::toString).toList(), false,
            (r, s) -> 1 << (Math.min(MAX_SIZE_BUCKET, Math.max(1, s.living)) - 1));
    public static final Dimension DISABILITY = Dimension.multi("disability",
            Arrays.stream(Disability.values()).filter(d -> d != Disability.NONE).map(Disability::key).toList(),
            (r, s) -> s.disabilityMask >>> 1);
    public static final Dimension DISABLED_MEMBER = Dimension.flag("disabled_member", (r, s) -> bit(s.disabilityMask != 0));
    public static final Dimension ELDERLY = Dimension.flag("member_65_plus", (r, s) -> bit(s.elderly));
    public static final Dimension WIDOW = Dimension.flag("widow", (r, s) -> bit(s.widow));
    public static final Dimension CHILD_UNDER_5 = Dimension.flag("children_under_5", (r, s) -> bit(s.childUnder5));
    public static final Dimension OUT_OF_SCHOOL = Dimension.flag("out_of_school_children", (r, s) -> bit(s.outOfSchool));
    public static final Dimension EMPLOYED = Dimension.flag("member_employed", (r, s) -> bit(s.employed));
    public static final Dimension CHRONIC = Dimension.flag("chronic_disease", (r, s) -> bit(s.chronic));
    public static final Dimension FEMALE_HEAD = Dimension.flag("female_head", (r, s) -> bit(s.femaleHead));
    public static final Dimension ASSET = Dimension.multi("asset",
            Arrays.stream(Asset.values()).map(Asset::key).toList(), (r, s) -> r.assetBits());
    public static final Dimension LIVESTOCK = Dimension.multi("livestock",
            Arrays.stream(Livestock.values()).map(Livestock::key).toList(), (r, s) -> {
                int m = 0;
                for (Livestock l : Livestock.values()) {
                    m |= r.livestock(l) > 0 ? 1 << l.ordinal() : 0;
                }
                return m;
            });
    public static final Dimension LIVESTOCK_OWNED = Dimension.flag("livestock_owned", (r, s) -> {
        for (Livestock l : Livestock.values()) {
            if (r.livestock(l) > 0) {
                return 1;
            }
        }
        return 0;
    });
    public static final Dimension LAND_OWNED = Dimension.flag("land_owned", (r, s) -> {
        for (LandUnit u : LandUnit.values()) {
            if (r.land(u) > 0) {
                return 1;
            }
        }
        return 0;
    });
    public static final Dimension PROGRAMME = Dimension.multi("programme", List.of("uct", "cct"),
            (r, s) -> (r.uct() ? 1 : 0) | (r.cct() ? 2 : 0));

    public static final List<Dimension> ALL = List.of(HOUSE_TYPE, TOILET, WATER, ELECTRICITY, GAS, HOUSEHOLD_SIZE,
            DISABILITY, DISABLED_MEMBER, ELDERLY, WIDOW, CHILD_UNDER_5, OUT_OF_SCHOOL, EMPLOYED, CHRONIC, FEMALE_HEAD,
            ASSET, LIVESTOCK, LIVESTOCK_OWNED, LAND_OWNED, PROGRAMME);

    private Dimensions() {
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }
}
