package pk.gov.bisp.nser.builder.generate;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import pk.gov.bisp.nser.builder.ChunkedBuild;
import pk.gov.bisp.nser.builder.SnapshotBuild;
import pk.gov.bisp.nser.core.geo.SyntheticGeography;
import pk.gov.bisp.nser.core.schema.Household;
import pk.gov.bisp.nser.core.schema.Province;
import pk.gov.bisp.nser.core.stats.Marginals;

/**
 * A synthetic registry of N households: region by region, tehsil by tehsil, union council by union council,
 * so households arrive in geographic order. Deterministic for (N, seed, marginals). Each tehsil is a chunk
 * ({@link ChunkedBuild.Source}) made by a synthesizer of its own, seeded from the seed and the tehsil, so tehsils
 * can be made on any thread.
 */
public final class SyntheticRegistry implements SnapshotBuild.Source, ChunkedBuild.Source {

    /** Household ids start here; the id of the i-th generated household is {@code FIRST_ID + i}. */
    public static final long FIRST_ID = 1_000_000_001L;

    /** Households each tehsil's synthesizer draws and drops before its first ({@link HouseholdSynthesizer#warmUp}). */
    private static final int WARM_UP = 32;

    /** Rough latitude/longitude boxes per region: min lat, max lat, min lon, max lon. */
    private static final Map<Province, double[]> BOXES = new EnumMap<>(Map.of(
            Province.AZAD_JAMMU_KASHMIR, new double[] {33.0, 35.0, 73.5, 74.6},
            Province.BALOCHISTAN, new double[] {25.2, 31.0, 61.5, 69.8},
            Province.GILGIT_BALTISTAN, new double[] {35.0, 36.9, 72.6, 77.0},
            Province.ISLAMABAD, new double[] {33.5, 33.8, 72.8, 73.4},
            Province.KHYBER_PAKHTUNKHWA, new double[] {31.6, 35.9, 70.2, 73.6},
            Province.PUNJAB, new double[] {28.3, 33.4, 70.2, 75.0},
            Province.SINDH, new double[] {24.3, 28.4, 67.0, 70.9}));

    private final long households;
    private final long seed;
    private final Marginals marginals;
    private final SyntheticGeography geography;
    private final RegistryPlan plan;
    /** Chunk k is union councils [chunkStarts[k], chunkStarts[k + 1]) of the plan, one tehsil. */
    private final int[] chunkStarts;
    /** The id of chunk k's first household. */
    private final long[] chunkFirstIds;

    public SyntheticRegistry(long households, long seed, Marginals marginals) {
        if (households < 1 || households > 100_000_000L) {
            throw new IllegalArgumentException("households=" + households + " must be 1..100,000,000");
        }
        this.households = households;
        this.seed = seed;
        this.marginals = marginals;
        this.geography = SyntheticGeography.of(marginals);
        this.plan = new RegistryPlan(households, marginals, geography);
        List<RegistryPlan.UcCount> ucs = plan.unionCouncils();
        List<Integer> starts = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        long id = FIRST_ID;
        for (int i = 0; i < ucs.size(); i++) {
            if (i == 0 || ucs.get(i).tehsil() != ucs.get(i - 1).tehsil()) {
                starts.add(i);
                ids.add(id);
            }
            id += ucs.get(i).households();
        }
        starts.add(ucs.size());
        this.chunkStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        this.chunkFirstIds = ids.stream().mapToLong(Long::longValue).toArray();
    }

    public SyntheticGeography geography() {
        return geography;
    }

    public long households() {
        return households;
    }

    /** Expected members, from the regions' average household sizes. */
    public long expectedMembers() {
        double m = 0;
        for (Province p : Province.values()) {
            m += plan.households(p) * marginals.region(p).avgHouseholdSize();
        }
        return Math.round(m);
    }

    @Override
    public void run(Consumer<Household> sink) {
        for (int k = 0; k < chunks(); k++) {
            run(k, sink);
        }
    }

    @Override
    public int chunks() {
        return chunkFirstIds.length;
    }

    @Override
    public void run(int chunk, Consumer<Household> sink) {
        List<RegistryPlan.UcCount> ucs = plan.unionCouncils();
        RegistryPlan.UcCount first = ucs.get(chunkStarts[chunk]);
        HouseholdSynthesizer s = new HouseholdSynthesizer(seed, first.tehsil(), first.province(),
                marginals.region(first.province()));
        s.warmUp(WARM_UP, first.tehsil(), first.uc(), centre(first.province(), first.uc()));
        long id = chunkFirstIds[chunk];
        for (int u = chunkStarts[chunk]; u < chunkStarts[chunk + 1]; u++) {
            RegistryPlan.UcCount uc = ucs.get(u);
            double[] centre = centre(uc.province(), uc.uc());
            for (int i = 0; i < uc.households(); i++) {
                sink.accept(s.next(id++, uc.tehsil(), uc.uc(), centre));
            }
        }
    }

    private static double[] centre(Province p, int uc) {
        double[] box = BOXES.get(p);
        SplittableRandom r = new SplittableRandom(uc * 0x9E3779B97F4A7C15L);
        return new double[] {box[0] + r.nextDouble() * (box[1] - box[0]), box[2] + r.nextDouble() * (box[3] - box[2])};
    }
}
