package pk.gov.bisp.nser.core.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import pk.gov.bisp.nser.core.schema.Province;

/**
 * The real regional figures of the NSER annual report FY 2022-23 ({@code shared/data/nser-marginals.json}).
 * A copy ships inside the jar; {@link #load(Path)} reads another file.
 */
public final class Marginals {

    /** Region-level figures; percentages are 0..100, {@code electricityPct} may be NaN (not reported). */
    public record Region(Province province, long households, long members, double avgHouseholdSize,
                         double paccaPct, double kachaPct, double safeWaterPct, double electricityPct,
                         double outOfSchoolMalePct, double outOfSchoolFemalePct, double outOfSchoolTotalPct,
                         double literacyMalePct, double literacyFemalePct, double literacyTransPct,
                         double literacyTotalPct, double disabledMemberPct, double toiletFormalPct,
                         double toiletInformalPct, double toiletOpenPct, double chronicDiseasePct,
                         double livestockPct, double employedTotalPct, double employedMalePct,
                         double employedFemalePct, int tehsils) {
    }

    private final long households;
    private final long members;
    private final double cutoff;
    private final double cutoffWithDisabled;
    private final Map<Province, Region> regions;
    private final Map<String, Integer> ratesPkr;

    private Marginals(JsonNode root) {
        JsonNode nat = root.path("national");
        this.households = nat.path("households").asLong();
        this.members = nat.path("members").asLong();
        this.cutoff = nat.path("pmt_cutoff").asDouble();
        this.cutoffWithDisabled = nat.path("pmt_cutoff_with_disabled_member").asDouble();
        JsonNode centres = root.path("geography").path("dynamic_registry_centres_by_region");
        Map<Province, Region> rs = new EnumMap<>(Province.class);
        root.path("regions").properties().forEach(e -> {
            Province p = Province.ofReportName(e.getKey());
            rs.put(p, region(p, e.getValue(), centres.path(e.getKey()).asInt()));
        });
        if (rs.size() != Province.values().length) {
            throw new IllegalArgumentException("marginals: expected " + Province.values().length + " regions, got "
                    + rs.size());
        }
        this.regions = rs;
        Map<String, Integer> rates = new LinkedHashMap<>();
        root.path("data_metering_rates_pkr_per_household_row").properties()
                .forEach(e -> rates.put(e.getKey(), e.getValue().asInt()));
        this.ratesPkr = rates;
    }

    private static Region region(Province p, JsonNode r, int tehsils) {
        JsonNode oos = r.path("out_of_school_children_pct");
        JsonNode lit = r.path("literacy_pct_members_10_plus");
        JsonNode toilet = r.path("toilet_pct");
        JsonNode emp = r.path("workforce_employed_pct_age_14_60");
        JsonNode elec = r.path("electricity_pct");
        return new Region(p, r.path("households").asLong(), r.path("members").asLong(),
                r.path("avg_household_size").asDouble(), r.path("pacca_pct").asDouble(), r.path("kacha_pct").asDouble(),
                r.path("safe_drinking_water_pct").asDouble(), elec.isNumber() ? elec.asDouble() : Double.NaN,
                oos.path("male").asDouble(), oos.path("female").asDouble(), oos.path("total").asDouble(),
                lit.path("male").asDouble(), lit.path("female").asDouble(), lit.path("trans").asDouble(),
                lit.path("total").asDouble(), r.path("households_with_disabled_member_pct").asDouble(),
                toilet.path("formal_latrine").asDouble(), toilet.path("informal_latrine").asDouble(),
                toilet.path("open_defecation").asDouble(), r.path("households_with_chronic_disease_pct").asDouble(),
                r.path("livestock_ownership_pct").asDouble(), emp.path("total").asDouble(), emp.path("male").asDouble(),
                emp.path("female").asDouble(), tehsils);
    }

    /** The copy shipped in the jar. */
    public static Marginals builtIn() {
        try (InputStream in = Marginals.class.getResourceAsStream("nser-marginals.json")) {
            if (in == null) {
                throw new IllegalStateException("nser-marginals.json missing from the classpath");
            }
            return new Marginals(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Marginals load(Path file) throws IOException {
        return new Marginals(new ObjectMapper().readTree(Files.readAllBytes(file)));
    }

    public long households() {
        return households;
    }

    public long members() {
        return members;
    }

    public double cutoff() {
        return cutoff;
    }

    public double cutoffWithDisabled() {
        return cutoffWithDisabled;
    }

    public Region region(Province p) {
        return regions.get(p);
    }

    public Map<Province, Region> regions() {
        return regions;
    }

    /** PKR per household row by organisation type key (Annex II of the data-sharing protocol). */
    public Map<String, Integer> ratesPkr() {
        return ratesPkr;
    }
}
