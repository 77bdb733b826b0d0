package pk.gov.bisp.nser.server.stats;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import pk.gov.bisp.nser.core.query.Query;
import pk.gov.bisp.nser.core.stats.MemberMeasure;
import pk.gov.bisp.nser.core.query.QueryException;
import pk.gov.bisp.nser.core.query.QueryParser;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.text.Printable;

/**
 * What {@code measure=} counts within each group: households matching a filter ({@code house_type:kacha},
 * {@code disabled_member:yes}, {@code pmt_below:32}, any list filter as {@code name:values}), or members by a
 * {@link MemberMeasure} optionally of one gender ({@code literacy}, {@code literacy:female},
 * {@code out_of_school:male}, {@code employment}).
 *
 * @param text     the measure as given
 * @param filter   the household filter, or null for a member measure
 * @param members  the member measure, or null
 * @param gender   the member measure's gender, or null for all
 */
record Measure(String text, Query filter, MemberMeasure members, Gender gender) {

    static Measure parse(String text, QueryParser parser) {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? null : text.substring(colon + 1);
        MemberMeasure m = MemberMeasure.ofKey(name);
        if (m != null) {
            Gender g = null;
            if (value != null) {
                try {
                    g = Gender.ofKey(value.toLowerCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new QueryException("measure " + Printable.of(text) + ": gender must be male, female or "
                            + "transgender");
                }
            }
            return new Measure(text, null, m, g);
        }
        if (value == null) {
            throw new QueryException("measure='" + Printable.of(text) + "'; give a household filter as name:values (e.g. "
                    + "house_type:kacha, disabled_member:yes, pmt_below:32) or a member measure (literacy, "
                    + "out_of_school, employment, each optionally :male, :female or :transgender)");
        }
        String refused = StatsQuery.coarse(name, List.of(value));
        if (refused != null) {
            throw new QueryException("measure " + refused);
        }
        return new Measure(text, parser.parse(Map.of(name, List.of(value)), Set.of()), null, null);
    }

    String unit() {
        return filter != null ? "households" : "members";
    }
}
