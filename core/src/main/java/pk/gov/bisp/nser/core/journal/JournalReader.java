package pk.gov.bisp.nser.core.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import pk.gov.bisp.nser.core.journal.SegmentFiles.Segment;

/**
 * Reads the good records of a journal directory in sequence order, across segments. Past damage in a segment,
 * reading goes on from the next valid frame that continues the sequence (or with the next segment); the damage
 * and the sequences it lost are reported in the {@link ReadReport} and to {@link RecordVisitor#lost}.
 * Safe while a {@link Journal} writes the directory: it reads what is in the files when it gets to them.
 */
public final class JournalReader {

    private JournalReader() {
    }

    /** Every good record. */
    public static ReadReport read(Path dir, RecordVisitor v) throws IOException {
        return read(dir, 0, v);
    }

    /** The good records with a sequence of at least {@code fromSequence}. */
    public static ReadReport read(Path dir, long fromSequence, RecordVisitor v) throws IOException {
        List<Segment> segments = SegmentFiles.list(dir);
        SegmentScanner scanner = new SegmentScanner();
        List<JournalDamage> damage = new ArrayList<>();
        long previousLast = 0;
        long records = 0;
        long tail = 0;
        int read = 0;
        for (int i = 0; i < segments.size(); i++) {
            boolean last = i == segments.size() - 1;
            if (!last && segments.get(i + 1).firstSequence() <= fromSequence) {
                continue; // every record here is before fromSequence
            }
            SegmentScanner.Result r = scanner.scan(segments.get(i), last, previousLast, fromSequence, v);
            read++;
            records += r.visited();
            if (r.records() > 0) {
                previousLast = r.lastSequence();
            }
            if (r.outcome() == SegmentScanner.Outcome.TORN_TAIL) {
                tail = r.size() - r.goodEnd();
            } else if (r.outcome() == SegmentScanner.Outcome.CORRUPT) {
                List<JournalDamage> found = last ? r.damage()
                        : Recovery.damage(r, segments.get(i + 1).firstSequence());
                JournalDamage trailing = found.get(found.size() - 1);
                if (!last && trailing.resumedAt() < 0 && trailing.lostRecords() > 0
                        && trailing.lastLost() >= fromSequence) {
                    v.lost(trailing); // the scanner told those it resynchronised past
                }
                damage.addAll(found);
            }
        }
        return new ReadReport(read, records, previousLast, tail, damage);
    }
}
