package pk.gov.bisp.nser.builder.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import pk.gov.bisp.nser.core.snapshot.Manifest;

/** The end-of-build summary: counts, and bytes per file and per household. */
final class Summary {

    private Summary() {
    }

    static void print(PrintStream out, Path dir, Manifest m, long startNanos) {
        out.printf(Locale.ROOT, "snapshot %s built in %s%n", dir.toAbsolutePath(),
                pk.gov.bisp.nser.builder.Progress.duration((System.nanoTime() - startNanos) / 1e9));
        out.printf(Locale.ROOT, "  households %,d   members %,d   ids %,d   pmt model %s v%d%n", m.households(),
                m.members(), m.ids(), m.pmtModelName(), m.pmtModelVersion());
        long total = 0;
        for (var e : m.files().entrySet()) {
            out.printf(Locale.ROOT, "  %-20s %,16d bytes  %8.1f B/household%n", e.getKey(), e.getValue().bytes(),
                    (double) e.getValue().bytes() / Math.max(1, m.households()));
            total += e.getValue().bytes();
        }
        out.printf(Locale.ROOT, "  %-20s %,16d bytes  %8.1f B/household%n", "total", total,
                (double) total / Math.max(1, m.households()));
    }
}
