package pk.gov.bisp.nser.core.query;

import java.util.List;
import pk.gov.bisp.nser.core.geo.GeoLevel;

/**
 * One filter: the household is in at least one of the named bitmaps (or, when negated, in none of them).
 *
 * @param key       the filter's parameter name, without {@code not_}
 * @param negated   true for {@code not_key}
 * @param bitmaps   bitmap names, sorted; their union is the filter's set
 * @param geoLevel  the geography level for address filters, else null
 * @param geoCodes  the unit codes of an address filter (sorted), else empty
 */
public record Clause(String key, boolean negated, List<String> bitmaps, GeoLevel geoLevel, List<Integer> geoCodes) {

    public Clause {
        bitmaps = List.copyOf(bitmaps);
        geoCodes = List.copyOf(geoCodes);
    }

    /** A stable text form, used to bind cursors to their query. */
    public String canonical() {
        return (negated ? "not_" : "") + key + "=" + String.join(",", bitmaps);
    }
}
