package pk.gov.bisp.nser.builder.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pk.gov.bisp.nser.builder.Progress;
import pk.gov.bisp.nser.builder.columns.HouseholdColumns;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/** {@code export-columns DIR --out FILE}: one CSV row per household, the columns of {@link HouseholdColumns}. */
@Command(name = "export-columns", mixinStandardHelpOptions = true,
        description = "Write one CSV row per household in ordinal order: ordinal, household_id, pmt, the five "
                + "geography codes, and one column per dimension value, derived as the bitmaps are "
                + "(for loading into a relational database).")
public final class ExportColumnsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Snapshot directory.")
    Path dir;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "CSV file to write (written beside as FILE.tmp, renamed into place when complete).")
    Path out;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        long rows;
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK)) {
            rows = write(s, tmp);
        } catch (Exception e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf(Locale.ROOT, "wrote %,d households x %d columns to %s (%,d bytes) in %s%n", rows,
                HouseholdColumns.columnNames().size(), out.toAbsolutePath(), Files.size(out),
                Progress.duration((System.nanoTime() - start) / 1e9));
        return 0;
    }

    private static long write(Snapshot s, Path file) throws Exception {
        int n = s.householdCount();
        HouseholdColumns columns = new HouseholdColumns(s.geography(), s.manifest().asOf());
        HouseholdRecord r = new HouseholdRecord();
        StringBuilder line = new StringBuilder(512);
        Progress progress = new Progress("export columns", "households", n);
        try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file),
                StandardCharsets.US_ASCII), 1 << 20)) {
            HouseholdColumns.appendHeader(line);
            w.append(line);
            for (int ordinal = 0; ordinal < n; ordinal++) {
                if (!s.read(ordinal, r)) {
                    throw new IllegalStateException("no household at ordinal " + ordinal);
                }
                line.setLength(0);
                columns.appendRow(line, ordinal, r);
                w.append(line);
                if ((ordinal & 0xFFFF) == 0) {
                    progress.set(ordinal);
                }
            }
        }
        progress.finish();
        return n;
    }
}
