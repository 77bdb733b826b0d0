package pk.gov.bisp.nser.builder.cli;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pk.gov.bisp.nser.builder.Progress;
import pk.gov.bisp.nser.builder.SnapshotBuild;
import pk.gov.bisp.nser.builder.importer.HouseholdImport;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.geo.SyntheticGeography;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.GeographyFile;
import pk.gov.bisp.nser.core.snapshot.Manifest;
import pk.gov.bisp.nser.core.snapshot.SnapshotWriter;
import pk.gov.bisp.nser.core.stats.Marginals;

/** {@code import --format ndjson|csv FILE --out DIR}: a snapshot from real data. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Build a snapshot from NDJSON (one household per line) or CSV (one member per row); see "
                + "IMPORT-FORMAT.md. A file with errors produces no snapshot unless --skip-invalid.")
public final class ImportCommand implements Callable<Integer> {

    @Option(names = "--format", required = true, description = "ndjson or csv.")
    HouseholdImport.Format format;

    @Parameters(index = "0", paramLabel = "FILE", description = "Input file (UTF-8).")
    Path file;

    @Option(names = "--out", required = true, description = "Snapshot directory to create.")
    Path out;

    @Option(names = "--skip-invalid", description = "Leave invalid households out instead of failing.")
    boolean skipInvalid;

    @Option(names = "--keep-scores", description = "Keep each household's pmt_score (required) instead of scoring "
            + "with the model.")
    boolean keepScores;

    @Option(names = "--model", description = "PMT model JSON (default: the built-in config/pmt-model.json).")
    Path model;

    @Option(names = "--geography", description = "geography.json of the union council codes (default: the "
            + "synthetic geography).")
    Path geography;

    @Option(names = "--as-of", description = "Date ages are taken on for age-based indexes (default: today).")
    LocalDate asOf;

    @Option(names = "--max-errors", defaultValue = "50", description = "Errors to print (default ${DEFAULT-VALUE}).")
    int maxErrors;

    @Option(names = "--force", description = "Replace an existing snapshot at --out.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        Geography geo = geography == null ? SyntheticGeography.of(Marginals.builtIn()).geography()
                : GeographyFile.read(geography);
        PmtModel pmt = model == null ? PmtModel.builtIn() : PmtModel.load(model);
        HouseholdImport.Result parsed;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            parsed = HouseholdImport.read(in, format, geo, keepScores);
        }
        List<String> errors = parsed.errors();
        for (int i = 0; i < Math.min(maxErrors, errors.size()); i++) {
            System.err.println(file.getFileName() + ":" + errors.get(i));
        }
        if (errors.size() > maxErrors) {
            System.err.println("... and " + (errors.size() - maxErrors) + " more");
        }
        if (!errors.isEmpty() && !skipInvalid) {
            System.err.println(errors.size() + " invalid household(s); no snapshot written (--skip-invalid leaves "
                    + "them out)");
            return 1;
        }
        if (parsed.households().isEmpty()) {
            System.err.println("no valid households in " + file + "; no snapshot written");
            return 1;
        }
        if (!errors.isEmpty()) {
            System.err.println("skipped " + errors.size() + " invalid household(s)");
        }
        Manifest m = build(parsed.households(), geo, pmt, keepScores, out, asOf == null ? LocalDate.now() : asOf,
                force, file);
        Summary.print(System.out, out, m, start);
        return 0;
    }

    static Manifest build(List<HouseholdImport.Parsed> households, Geography geo, PmtModel pmt, boolean keepScores,
                          Path out, LocalDate asOf, boolean force, Path source) throws Exception {
        List<HouseholdImport.Parsed> sorted = new ArrayList<>(households);
        sorted.sort(Comparator.comparingInt((HouseholdImport.Parsed p) -> p.household().address().unionCouncil())
                .thenComparingInt(HouseholdImport.Parsed::line));
        long members = sorted.stream().mapToLong(p -> p.household().members().size()).sum();
        Map<String, String> buildInfo = new LinkedHashMap<>();
        buildInfo.put("source", "import");
        buildInfo.put("file", source.getFileName().toString());
        buildInfo.put("scores", keepScores ? "kept from input" : "computed by model");
        SnapshotWriter.Options o = new SnapshotWriter.Options(sorted.size(), members + 1_000,
                68 + 20.0 * members / sorted.size() + 24, asOf, buildInfo, force);
        StringDictionary dict = StringDictionary.empty();
        SnapshotWriter writer = keepScores ? SnapshotWriter.create(out, o, geo, dict, "imported", 0)
                : SnapshotWriter.create(out, o, geo, dict, pmt);
        try {
            Progress progress = new Progress("import", "households", sorted.size());
            SnapshotBuild.Mode mode = keepScores ? SnapshotBuild.Mode.KEEP_SCORES : SnapshotBuild.Mode.RESCORE;
            return new SnapshotBuild(writer, dict, pmt, mode, progress)
                    .run(sink -> sorted.forEach(p -> sink.accept(p.household())));
        } catch (Exception e) {
            SnapshotBuild.closeQuietly(writer, e);
            throw e;
        }
    }

}
