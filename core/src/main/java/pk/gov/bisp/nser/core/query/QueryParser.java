package pk.gov.bisp.nser.core.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.geo.GeoUnit;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.index.Dimension;
import pk.gov.bisp.nser.core.index.Dimensions;
import pk.gov.bisp.nser.core.index.HouseholdIndexer;
import pk.gov.bisp.nser.core.index.PmtIndex;
import pk.gov.bisp.nser.core.text.Printable;

/**
 * Turns request parameters into a {@link Query}. Filters combine with AND; the values of one filter (comma
 * separated, or the parameter repeated) with OR; a {@code not_} prefix negates a filter. Anything not
 * understood is a {@link QueryException} that lists what is valid.
 * <ul>
 * <li>address: {@code province}, {@code division}, {@code district}, {@code tehsil}, {@code uc} (codes);</li>
 * <li>score: {@code pmt_min}, {@code pmt_max} (inclusive, at most two decimals), {@code pmt_below}
 *     (exclusive);</li>
 * <li>size: {@code household_size} (1..12, 12 meaning 12 or more), {@code household_size_min},
 *     {@code household_size_max};</li>
 * <li>every dimension of {@link Dimensions#ALL} by its key: flags take {@code yes}/{@code no}; the others
 *     their value keys, and multi-valued ones also {@code any}.</li>
 * </ul>
 */
public final class QueryParser {

    public static final String NOT = "not_";
    private static final Pattern SCORE = Pattern.compile("\\d{1,3}(\\.\\d{1,2})?");
    private static final List<String> RANGE_FILTERS = List.of("pmt_min", "pmt_max", "pmt_below",
            "household_size_min", "household_size_max");
    /** Benefits paid over a period (issue 31), when the live sets hold them: the lowest total, and the months. */
    public static final String BENEFIT_MIN = "benefit_pkr_min";
    public static final String BENEFIT_PERIOD = "benefit_period";
    private static final Pattern PKR = Pattern.compile("\\d{1,10}(\\.\\d{1,2})?");
    private static final Map<String, String> ALIASES = Map.of("drinking_water", "water", "union_council", "uc");
    private static final int LISTED_UNITS = 200;

    private final Geography geography;
    private final LiveSets live;

    public QueryParser(Geography geography) {
        this(geography, LiveSets.NONE);
    }

    /** A parser whose {@code programme} filter also takes the live sets' programmes (partner programmes). */
    public QueryParser(Geography geography, LiveSets live) {
        this.geography = geography;
        this.live = live;
    }

    /** Every filter name this parser accepts (without {@code not_}). */
    public static Set<String> filterNames() {
        Set<String> out = new TreeSet<>();
        for (GeoLevel l : GeoLevel.values()) {
            out.add(l.key());
        }
        out.addAll(RANGE_FILTERS);
        out.addAll(ALIASES.keySet());
        for (Dimension d : Dimensions.ALL) {
            out.add(d.key());
        }
        return out;
    }

    /**
     * Parses every parameter except those in {@code others} (the endpoint's own parameters such as
     * {@code limit}), which are only named in the error for an unknown parameter.
     */
    public Query parse(Map<String, List<String>> params, Collection<String> others) {
        List<Clause> clauses = new ArrayList<>();
        int pmtMin = 0;
        int pmtMax = PmtIndex.MAX_VALUE;
        int sizeMin = 1;
        int sizeMax = Dimensions.MAX_SIZE_BUCKET;
        boolean sized = false;
        String benefitMin = null;
        String benefitPeriod = null;
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String name = e.getKey();
            if (others.contains(name)) {
                continue;
            }
            boolean negated = name.startsWith(NOT);
            String key = negated ? name.substring(NOT.length()) : name;
            key = ALIASES.getOrDefault(key, key);
            List<String> values = values(name, e.getValue());
            if (RANGE_FILTERS.contains(key)) {
                if (negated || values.size() != 1) {
                    throw new QueryException(name + " takes exactly one value" + (negated ? " and no not_ prefix" : ""));
                }
                String v = values.get(0);
                switch (key) {
                    case "pmt_min" -> pmtMin = Math.max(pmtMin, score(name, v));
                    case "pmt_max" -> pmtMax = Math.min(pmtMax, score(name, v));
                    case "pmt_below" -> pmtMax = Math.min(pmtMax, score(name, v) - 1);
                    case "household_size_min" -> sizeMin = Math.max(sizeMin, size(name, v));
                    default -> sizeMax = Math.min(sizeMax, size(name, v));
                }
                sized |= key.startsWith("household_size");
                continue;
            }
            if ((key.equals(BENEFIT_MIN) || key.equals(BENEFIT_PERIOD)) && !live.programmes().isEmpty()) {
                if (negated || values.size() != 1) {
                    throw new QueryException(name + " takes exactly one value" + (negated ? " and no not_ prefix" : ""));
                }
                if (key.equals(BENEFIT_MIN)) {
                    benefitMin = values.get(0);
                } else {
                    benefitPeriod = values.get(0);
                }
                continue;
            }
            GeoLevel level = geoLevel(key);
            if (level != null) {
                clauses.add(geo(name, level, negated, values));
                continue;
            }
            Dimension d = dimension(key);
            if (d == null) {
                throw new QueryException("unknown filter '" + Printable.of(name) + "'; valid filters: "
                        + String.join(", ", filterNames()) + " (each also as not_NAME)"
                        + (others.isEmpty() ? "" : "; other parameters: " + String.join(", ", new TreeSet<>(others))));
            }
            clauses.add(dimension(name, d, negated, values));
        }
        if (pmtMin > pmtMax) {
            throw new QueryException("the PMT range is empty: the lowest score (" + pmtMin / 100.0
                    + ") is above the highest (" + pmtMax / 100.0 + ")");
        }
        if (sized) {
            if (sizeMin > sizeMax) {
                throw new QueryException("household_size_min=" + sizeMin + " is above household_size_max=" + sizeMax);
            }
            List<String> names = new ArrayList<>();
            for (int s = sizeMin; s <= sizeMax; s++) {
                names.add(Dimensions.HOUSEHOLD_SIZE.bitmapName(Integer.toString(s)));
            }
            clauses.add(new Clause("household_size_range", false, names, null, List.of()));
        }
        if (benefitPeriod != null && benefitMin == null) {
            throw new QueryException(BENEFIT_PERIOD + " needs " + BENEFIT_MIN);
        }
        if (benefitMin != null) {
            clauses.add(new Clause(BENEFIT_MIN, false, List.of(benefitBitmap(benefitMin, benefitPeriod)), null,
                    List.of()));
        }
        return new Query(clauses, pmtMin, pmtMax);
    }

    /**
     * The live bitmap name of households paid at least {@code min} PKR (all programmes together) over {@code period}
     * ({@code 2026-11}, {@code 2026-07..2026-12}, or null for every month):
     * {@code benefit_pkr_min=PAISA@FROM..TO}.
     */
    private static String benefitBitmap(String min, String period) {
        if (!PKR.matcher(min).matches()) {
            throw new QueryException(BENEFIT_MIN + "='" + Printable.of(min) + "' must be an amount in PKR with at most "
                    + "two decimals");
        }
        long paisa = new java.math.BigDecimal(min).movePointRight(2).longValueExact();
        String from = "0000-01";
        String to = "9999-12";
        if (period != null) {
            String[] ends = period.split("\\.\\.", -1);
            try {
                java.time.YearMonth f = java.time.YearMonth.parse(ends[0]);
                java.time.YearMonth t = ends.length == 2 ? java.time.YearMonth.parse(ends[1]) : f;
                if (ends.length > 2 || t.isBefore(f)) {
                    throw new java.time.DateTimeException("not a range");
                }
                from = f.toString();
                to = t.toString();
            } catch (java.time.DateTimeException e) {
                throw new QueryException(BENEFIT_PERIOD + "='" + Printable.of(period) + "' must be a month (2026-11) "
                        + "or a range of months (2026-07..2026-12)");
            }
        }
        return BENEFIT_MIN + "=" + paisa + "@" + from + ".." + to;
    }

    private static List<String> values(String name, List<String> raw) {
        List<String> out = new ArrayList<>();
        for (String r : raw) {
            for (String v : r.split(",", -1)) {
                String t = v.trim();
                if (t.isEmpty()) {
                    throw new QueryException(Printable.of(name) + " has an empty value");
                }
                out.add(t);
            }
        }
        if (out.isEmpty()) {
            throw new QueryException(Printable.of(name) + " has no value");
        }
        return out;
    }

    private static GeoLevel geoLevel(String key) {
        for (GeoLevel l : GeoLevel.values()) {
            if (l.key().equals(key)) {
                return l;
            }
        }
        return null;
    }

    private static Dimension dimension(String key) {
        for (Dimension d : Dimensions.ALL) {
            if (d.key().equals(key)) {
                return d;
            }
        }
        return null;
    }

    private Clause geo(String name, GeoLevel level, boolean negated, List<String> values) {
        Set<Integer> codes = new TreeSet<>();
        for (String v : values) {
            int code;
            try {
                code = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new QueryException(name + "='" + Printable.of(v) + "' is not a " + level.key() + " code (a number)");
            }
            if (geography.find(level, code) == null) {
                throw new QueryException("unknown " + level.key() + " code " + code + unitList(level));
            }
            codes.add(code);
        }
        List<String> names = codes.stream().map(c -> HouseholdIndexer.geoName(level, c)).toList();
        return new Clause(level.key(), negated, names, level, List.copyOf(codes));
    }

    private String unitList(GeoLevel level) {
        List<GeoUnit> units = geography.units(level);
        if (units.size() > LISTED_UNITS) {
            return " (" + units.size() + " " + level.key() + " codes exist; a " + level.key()
                    + " code starts with the code of its district)";
        }
        return "; valid: " + units.stream().map(u -> u.code() + " " + u.name()).collect(Collectors.joining(", "));
    }

    private Clause dimension(String name, Dimension d, boolean negated, List<String> values) {
        List<String> valid = d.values();
        if (d == Dimensions.PROGRAMME && !live.programmes().isEmpty()) {
            valid = new ArrayList<>(valid);
            valid.addAll(new TreeSet<>(live.programmes()));
        }
        boolean flag = d.values().size() == 1 && d.values().get(0).equals(Dimension.YES);
        Set<String> names = new TreeSet<>();
        boolean neg = negated;
        for (String v : values) {
            if (flag) {
                boolean yes = switch (v) {
                    case "yes", "true" -> true;
                    case "no", "false" -> false;
                    default -> throw new QueryException(name + "='" + Printable.of(v) + "'; valid: yes, no");
                };
                if (values.size() != 1) {
                    throw new QueryException(name + " takes one value: yes or no");
                }
                neg = negated ^ !yes;
                names.add(d.bitmapName(Dimension.YES));
            } else if (v.equals("any") && d.multiValued()) {
                valid.forEach(x -> names.add(d.bitmapName(x)));
            } else if (valid.contains(v)) {
                names.add(d.bitmapName(v));
            } else {
                throw new QueryException(name + "='" + Printable.of(v) + "'; valid: " + String.join(", ", valid)
                        + (d.multiValued() ? ", any" : ""));
            }
        }
        return new Clause(d.key(), neg, List.copyOf(names), null, List.of());
    }

    private static int score(String name, String v) {
        if (!SCORE.matcher(v).matches()) {
            throw new QueryException(name + "='" + Printable.of(v) + "' must be a PMT score from 0 to 100 with at most "
                    + "two decimals");
        }
        int hundredths = (int) Math.round(Double.parseDouble(v) * 100);
        if (hundredths > PmtIndex.MAX_VALUE) {
            throw new QueryException(name + "=" + v + " is above 100");
        }
        return hundredths;
    }

    private static int size(String name, String v) {
        try {
            int s = Integer.parseInt(v);
            if (s >= 1 && s <= Dimensions.MAX_SIZE_BUCKET) {
                return s;
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw new QueryException(name + "='" + Printable.of(v) + "' must be a whole number 1.."
                + Dimensions.MAX_SIZE_BUCKET + " (" + Dimensions.MAX_SIZE_BUCKET + " means that many or more)");
    }
}
