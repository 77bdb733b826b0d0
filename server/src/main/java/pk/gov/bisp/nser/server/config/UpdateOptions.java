package pk.gov.bisp.nser.server.config;

import java.nio.file.Path;

/**
 * Live registry updates (the {@code updates:} section).
 *
 * @param dir              the update journal and its checkpoints; null = a directory beside the snapshot
 *                         ({@code SNAPSHOT.updates}); the {@code --updates} option overrides it
 * @param pmtModel         the PMT model JSON that re-scores updated households; null = the model shipped with the
 *                         server ({@code config/pmt-model.json})
 * @param checkpointEvery  applied updates between automatic checkpoints (default 50,000; 0 = only on
 *                         {@code POST /admin/checkpoint} and at shutdown)
 * @param segmentBytes     update journal segment size (default 64 MiB)
 * @param foldEvery        changed households held in memory that start an online fold into a new snapshot
 *                         generation (issue 29; default 500,000, about 200 MB of heap; 0 = only on
 *                         {@code POST /admin/compact}); the {@code --fold-every} option overrides it
 */
public record UpdateOptions(Path dir, Path pmtModel, int checkpointEvery, long segmentBytes, int foldEvery) {

    public static final int DEFAULT_FOLD_EVERY = 500_000;
    public static final IntSetting FOLD_EVERY = new IntSetting("updates.fold_every", DEFAULT_FOLD_EVERY, 0,
            100_000_000);

    public static final int DEFAULT_CHECKPOINT_EVERY = 50_000;
    public static final IntSetting CHECKPOINT_EVERY = new IntSetting("updates.checkpoint_every",
            DEFAULT_CHECKPOINT_EVERY, 0, 100_000_000);
    /** The journals' one segment rule ({@link MeteringOptions#SEGMENT_MB}), under {@code updates:}. */
    public static final IntSetting SEGMENT_MB = MeteringOptions.SEGMENT_MB.at("updates.segment_mb");
    public static final UpdateOptions DEFAULTS = new UpdateOptions(null, null, DEFAULT_CHECKPOINT_EVERY,
            (long) SEGMENT_MB.defaultValue() << 20);

    public UpdateOptions {
        CHECKPOINT_EVERY.check(checkpointEvery);
        SEGMENT_MB.check(segmentBytes >> 20);
        FOLD_EVERY.check(foldEvery);
    }

    /** With the default fold trigger. */
    public UpdateOptions(Path dir, Path pmtModel, int checkpointEvery, long segmentBytes) {
        this(dir, pmtModel, checkpointEvery, segmentBytes, DEFAULT_FOLD_EVERY);
    }

    public UpdateOptions withDir(Path newDir) {
        return new UpdateOptions(newDir, pmtModel, checkpointEvery, segmentBytes, foldEvery);
    }

    public UpdateOptions withFoldEvery(int households) {
        return new UpdateOptions(dir, pmtModel, checkpointEvery, segmentBytes, households);
    }
}
