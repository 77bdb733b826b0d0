package pk.gov.bisp.nser.server.config;

import java.nio.file.Path;

/**
 * Purchases posted back by points of sale (the {@code feedback:} section). Their journal is always fsynced before
 * a batch is acknowledged, so there is no interval to set.
 *
 * @param dir          the purchase journal's directory; null = beside the snapshot ({@code SNAPSHOT.feedback})
 * @param segmentBytes journal segment size (default 64 MiB)
 */
public record FeedbackOptions(Path dir, long segmentBytes) {

    /** The journals' one segment rule ({@link MeteringOptions#SEGMENT_MB}), under {@code feedback:}. */
    public static final IntSetting SEGMENT_MB = MeteringOptions.SEGMENT_MB.at("feedback.segment_mb");
    public static final FeedbackOptions DEFAULTS = new FeedbackOptions(null, (long) SEGMENT_MB.defaultValue() << 20);

    public FeedbackOptions {
        SEGMENT_MB.check(segmentBytes >> 20);
    }

    public FeedbackOptions withDir(Path d) {
        return new FeedbackOptions(d, segmentBytes);
    }
}
