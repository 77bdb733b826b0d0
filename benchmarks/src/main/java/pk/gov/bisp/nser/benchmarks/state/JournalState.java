package pk.gov.bisp.nser.benchmarks.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.core.journal.JournalOptions;

/**
 * A journal in a fresh directory under {@code target/bench-journal} (on the disk, not a tmpfs, so fsync is
 * real), deleted after the trial.
 */
@State(Scope.Benchmark)
public class JournalState {

    /** Group commit interval; 0 = fsync every batch before its records complete. */
    @Param({"0", "2000"})
    public long fsyncIntervalMicros;

    /**
     * Segments reserve their blocks and drop their fsynced pages ({@code reserveSegments} and
     * {@code releaseSyncedPages}, the defaults); {@code -p segmentSpace=false,true} measures the journal without
     * them, as it was before 2026-11-23, in the same run.
     */
    @Param({"true"})
    public boolean segmentSpace = true;

    public Path dir;
    public Journal journal;

    @Setup(Level.Trial)
    public void open() throws IOException {
        Path base = Path.of(System.getProperty("nser.bench.dir", "target")).resolve("bench-journal");
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "journal-");
        journal = Journal.open(JournalOptions.defaults(dir).withFsyncIntervalMicros(fsyncIntervalMicros)
                .withReserveSegments(segmentSpace).withReleaseSyncedPages(segmentSpace));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        journal.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
