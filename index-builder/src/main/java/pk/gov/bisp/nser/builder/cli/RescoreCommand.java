package pk.gov.bisp.nser.builder.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pk.gov.bisp.nser.builder.Progress;
import pk.gov.bisp.nser.core.rescore.RescoreReport;
import pk.gov.bisp.nser.core.rescore.Rescorer;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.SnapshotCommit;

/** {@code rescore --model FILE DIR}: every household re-scored with a new PMT model, in place. */
@Command(name = "rescore", mixinStandardHelpOptions = true,
        description = {"Re-score every household of a snapshot with a new PMT model, in place: scores.bin, a "
                + "rebuilt pmt.rbm and the model (pmt-model.json) are written durably and committed with a new "
                + "manifest; the records are not rewritten. Seconds at national scale once the snapshot has its "
                + "indicator column (pmt-indicators.bin); a snapshot built before it has the column built first "
                + "from the records.",
            "Run it with the server STOPPED: nothing may have the snapshot open. After an interruption, run it "
                + "again, or with --resume, to complete or undo the change."})
public final class RescoreCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Snapshot directory (changed in place).")
    Path dir;

    @Option(names = "--model", paramLabel = "FILE", description = "The new PMT model JSON (as config/pmt-model.json).")
    Path model;

    @Option(names = "--force", description = "Re-score even when the model's version is the snapshot's.")
    boolean force;

    @Option(names = "--threads", description = "Threads scoring (default: the cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--cutoff", description = "The cut-off whose crossings the summary counts (default "
            + "${DEFAULT-VALUE}).")
    double cutoff = 32;

    @Option(names = "--resume", description = "Only complete (or undo) an interrupted re-scoring; no --model.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        if (resume) {
            boolean completed = SnapshotCommit.recover(dir);
            System.out.println(completed ? "completed the interrupted re-scoring of " + dir
                    : "no re-scoring of " + dir + " was pending (any partial files were removed)");
            return 0;
        }
        if (model == null) {
            throw new IllegalArgumentException("give --model FILE (or --resume)");
        }
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("--threads=" + threads + " must be 1..1024");
        }
        long hundredths = Math.round(cutoff * 100);
        if (hundredths < 1 || hundredths > 10_000 || Math.abs(cutoff * 100 - hundredths) > 1e-6) {
            throw new IllegalArgumentException("--cutoff=" + cutoff + " must be 0.01..100 with at most two decimals");
        }
        PmtModel m = PmtModel.load(model);
        RescoreReport r = Rescorer.run(dir, m, new Rescorer.Options(force, threads, (int) hundredths),
                Progress.steps());
        print(System.out, dir, r);
        return 0;
    }

    static void print(PrintStream out, Path dir, RescoreReport r) {
        out.printf(Locale.ROOT, "rescored %s: %,d households from %s to %s in %.1f s%n", dir.toAbsolutePath(),
                r.households(), r.fromModel(), r.toModel(), r.totalSeconds());
        out.printf(Locale.ROOT, "  indicator column %s; scoring %.2f s; pmt.rbm + scores.bin + commit %.2f s%n",
                r.builtColumn() ? String.format(Locale.ROOT, "built from the records in %.1f s", r.buildSeconds())
                        : "present", r.scoreSeconds(), r.writeSeconds());
        out.printf(Locale.ROOT, "  under the cut-off of %s: %,d before, %,d after; %,d crossed below it (now "
                + "eligible), %,d crossed above it (no longer eligible)%n", cutoffText(r.cutoff()), r.belowBefore(),
                r.belowAfter(), r.entering(), r.leaving());
    }

    private static String cutoffText(int hundredths) {
        return hundredths % 100 == 0 ? Integer.toString(hundredths / 100)
                : String.format(Locale.ROOT, "%.2f", hundredths / 100.0);
    }
}
