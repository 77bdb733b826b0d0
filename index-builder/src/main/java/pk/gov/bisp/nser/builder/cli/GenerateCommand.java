package pk.gov.bisp.nser.builder.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import pk.gov.bisp.nser.builder.ChunkedBuild;
import pk.gov.bisp.nser.builder.Progress;
import pk.gov.bisp.nser.builder.SnapshotBuild;
import pk.gov.bisp.nser.builder.generate.SyntheticRegistry;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Manifest;
import pk.gov.bisp.nser.core.snapshot.SnapshotWriter;
import pk.gov.bisp.nser.core.stats.Marginals;

/** {@code generate --households N --seed S --out DIR}: a synthetic registry calibrated to the real figures. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate a deterministic synthetic registry snapshot calibrated to nser-marginals.json.")
public final class GenerateCommand implements Callable<Integer> {

    /** The date ages are taken on for age-based bitmaps in generated snapshots (fixed, for determinism). */
    public static final LocalDate DEFAULT_AS_OF = LocalDate.of(2026, 7, 1);

    @Option(names = "--households", required = true, description = "Number of households (10k to 35,645,850).")
    long households;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "Snapshot directory to create.")
    Path out;

    @Option(names = "--model", description = "PMT model JSON (default: the built-in config/pmt-model.json).")
    Path model;

    @Option(names = "--marginals", description = "Calibration figures (default: the built-in nser-marginals.json).")
    Path marginals;

    @Option(names = "--as-of", description = "Date ages are taken on for age-based indexes (default 2026-07-01).")
    LocalDate asOf;

    @Option(names = "--force", description = "Replace an existing snapshot at --out.")
    boolean force;

    @Option(names = "--threads", description = "Threads making households (default: the number of cores). "
            + "The snapshot is the same byte for byte whatever the number.")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        Marginals m = marginals == null ? Marginals.builtIn() : Marginals.load(marginals);
        PmtModel pmt = model == null ? PmtModel.builtIn() : PmtModel.load(model);
        SyntheticRegistry registry = new SyntheticRegistry(households, seed, m);
        Manifest manifest = generate(registry, pmt, out, asOf == null ? DEFAULT_AS_OF : asOf, force, seed,
                threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        Summary.print(System.out, out, manifest, start);
        return 0;
    }

    /** Builds a synthetic snapshot on every core; shared with the server's demo mode and tests. */
    public static Manifest generate(SyntheticRegistry registry, PmtModel pmt, Path out, LocalDate asOf,
                                    boolean replace, long seed) throws Exception {
        return generate(registry, pmt, out, asOf, replace, seed, Runtime.getRuntime().availableProcessors());
    }

    /** Builds a synthetic snapshot, making households on {@code threads} threads (the bytes do not depend on it). */
    public static Manifest generate(SyntheticRegistry registry, PmtModel pmt, Path out, LocalDate asOf,
                                    boolean replace, long seed, int threads) throws Exception {
        Map<String, String> build = new LinkedHashMap<>();
        build.put("source", "synthetic");
        build.put("households", Long.toString(registry.households()));
        build.put("seed", Long.toString(seed));
        long members = registry.expectedMembers();
        SnapshotWriter.Options options = new SnapshotWriter.Options(registry.households(),
                Math.round(members * 1.02) + 1_000, 68 + 20 * (double) members / registry.households() + 24, asOf,
                build, replace);
        StringDictionary dict = StringDictionary.empty();
        SnapshotWriter writer = SnapshotWriter.create(out, options, registry.geography().geography(), dict, pmt);
        try {
            Progress progress = new Progress("generate", "households", registry.households());
            return new ChunkedBuild(writer, dict, pmt, progress, threads).run(registry);
        } catch (Exception e) {
            SnapshotBuild.closeQuietly(writer, e);
            throw e;
        }
    }
}
