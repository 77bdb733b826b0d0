package pk.gov.bisp.nser.builder.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the inputs one after the other and cuts them into households ({@link Unit}s), numbered in input order.
 * NDJSON: one household per line. CSV: a header line per file, then one row per member, the rows of a household
 * consecutive (same {@code household_id}). In both, blank lines and lines starting with {@code #} (comments, as a
 * rejects file carries them) are skipped. A CSV row that cannot be split makes its whole household one unit with
 * that error, its other rows included, so the household is rejected whole. Single-threaded; cheap: parsing is the
 * workers' job.
 */
final class UnitReader {

    /** Receives each unit in order. */
    interface Sink {
        void accept(Unit u) throws Exception;
    }

    private final List<ImportInput> inputs;
    private final ImportFormat format;
    private final AtomicLong bytesRead;
    private long seq;


    UnitReader(List<ImportInput> inputs, ImportFormat format, AtomicLong bytesRead) {
        this.inputs = inputs;
        this.format = format;
        this.bytesRead = bytesRead;
    }

    /** Reads every input into {@code sink}; returns the number of units. */
    long run(Sink sink) throws Exception {
        for (int f = 0; f < inputs.size(); f++) {
            read(f, sink);
        }
        return seq;
    }

    /**
     * Reads input {@code f} alone, numbering its units from {@code firstSeq} (to read a file again and meet its
     * households under the seqs the whole import gave them).
     */
    void readAgain(int f, long firstSeq, Sink sink) throws Exception {
        seq = firstSeq;
        read(f, sink);
    }

    private void read(int f, Sink sink) throws Exception {
        if (format == ImportFormat.ndjson) {
            try (InputStream in = inputs.get(f).openBytes(bytesRead)) {
                ndjson(in, f, sink);
            }
        } else {
            try (BufferedReader in = inputs.get(f).open(bytesRead)) {
                csv(in, f, sink);
            }
        }
    }

    /**
     * NDJSON lines as UTF-8 bytes, not decoded: the parsers read JSON from bytes faster than from characters, and
     * the reader is spared the decoding. Lines end at LF; a CR before it is dropped.
     */
    private void ndjson(InputStream in, int file, Sink sink) throws Exception {
        byte[] buf = new byte[1 << 16];
        byte[] line = new byte[1 << 12];
        int len = 0;
        int n = 0;
        int got;
        while ((got = in.read(buf)) > 0) {
            int from = 0;
            while (from < got) {
                int nl = from;
                while (nl < got && buf[nl] != '\n') {
                    nl++;
                }
                if (len == 0 && nl < got) { // the whole line is in the buffer: no copy into the line buffer
                    n++;
                    line(buf, from, nl, file, n, sink);
                    from = nl + 1;
                    continue;
                }
                int part = nl - from; // a line cut by the buffer's end: gathered, in one copy per piece
                if (len + part > line.length) {
                    line = java.util.Arrays.copyOf(line, Math.max(len + part, line.length * 2));
                }
                System.arraycopy(buf, from, line, len, part);
                len += part;
                from = nl;
                if (nl < got) {
                    n++;
                    line(line, 0, len, file, n, sink);
                    len = 0;
                    from = nl + 1;
                }
            }
        }
        if (len > 0) {
            line(line, 0, len, file, n + 1, sink);
        }
    }

    /** The line {@code b[from..to)} (without its LF), numbered {@code n}. */
    private void line(byte[] b, int from, int to, int file, int n, Sink sink) throws Exception {
        int end = to > from && b[to - 1] == '\r' ? to - 1 : to;
        int start = from;
        while (start < end && (b[start] == ' ' || b[start] == '\t')) {
            start++;
        }
        if (start == end || b[start] == '#') {
            return; // blank, or a comment
        }
        sink.accept(new Unit(seq++, file, n, java.util.Arrays.copyOfRange(b, from, end), null, null, null, null));
    }

    private static boolean skipped(String line) {
        return line.isBlank() || line.charAt(0) == '#';
    }

    private void csv(BufferedReader in, int file, Sink sink) throws Exception {
        String line;
        int n = 0;
        CsvHouseholds.Layout layout = null;
        Pending p = null;
        while ((line = readLine(in, file, n + 1)) != null) {
            n++;
            if (skipped(line)) {
                continue;
            }
            if (layout == null) {
                try {
                    layout = CsvHouseholds.layout(line);
                    continue;
                } catch (RowException e) { // the rest of the file cannot be read without its header
                    sink.accept(new Unit(seq++, file, n, null, List.of(line), null, null, e.getMessage()));
                    return;
                }
            }
            List<String> cells = null;
            String id;
            String error = null;
            try {
                cells = CsvHouseholds.cells(line, layout);
                id = cells.get(layout.idColumn());
            } catch (RowException e) {
                id = CsvHouseholds.roughId(line, layout);
                error = e.getMessage();
            }
            if (p == null || !p.id.equals(id)) {
                if (p != null) {
                    sink.accept(p.unit(seq++, file, layout));
                }
                p = new Pending(id == null ? "" : id, n);
            }
            p.add(line, cells, error, n);
        }
        if (p != null) {
            sink.accept(p.unit(seq++, file, layout));
        }
    }

    private String readLine(BufferedReader in, int file, int n) throws IOException {
        try {
            return in.readLine();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(inputs.get(file).name() + ":" + n + " (or just after): not valid UTF-8; the import "
                    + "stops here (fix or remove the line, or re-encode the file as UTF-8)", e);
        }
    }

    /** The rows of the household being read. */
    private static final class Pending {
        final String id;
        final int line;
        final List<String> lines = new ArrayList<>();
        final List<List<String>> rows = new ArrayList<>();
        String error;
        int errorLine;

        Pending(String id, int line) {
            this.id = id;
            this.line = line;
        }

        void add(String text, List<String> cells, String why, int lineNo) {
            lines.add(text);
            if (cells != null) {
                rows.add(cells);
            }
            if (why != null && error == null) {
                error = lineNo == line ? why : why + " (its household starts on line " + line + ")";
                errorLine = lineNo;
            }
        }

        Unit unit(long seq, int file, CsvHouseholds.Layout layout) {
            // a household that cannot be read is reported at the row that broke it
            return new Unit(seq, file, error == null ? line : errorLine, null, List.copyOf(lines),
                    error == null ? List.copyOf(rows) : null, layout, error);
        }
    }
}
