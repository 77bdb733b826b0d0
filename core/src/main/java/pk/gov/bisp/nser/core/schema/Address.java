package pk.gov.bisp.nser.core.schema;

import java.util.Objects;

/**
 * Where a household lives. The union council code determines tehsil, district, division and province
 * through the snapshot's geography.
 *
 * @param unionCouncil union council code (see {@code Geography})
 * @param village      revenue village / deh name
 * @param text         free-text address line (at most 255 UTF-8 bytes)
 * @param latitudeE6   latitude in micro-degrees
 * @param longitudeE6  longitude in micro-degrees
 */
public record Address(int unionCouncil, String village, String text, int latitudeE6, int longitudeE6) {

    public Address {
        Objects.requireNonNull(village, "village");
        Objects.requireNonNull(text, "text");
    }
}
