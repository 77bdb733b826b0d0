package pk.gov.bisp.nser.benchmarks.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import pk.gov.bisp.nser.builder.cli.GenerateCommand;
import pk.gov.bisp.nser.builder.generate.SyntheticRegistry;
import pk.gov.bisp.nser.core.index.BitmapIndex;
import pk.gov.bisp.nser.core.index.MemberSlices;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.ChronicleMaps;
import pk.gov.bisp.nser.core.snapshot.Manifest;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotFiles;
import pk.gov.bisp.nser.core.stats.Marginals;

/**
 * A generated snapshot of {@code households} (seed 1), built once into {@code target/bench-snapshots} and
 * reused by later runs; or, when {@code snapshot} is given, that existing directory (e.g. the full 35.6M).
 * Also 4,096 existing CNICs and ordinals drawn from it.
 */
@State(Scope.Benchmark)
public class SnapshotState {

    public static final int SAMPLES = 4_096;

    @Param({"200000"})
    public int households;

    /** An existing snapshot directory to use instead of generating one. */
    @Param({""})
    public String snapshot;

    public Snapshot snap;
    public final long[] cnics = new long[SAMPLES];
    public final int[] ordinals = new int[SAMPLES];

    @Setup(Level.Trial)
    public void open() throws Exception {
        ChronicleMaps.disableAnalytics();
        Path dir = snapshot.isEmpty() ? generated(households) : Path.of(snapshot);
        snap = Snapshot.open(dir, Snapshot.Verify.QUICK);
        SplittableRandom rnd = new SplittableRandom(42);
        HouseholdRecord r = new HouseholdRecord();
        for (int i = 0; i < SAMPLES; i++) {
            ordinals[i] = rnd.nextInt(snap.householdCount());
            snap.read(ordinals[i], r);
            cnics[i] = r.cnic(rnd.nextInt(r.memberCount()));
        }
    }

    /**
     * The snapshot for {@code n} households, generated on first use, and again when the one kept from an earlier
     * run predates the indicator column or the member slices.
     */
    public static Path generated(int n) throws Exception {
        Path dir = Path.of(System.getProperty("nser.bench.dir", "target/bench-snapshots")).resolve("gen-" + n + "-seed1");
        Path manifest = dir.resolve(SnapshotFiles.MANIFEST);
        if (!Files.exists(manifest) || !Manifest.read(manifest).files().containsKey(SnapshotFiles.PMT_INDICATORS)
                || !MemberSlices.present(BitmapIndex.open(dir.resolve(SnapshotFiles.BITMAPS)).all())) {
            GenerateCommand.generate(new SyntheticRegistry(n, 1, Marginals.builtIn()), PmtModel.builtIn(), dir,
                    GenerateCommand.DEFAULT_AS_OF, true, 1);
        }
        return dir;
    }

    @TearDown(Level.Trial)
    public void close() {
        snap.close();
    }
}
