package pk.gov.bisp.nser.core.schema;

import java.util.Objects;

/** The dwelling answers of the survey. */
public record Dwelling(HouseType houseType, int rooms, ToiletType toilet, WaterSource water,
                       Electricity electricity, GasConnection gas) {

    public Dwelling {
        Objects.requireNonNull(houseType, "houseType");
        Objects.requireNonNull(toilet, "toilet");
        Objects.requireNonNull(water, "water");
        Objects.requireNonNull(electricity, "electricity");
        Objects.requireNonNull(gas, "gas");
        if (rooms < 0 || rooms > 255) {
            throw new IllegalArgumentException("rooms=" + rooms + " must be 0..255");
        }
    }

    /** Safe drinking water as the annual report defines it: tap water or a covered well. */
    public boolean safeWater() {
        return water == WaterSource.TAP_WATER || water == WaterSource.COVERED_WELL;
    }

    /** Electricity as the annual report defines it: a metered or extended connection. */
    public boolean hasElectricity() {
        return electricity == Electricity.METERED || electricity == Electricity.EXTENDED;
    }
}
