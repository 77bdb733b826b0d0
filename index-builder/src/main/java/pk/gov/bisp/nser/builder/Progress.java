package pk.gov.bisp.nser.builder;

import java.io.PrintStream;
import java.util.Locale;
import pk.gov.bisp.nser.core.snapshot.BuildProgress;

/**
 * A progress bar with rate and ETA on stderr: redrawn in place on a terminal, a plain line every few seconds
 * otherwise (CI logs). Thread-safe updates; cheap enough to call per item.
 */
public final class Progress {

    private final String step;
    private final String unit;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private final long cpuStart = processCpuNanos();
    private volatile long done;
    private long lastPrint;
    private String alsoUnit;
    private java.util.function.LongSupplier also;

    public Progress(String step, String unit, long total) {
        this(step, unit, total, System.err, System.console() != null);
    }

    Progress(String step, String unit, long total, PrintStream out, boolean terminal) {
        this.step = step;
        this.unit = unit;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Shows a second count beside the first, with its own rate: e.g. households beside the bytes of input read.
     * Returns this.
     */
    public synchronized Progress also(String unit, java.util.function.LongSupplier count) {
        this.alsoUnit = unit;
        this.also = count;
        return this;
    }

    public synchronized void add(long n) {
        set(done + n);
    }

    public synchronized void set(long value) {
        done = value;
        long now = System.nanoTime();
        if (now - lastPrint > (terminal ? 250_000_000L : 5_000_000_000L)) {
            lastPrint = now;
            print(false);
        }
    }

    public synchronized void finish() {
        done = Math.max(done, total);
        print(true);
    }

    /** Seconds since the step started. */
    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    private void print(boolean last) {
        double secs = Math.max(1e-3, elapsedSeconds());
        double rate = done / secs;
        double frac = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int width = 30;
        int filled = (int) Math.round(frac * width);
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        String eta = last ? "took " + duration(secs) + cpu(secs) : "ETA " + (rate > 0 ? duration((total - done) / rate)
                : "?");
        String line = String.format(Locale.ROOT, "%-22s [%s] %5.1f%% %,d/%,d %s  %,.0f/s  %s", step, bar, frac * 100,
                done, total, unit, rate, eta);
        if (also != null) {
            long n = also.getAsLong();
            line += String.format(Locale.ROOT, "  (%,d %s, %,.0f/s)", n, alsoUnit, n / secs);
        }
        if (terminal) {
            out.print("\r" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** The CPU the whole process used during the step, e.g. {@code , CPU 78s (181%)}; empty where unknown. */
    private String cpu(double secs) {
        long now = processCpuNanos();
        if (now < 0 || cpuStart < 0) {
            return "";
        }
        double cpu = (now - cpuStart) / 1e9;
        return String.format(Locale.ROOT, ", CPU %.1fs (%.0f%%)", cpu, 100 * cpu / secs);
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    /** A {@link BuildProgress} that shows each step as a progress bar of its own. */
    public static BuildProgress steps() {
        return new BuildProgress() {
            private Progress step;

            @Override
            public void start(String name, String unit, long total) {
                step = new Progress(name, unit, total);
            }

            @Override
            public void add(long n) {
                step.add(n);
            }

            @Override
            public void done() {
                step.finish();
            }
        };
    }

    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
    }
}
