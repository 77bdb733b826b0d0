package pk.gov.bisp.nser.builder.columns;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.index.Dimension;
import pk.gov.bisp.nser.core.index.Dimensions;
import pk.gov.bisp.nser.core.index.MemberSummary;
import pk.gov.bisp.nser.core.record.HouseholdRecord;

/**
 * One CSV row per household, the columns in this order:
 * <ul>
 *   <li>{@code ordinal}, {@code household_id}, {@code pmt} (score with two decimals, e.g. {@code 31.75});</li>
 *   <li>{@code province}, {@code division}, {@code district}, {@code tehsil}, {@code uc}: the codes of the
 *       union council and its ancestors;</li>
 *   <li>per dimension of {@link Dimensions#ALL}, in catalogue order: a flag ({@code disabled_member}) is one
 *       {@code t}/{@code f} column named after its key; a single-valued dimension ({@code toilet}) is one
 *       column holding the value key; a multi-valued one ({@code asset}) is one {@code t}/{@code f} column
 *       per value, named {@code key_value}.</li>
 * </ul>
 * Dimension values come from {@link Dimension#mask} over a {@link MemberSummary} taken on the snapshot's
 * as-of date, and geography from {@link Geography#ancestorOfUc}: the same derivation as
 * {@code HouseholdIndexer}, so a column's {@code t} rows are exactly its bitmap. Not thread-safe.
 */
public final class HouseholdColumns {

    /** Column names become SQL identifiers and CSV fields unquoted: plain lower-case words only. */
    private static final Pattern PLAIN = Pattern.compile("[a-z][a-z0-9_]*");
    private static final List<String> NAMES = names();

    private final Geography geography;
    private final LocalDate asOf;
    private final MemberSummary summary = new MemberSummary();
    private final Map<Integer, int[]> codesByUc = new HashMap<>();
    private int lastUc = Integer.MIN_VALUE;
    private int[] lastCodes;

    public HouseholdColumns(Geography geography, LocalDate asOf) {
        this.geography = geography;
        this.asOf = asOf;
    }

    /** The header, one name per column. */
    public static List<String> columnNames() {
        return NAMES;
    }

    /** True for a dimension written as one t/f column named after its key. */
    public static boolean isFlag(Dimension d) {
        return d.multiValued() && d.values().equals(List.of(Dimension.YES));
    }

    private static List<String> names() {
        List<String> out = new ArrayList<>(List.of("ordinal", "household_id", "pmt"));
        for (GeoLevel l : GeoLevel.values()) {
            out.add(l.key());
        }
        for (Dimension d : Dimensions.ALL) {
            if (isFlag(d) || !d.multiValued()) {
                out.add(d.key());
            } else {
                for (String v : d.values()) {
                    out.add(d.key() + "_" + v);
                }
            }
        }
        for (String n : out) {
            if (!PLAIN.matcher(n).matches()) {
                throw new IllegalStateException("column name=" + n + " is not a plain identifier");
            }
        }
        if (out.stream().distinct().count() != out.size()) {
            throw new IllegalStateException("column names repeat: " + out);
        }
        return Collections.unmodifiableList(out);
    }

    /** Appends the header line (with its newline). */
    public static void appendHeader(StringBuilder sb) {
        sb.append(String.join(",", NAMES)).append('\n');
    }

    /** Appends the row of the household at {@code ordinal} (with its newline). */
    public void appendRow(StringBuilder sb, int ordinal, HouseholdRecord r) {
        sb.append(ordinal).append(',').append(r.householdId()).append(',');
        appendScore(sb, r.pmtHundredths());
        for (int code : codes(r.unionCouncil())) {
            sb.append(',').append(code);
        }
        summary.of(r, asOf);
        for (Dimension d : Dimensions.ALL) {
            int mask = d.mask(r, summary);
            if (d.multiValued()) {
                for (int v = 0; v < d.values().size(); v++) {
                    sb.append(',').append((mask & (1 << v)) != 0 ? 't' : 'f');
                }
            } else {
                sb.append(',').append(d.values().get(Integer.numberOfTrailingZeros(mask)));
            }
        }
        sb.append('\n');
    }

    /** Hundredths as a decimal with two places: 3175 as {@code 31.75}, 5 as {@code 0.05}. */
    static void appendScore(StringBuilder sb, int hundredths) {
        int cents = hundredths % 100;
        sb.append(hundredths / 100).append('.').append(cents < 10 ? "0" : "").append(cents);
    }

    private int[] codes(int uc) {
        if (uc != lastUc) {
            lastCodes = codesByUc.computeIfAbsent(uc, code -> {
                int[] out = new int[GeoLevel.values().length];
                for (GeoLevel l : GeoLevel.values()) {
                    out[l.ordinal()] = geography.ancestorOfUc(code, l);
                }
                return out;
            });
            lastUc = uc;
        }
        return lastCodes;
    }
}
