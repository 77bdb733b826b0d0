package pk.gov.bisp.nser.builder.cli;

import pk.gov.bisp.nser.core.json.HouseholdJson;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import pk.gov.bisp.nser.core.record.HouseholdCodec;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/** {@code export DIR}: the snapshot's households as NDJSON in the import format. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a snapshot's households as NDJSON in the import format (to stdout).")
public final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Snapshot directory.")
    Path dir;

    @Option(names = "--limit", description = "Write at most this many households.")
    Integer limit;

    @Override
    public Integer call() throws Exception {
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK);
             BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))) {
            int n = limit == null ? s.householdCount() : Math.min(limit, s.householdCount());
            java.io.IOException[] failure = new java.io.IOException[1];
            s.scan(n, (r, ordinal) -> {
                try {
                    out.write(HouseholdJson.toJson(HouseholdCodec.decode(r, s.dictionary())).toString());
                    out.newLine();
                } catch (java.io.IOException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
        }
        return 0;
    }
}
