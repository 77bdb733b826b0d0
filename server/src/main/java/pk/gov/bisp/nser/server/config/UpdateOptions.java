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
 */
public record UpdateOptions(Path dir, Path pmtModel, int checkpointEvery, long segmentBytes) {

    public static final UpdateOptions DEFAULTS = new UpdateOptions(null, null, 50_000, 64L << 20);

    public UpdateOptions withDir(Path newDir) {
        return new UpdateOptions(newDir, pmtModel, checkpointEvery, segmentBytes);
    }
}
