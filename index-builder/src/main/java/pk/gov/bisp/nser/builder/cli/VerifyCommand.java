package pk.gov.bisp.nser.builder.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pk.gov.bisp.nser.builder.Progress;
import pk.gov.bisp.nser.core.snapshot.DeltaReplay;
import pk.gov.bisp.nser.core.snapshot.Manifest;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;
import pk.gov.bisp.nser.core.snapshot.SnapshotVerifier;

/** {@code verify DIR}: magic, versions, checksums and cross-counts; with --deep, every record and index. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a snapshot: magic, versions, sizes, checksums, cross-counts; --deep also re-derives "
                + "every index from the records.")
public final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Snapshot directory.")
    Path dir;

    @Option(names = "--deep", negatable = true, defaultValue = "true",
            description = "Also check every record against every index (default ${DEFAULT-VALUE}).")
    boolean deep;

    @Option(names = "--updates", description = "The server's update directory to fold in before the deep check "
            + "(default: DIR.updates beside the snapshot, when present).")
    Path updates;

    @Override
    public Integer call() throws Exception {
        long bytes = 0;
        Manifest m;
        try {
            m = Manifest.read(dir.resolve("manifest.json"));
            for (Manifest.FileEntry e : m.files().values()) {
                bytes += e.bytes();
            }
        } catch (SnapshotCorruptException e) {
            System.err.println("REFUSED: " + e.getMessage());
            return 1;
        }
        Progress checksums = new Progress("verify checksums", "bytes", bytes);
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.FULL, checksums::add)) {
            checksums.finish();
            DeltaReplay replay = deep ? UpdatesOption.apply(s, UpdatesOption.dir(dir, updates)) : null;
            if (replay != null) {
                System.out.println("live updates folded in: " + replay);
            }
            if (deep) {
                Progress records = new Progress("verify records", "households", s.householdCount());
                List<String> problems = SnapshotVerifier.verify(s, records::set);
                records.finish();
                if (!problems.isEmpty()) {
                    problems.forEach(p -> System.err.println("PROBLEM: " + p));
                    System.err.println("REFUSED: " + problems.size() + " problem(s) in " + dir);
                    return 1;
                }
            }
            System.out.printf("OK %s: %,d households, %,d members, %,d ids; checksums%s verified%n", dir,
                    s.householdCount(), s.memberCount(), s.idCount(), deep ? ", records and indexes" : "");
            return 0;
        } catch (SnapshotCorruptException e) {
            System.err.println();
            System.err.println("REFUSED: " + e.getMessage());
            return 1;
        }
    }
}
