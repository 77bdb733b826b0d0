package pk.gov.bisp.nser.builder.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pk.gov.bisp.nser.builder.Progress;
import pk.gov.bisp.nser.core.schema.Province;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.stats.Marginals;
import pk.gov.bisp.nser.core.stats.RegionTable;

/** {@code stats DIR}: the region table computed from the snapshot next to the real figures. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Print the annual report's region table computed from a snapshot, next to the real figures.")
public final class StatsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Snapshot directory.")
    Path dir;

    @Option(names = "--marginals", description = "Real figures (default: the built-in nser-marginals.json).")
    Path marginals;

    @Override
    public Integer call() throws Exception {
        Marginals real = marginals == null ? Marginals.builtIn() : Marginals.load(marginals);
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK)) {
            RegionTable table = compute(s);
            System.out.printf(Locale.ROOT, "%-20s %-38s %9s %9s %7s%n", "region", "figure", "real", "snapshot", "diff");
            double worst = 0;
            for (RegionTable.Row r : table.rows(real)) {
                System.out.printf(Locale.ROOT, "%-20s %-38s %9.2f %9.2f %+7.2f%n", r.province().reportName(),
                        r.figure(), r.real(), r.computed(), r.diff());
                if (!r.figure().startsWith("avg") && !r.figure().startsWith("literacy_trans")) {
                    worst = Math.max(worst, Math.abs(r.diff()));
                }
            }
            System.out.printf(Locale.ROOT, "%nhouseholds under the PMT cut-off of 32: %.2f%% nationally%n",
                    table.underCutoffPctNational());
            for (Province p : Province.values()) {
                System.out.printf(Locale.ROOT, "  %-20s %6.2f%%  (%,d households, %,d members)%n", p.reportName(),
                        table.underCutoffPct(p), table.households(p), table.members(p));
            }
            System.out.printf(Locale.ROOT, "largest difference in a percentage figure (trans literacy aside): %.2f "
                    + "points%n", worst);
        }
        return 0;
    }

    static RegionTable compute(Snapshot s) {
        RegionTable table = new RegionTable();
        Progress p = new Progress("stats", "households", s.householdCount());
        s.scan(s.householdCount(), (r, ordinal) -> {
            table.add(r);
            if ((ordinal & 0xFFFF) == 0) {
                p.set(ordinal);
            }
        });
        p.finish();
        return table;
    }
}
