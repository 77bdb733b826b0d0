package pk.gov.bisp.nser.core.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Deletes journal segments whose every record is folded into a checkpoint. The last segment (the one being
 * written) is never deleted, so the journal's next sequence is always known from its files.
 */
public final class JournalRetention {

    private JournalRetention() {
    }

    /** Deletes every segment all of whose records have a sequence of at most {@code sequence}; returns how many. */
    public static int deleteThrough(Path dir, long sequence) throws IOException {
        List<SegmentFiles.Segment> segments = SegmentFiles.list(dir);
        int deleted = 0;
        for (int i = 0; i + 1 < segments.size(); i++) {
            if (segments.get(i + 1).firstSequence() - 1 <= sequence) {
                Files.deleteIfExists(segments.get(i).file());
                deleted++;
            } else {
                break;
            }
        }
        if (deleted > 0) {
            pk.gov.bisp.nser.core.format.Checksums.fsyncDirectory(dir);
        }
        return deleted;
    }
}
