package pk.gov.bisp.nser.builder.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import pk.gov.bisp.nser.core.snapshot.ChronicleMaps;

/** {@code java -jar nser-index-builder.jar <command>}. */
@Command(name = "nser-index-builder", mixinStandardHelpOptions = true, version = "nser-index-builder 0.1",
        description = "Builds, verifies and inspects NSER registry snapshots.",
        subcommands = {GenerateCommand.class, ImportCommand.class, ExportCommand.class, ExportColumnsCommand.class,
            VerifyCommand.class, StatsCommand.class, SampleIdsCommand.class, CompactCommand.class, RescoreCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        ChronicleMaps.disableAnalytics();
        System.exit(run(args));
    }

    /** Runs a command and returns its exit code (0 ok, 1 failure, 2 usage). */
    public static int run(String... args) {
        ChronicleMaps.disableAnalytics();
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    cmd.getErr().println("error: " + ex.getMessage());
                    return 1;
                })
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
