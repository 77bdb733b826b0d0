package pk.gov.bisp.nser.builder.importer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every household an import rejects: the first {@code maxErrors} printed as {@code file:line: reason}, all of them
 * counted, and, with {@code --rejects FILE}, each written there as a comment line {@code # file:line: reason}
 * followed by its original lines, so that the file can be fixed and imported again as it is (comment lines are
 * skipped on import). A CSV rejects file starts with the header of the first CSV input; a rejected household from an
 * input with another column order is written in that order.
 */
final class Rejects implements AutoCloseable {

    private final List<ImportInput> inputs;
    private final PrintStream err;
    private final int maxErrors;
    private final BufferedWriter out;
    private CsvHouseholds.Layout header;
    private long count;

    Rejects(List<ImportInput> inputs, PrintStream err, int maxErrors, Path file) throws IOException {
        this.inputs = inputs;
        this.err = err;
        this.maxErrors = maxErrors;
        this.out = file == null ? null : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    long count() {
        return count;
    }

    /** Rejects {@code u} for {@code reason}. */
    void reject(Unit u, String reason) throws IOException {
        String where = inputs.get(u.file()).name() + ":" + u.line();
        report(where, reason);
        if (out == null) {
            return;
        }
        out.write("# " + where + ": " + oneLine(reason));
        out.newLine();
        List<String> lines = u.lines();
        if (u.layout() == null && u.rows() == null && u.json() == null && u.error() != null
                && u.error().startsWith("header:")) {
            out.write("# " + lines.get(0)); // a header that could not be read: kept as a comment
            out.newLine();
            return;
        }
        if (u.layout() != null && header == null) {
            header = u.layout();
            out.write(String.join(",", header.header()));
            out.newLine();
        }
        boolean reorder = u.layout() != null && u.rows() != null && !u.layout().header().equals(header.header());
        for (int i = 0; i < lines.size(); i++) {
            out.write(reorder ? inOrderOf(header, u.layout(), u.rows().get(i)) : lines.get(i));
            out.newLine();
        }
    }

    /**
     * Rejects a household whose lines cannot be read again (standard input, already consumed): its place and
     * reason only.
     */
    void rejectUnread(String where, String reason) throws IOException {
        report(where, reason);
        if (out != null) {
            out.write("# " + where + ": " + oneLine(reason) + " (its lines were on standard input and are not "
                    + "repeated here)");
            out.newLine();
        }
    }

    private void report(String where, String reason) {
        if (count++ < maxErrors) {
            err.println(where + ": " + reason);
        }
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    private static String inOrderOf(CsvHouseholds.Layout to, CsvHouseholds.Layout from, List<String> cells) {
        List<String> out = new ArrayList<>(to.header().size());
        for (String column : to.header()) {
            Integer i = from.col().get(column.trim());
            out.add(i == null ? "" : CsvHouseholds.quote(cells.get(i)));
        }
        return String.join(",", out);
    }

    /** Prints how many more there were than were printed. */
    void summarise() {
        if (count > maxErrors) {
            err.println("... and " + (count - maxErrors) + " more");
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
