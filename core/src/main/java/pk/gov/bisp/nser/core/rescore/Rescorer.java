package pk.gov.bisp.nser.core.rescore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RoaringBitmapWriter;
import pk.gov.bisp.nser.core.format.DurableFiles;
import pk.gov.bisp.nser.core.index.PmtIndex;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.BuildProgress;
import pk.gov.bisp.nser.core.format.Checksums;
import pk.gov.bisp.nser.core.snapshot.Manifest;
import pk.gov.bisp.nser.core.snapshot.PmtIndicatorColumn;
import pk.gov.bisp.nser.core.snapshot.ScoreColumn;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotCommit;
import pk.gov.bisp.nser.core.snapshot.SnapshotFiles;

/**
 * Re-scores every household of a snapshot with a new model, in place: builds the indicator column first if the
 * snapshot has none (reading every record once), scores every ordinal from it in parallel, then stages
 * {@code scores.bin}, a rebuilt {@code pmt.rbm} and the model as {@code pmt-model.json}, and commits them with
 * a new manifest ({@link SnapshotCommit}: crash-safe, manifest last). The records are not rewritten: the
 * snapshot serves the scores of {@code scores.bin}. Nothing may have the snapshot open meanwhile.
 */
public final class Rescorer {

    static final int CHUNK = 1 << 16;

    /**
     * @param force    re-score even with a model whose version is the snapshot's
     * @param threads  scoring threads
     * @param cutoff   the cut-off whose crossings are counted, in hundredths
     */
    public record Options(boolean force, int threads, int cutoff) {
    }

    private Rescorer() {
    }

    public static RescoreReport run(Path dir, PmtModel model, Options o, BuildProgress progress) throws Exception {
        long start = System.nanoTime();
        SnapshotCommit commit = SnapshotCommit.begin(dir);
        try {
            return rescore(dir, model, o, progress, commit, start);
        } catch (Exception | Error e) {
            commit.abort();
            throw e;
        }
    }

    private static RescoreReport rescore(Path dir, PmtModel model, Options o, BuildProgress progress,
                                         SnapshotCommit commit, long start) throws Exception {
        Manifest m;
        long[] counts;
        double build = 0;
        double score;
        long writeStart;
        boolean built;
        try (Snapshot s = Snapshot.open(dir, Snapshot.Verify.QUICK)) {
            m = s.manifest();
            if (model.version() == m.pmtModelVersion() && !o.force()) {
                throw new IllegalArgumentException("the snapshot is already scored by model version "
                        + model.version() + " (" + m.pmtModelName() + "); give a new version, or --force to "
                        + "re-score with the same one");
            }
            PmtIndicatorColumn column = s.pmtIndicators();
            built = column == null;
            if (built) {
                long t = System.nanoTime();
                Path f = commit.stage(SnapshotFiles.PMT_INDICATORS);
                IndicatorBuild.write(s, f, o.threads(), progress);
                column = PmtIndicatorColumn.open(f);
                build = seconds(t);
            }
            long t = System.nanoTime();
            char[] scores = score(s, column, model, o.threads(), progress);
            score = seconds(t);
            writeStart = System.nanoTime();
            counts = index(s, scores, o.cutoff(), o.threads(), commit.stage(SnapshotFiles.PMT_INDEX));
            ScoreColumn.write(commit.stage(SnapshotFiles.SCORES), scores, scores.length, model.version());
            DurableFiles.writeNew(commit.stage(SnapshotFiles.PMT_MODEL), model.json());
        }
        commit.commit(manifest(dir, m, model));
        return new RescoreReport(m.households(), m.pmtModelName() + " v" + m.pmtModelVersion(),
                model.name() + " v" + model.version(), built, build, score, seconds(writeStart), seconds(start),
                o.cutoff(), counts[0], counts[1], counts[2], counts[3]);
    }

    /** Every household's new score, by ordinal. */
    private static char[] score(Snapshot s, PmtIndicatorColumn column, PmtModel model, int threads,
                                BuildProgress progress) throws Exception {
        int n = s.householdCount();
        char[] scores = new char[n];
        progress.start("score", "households", n);
        Parallel.run(Parallel.chunks(n, CHUNK), threads, () -> {
            OrdinalScorer scorer = new OrdinalScorer(s, column, model);
            return chunk -> {
                int lo = chunk * CHUNK;
                int hi = (int) Math.min(n, (long) lo + CHUNK);
                for (int k = lo; k < hi; k++) {
                    scores[k] = (char) scorer.score(k);
                }
                progress.add(hi - lo);
            };
        });
        progress.done();
        return scores;
    }

    /**
     * Writes the new range index to {@code file}, built in parts over the threads, and counts the crossings of
     * {@code cutoff}: {before, after, entering, leaving}, "before" as the old index has it.
     */
    private static long[] index(Snapshot s, char[] scores, int cutoff, int threads, Path file) throws Exception {
        int n = scores.length;
        ByteBuffer[] parts = new ByteBuffer[Math.max(1, Parallel.chunks(n, PmtIndex.PART_ROWS))];
        Parallel.run(parts.length, threads, () -> part -> {
            int lo = part * PmtIndex.PART_ROWS;
            parts[part] = PmtIndex.part(scores, lo, (int) Math.min(n, (long) lo + PmtIndex.PART_ROWS));
        });
        PmtIndex.write(file, Arrays.asList(parts));
        RoaringBitmapWriter<RoaringBitmap> below = RoaringBitmapWriter.writer().get();
        for (int k = 0; k < n; k++) {
            if (scores[k] < cutoff) {
                below.add(k);
            }
        }
        RoaringBitmap after = below.get();
        RoaringBitmap before = s.pmt().range().lte(cutoff - 1L);
        long both = RoaringBitmap.andCardinality(before, after);
        return new long[] {before.getLongCardinality(), after.getLongCardinality(),
            after.getLongCardinality() - both, before.getLongCardinality() - both};
    }

    /** The old manifest with the new model, the re-scoring noted, and the sizes and checksums of new files. */
    private static Manifest manifest(Path dir, Manifest m, PmtModel model) throws IOException {
        Map<String, String> build = new LinkedHashMap<>(m.build());
        build.put("rescored_at", Instant.now().toString());
        build.put("rescored_from", m.pmtModelName() + " v" + m.pmtModelVersion());
        Map<String, Manifest.FileEntry> files = new LinkedHashMap<>();
        for (String name : SnapshotFiles.DATA_FILES) {
            files.put(name, m.files().get(name));
        }
        for (String name : SnapshotFiles.OPTIONAL_FILES) {
            Path staged = dir.resolve(name + SnapshotCommit.STAGED);
            if (Files.exists(staged)) {
                files.put(name, new Manifest.FileEntry(Files.size(staged), Checksums.crc32c(staged, b -> { })));
            } else if (m.files().containsKey(name)) {
                files.put(name, m.files().get(name));
            }
        }
        Path rbm = dir.resolve(SnapshotFiles.PMT_INDEX + SnapshotCommit.STAGED);
        files.put(SnapshotFiles.PMT_INDEX, new Manifest.FileEntry(Files.size(rbm), Checksums.crc32c(rbm, b -> { })));
        return new Manifest(m.formatVersion(), m.recordLayoutVersion(), m.createdAt(), m.households(), m.members(),
                m.ids(), m.asOf(), model.name(), model.version(), build, files);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
