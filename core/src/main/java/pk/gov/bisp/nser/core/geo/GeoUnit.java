package pk.gov.bisp.nser.core.geo;

/** One unit of the hierarchy; {@code parent} is the code of the unit above (0 for a province). */
public record GeoUnit(GeoLevel level, int code, String name, int parent) {
}
