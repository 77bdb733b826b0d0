package pk.gov.bisp.nser.core.index;

import java.util.Arrays;
import java.util.List;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Coded;

/**
 * A filterable household dimension: a key, its values (at most 32), and which values a household has (a bit
 * mask over value positions; several bits for multi-valued dimensions such as assets). Each (key, value)
 * pair has one bitmap named {@code key=value}.
 */
public final class Dimension {

    /** Which values of the dimension a household has. */
    @FunctionalInterface
    public interface Extractor {
        int mask(HouseholdRecord r, MemberSummary s);
    }

    public static final String YES = "yes";

    private final String key;
    private final List<String> values;
    private final boolean multiValued;
    private final Extractor extractor;

    Dimension(String key, List<String> values, boolean multiValued, Extractor extractor) {
        if (values.size() > 32) {
            throw new IllegalArgumentException("dimension " + key + " has more than 32 values");
        }
        this.key = key;
        this.values = List.copyOf(values);
        this.multiValued = multiValued;
        this.extractor = extractor;
    }

    static Dimension single(String key, Coded[] values, Extractor e) {
        return new Dimension(key, Arrays.stream(values).map(Coded::key).toList(), false, e);
    }

    static Dimension multi(String key, List<String> values, Extractor e) {
        return new Dimension(key, values, true, e);
    }

    static Dimension flag(String key, Extractor e) {
        return new Dimension(key, List.of(YES), true, e);
    }

    public String key() {
        return key;
    }

    public List<String> values() {
        return values;
    }

    /** True when a household may have none or several values (flags, assets); false when exactly one. */
    public boolean multiValued() {
        return multiValued;
    }

    public int mask(HouseholdRecord r, MemberSummary s) {
        return extractor.mask(r, s);
    }

    public String bitmapName(String value) {
        return key + "=" + value;
    }
}
