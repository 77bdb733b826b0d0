package pk.gov.bisp.nser.builder.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/** {@code sample-ids DIR --count N [--seed S]}: N existing CNICs, one per line. */
@Command(name = "sample-ids", mixinStandardHelpOptions = true,
        description = "Print N CNICs that exist in the snapshot, one per line (13 digits), for load tests and examples.")
public final class SampleIdsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Snapshot directory.")
    Path dir;

    @Option(names = "--count", required = true, description = "How many CNICs.")
    int count;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dashed", description = "Write 12345-1234567-1 instead of 13 plain digits.")
    boolean dashed;

    @Override
    public Integer call() throws Exception {
        if (count < 0) {
            throw new IllegalArgumentException("--count must be >= 0");
        }
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK);
             BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII))) {
            SplittableRandom rnd = new SplittableRandom(seed);
            HouseholdRecord r = new HouseholdRecord();
            int n = s.householdCount();
            int written = 0;
            for (long draws = 0; written < count && n > 0 && draws < 100L * count + 1_000; draws++) {
                if (!s.read(rnd.nextInt(n), r)) {
                    continue;
                }
                long cnic = r.cnic(rnd.nextInt(r.memberCount()));
                if (cnic == 0) {
                    continue;
                }
                out.write(dashed ? Cnic.format(cnic) : Cnic.digits(cnic));
                out.newLine();
                written++;
            }
            if (written < count) {
                System.err.println("only " + written + " members with a CNIC found");
                return 1;
            }
        }
        return 0;
    }
}
