package pk.gov.bisp.nser.builder.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pk.gov.bisp.nser.builder.Progress;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.DeltaReplay;
import pk.gov.bisp.nser.core.snapshot.Manifest;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotFold;
import pk.gov.bisp.nser.core.snapshot.SnapshotWriter;

/**
 * {@code compact DIR --out NEW}: folds the server's live updates (checkpoint and journal) into a new snapshot whose
 * ordinals are in geographic order again (new households get ordinals after the existing ones until then, and a
 * changed address leaves a household out of order). Records are copied as they are: scores, versions and the
 * dictionary's added names are kept.
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Fold live updates into a new snapshot in geographic order (the server's update directory "
                + "is read, never changed; start the server on the new snapshot with a fresh one).")
public final class CompactCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Snapshot directory.")
    Path dir;

    @Option(names = "--out", required = true, description = "The new snapshot directory.")
    Path out;

    @Option(names = "--updates", description = "The update directory (default: DIR.updates beside the snapshot).")
    Path updates;

    @Option(names = "--force", description = "Replace an existing output directory.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.FULL)) {
            DeltaReplay r = UpdatesOption.apply(s, UpdatesOption.dir(dir, updates));
            System.out.println("updates: " + (r == null ? "none" : r));
            Manifest m = compact(s, out, force);
            Summary.print(System.out, out, m, start);
        }
        return 0;
    }

    /** Writes {@code s} as it is now into {@code out}, ordered by union council, then by old ordinal. */
    static Manifest compact(Snapshot s, Path out, boolean force) throws Exception {
        int n = s.householdCount();
        long[] order = new long[n];
        HouseholdRecord r = new HouseholdRecord();
        Progress sort = new Progress("compact: order", "households", n);
        for (int o = 0; o < n; o++) {
            if (!s.read(o, r)) {
                throw new IllegalStateException("no household at ordinal " + o);
            }
            order[o] = (long) r.unionCouncil() << 32 | o;
            if ((o & 0xFFFF) == 0) {
                sort.set(o);
            }
        }
        sort.finish();
        Arrays.sort(order);
        Manifest m = s.manifest();
        Map<String, String> build = SnapshotFold.asNewBase(m.build()); // of an online fold's generation, too
        build.put("compacted_from", m.createdAt());
        build.put("updated_households", Integer.toString(s.updatedCount()));
        SnapshotWriter.Options options = new SnapshotWriter.Options(n, s.idCount() + 1_000,
                68 + 20.0 * s.memberCount() / Math.max(1, n) + 24, m.asOf(), build, force);
        SnapshotWriter w = SnapshotWriter.create(out, options, s.geography(), s.dictionary(), m.pmtModelName(),
                m.pmtModelVersion());
        try {
            Progress write = new Progress("compact: write", "households", n);
            for (int i = 0; i < n; i++) {
                s.read((int) order[i], r);
                w.append(r);
                if ((i & 0xFFFF) == 0) {
                    write.set(i);
                }
            }
            write.finish();
            return w.finish();
        } catch (Exception e) {
            w.close();
            throw e;
        }
    }
}
