package pk.gov.bisp.nser.builder.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pk.gov.bisp.nser.builder.importer.ImportFormat;
import pk.gov.bisp.nser.builder.importer.ImportInput;
import pk.gov.bisp.nser.builder.importer.StreamingImport;
import pk.gov.bisp.nser.core.geo.Geography;
import pk.gov.bisp.nser.core.geo.SyntheticGeography;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.GeographyFile;
import pk.gov.bisp.nser.core.stats.Marginals;

/** {@code import --format ndjson|csv FILE... --out DIR}: a snapshot from real data, streamed in bounded memory. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Build a snapshot from NDJSON (one household per line) or CSV (one member per row), plain or "
                + "gzip-compressed, from one or more files or standard input (-); see IMPORT-FORMAT.md. Memory does "
                + "not grow with the input; temporary runs go beside --out. Input with errors produces no snapshot "
                + "unless --skip-invalid.")
public final class ImportCommand implements Callable<Integer> {

    @Option(names = "--format", required = true, description = "ndjson or csv.")
    ImportFormat format;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Input files (UTF-8; .gz or not, recognised by "
            + "content), read in the order given; - for standard input.")
    List<String> files;

    @Option(names = "--out", required = true, description = "Snapshot directory to create.")
    Path out;

    @Option(names = "--skip-invalid", description = "Leave invalid households out instead of failing.")
    boolean skipInvalid;

    @Option(names = "--rejects", paramLabel = "FILE", description = "Write every rejected household there: a "
            + "comment line '# file:line: reason', then its original lines (fix them and import the file again).")
    Path rejects;

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

    @Option(names = "--max-errors", defaultValue = "50", description = "Errors to print (default ${DEFAULT-VALUE}); "
            + "--rejects holds them all.")
    int maxErrors;

    @Option(names = "--threads", description = "Parsing threads (default: one per core).")
    Integer threads;

    @Option(names = "--force", description = "Replace an existing snapshot at --out.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        Geography geo = geography == null ? SyntheticGeography.of(Marginals.builtIn()).geography()
                : GeographyFile.read(geography);
        PmtModel pmt = model == null ? PmtModel.builtIn() : PmtModel.load(model);
        List<ImportInput> inputs = files.stream().map(ImportInput::of).toList();
        if (inputs.stream().filter(ImportInput::stdin).count() > 1) {
            System.err.println("standard input (-) can be read once only");
            return 2;
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1 || n > 256) {
            System.err.println("--threads=" + n + " must be 1..256");
            return 2;
        }
        StreamingImport.Result r = StreamingImport.run(new StreamingImport.Options(inputs, format, out, geo, pmt,
                keepScores, skipInvalid, maxErrors, rejects, asOf == null ? LocalDate.now() : asOf, force, n),
                System.err);
        if (rejects != null && r.rejected() > 0) {
            System.err.println("rejected households and why: " + rejects.toAbsolutePath());
        }
        if (r.manifest() == null) {
            return 1;
        }
        Summary.print(System.out, out, r.manifest(), start);
        return 0;
    }
}
