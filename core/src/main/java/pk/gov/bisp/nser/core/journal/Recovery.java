package pk.gov.bisp.nser.core.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import pk.gov.bisp.nser.core.format.Checksums;
import pk.gov.bisp.nser.core.journal.SegmentFiles.Segment;

/**
 * Opening a journal directory: validate every segment, cut a torn tail off the newest one, and pick where
 * appends go. Damaged segments are never modified or deleted: they are reported (at every open, with the
 * sequences lost) and read past the damage; when the newest is damaged, appends go to a fresh segment.
 */
final class Recovery {

    /** The result: the report, and the segment channel (positioned at its end, fsynced) to append to. */
    record Recovered(RecoveryReport report, FileChannel channel, long position, long nextSequence) {
    }

    private Recovery() {
    }

    static Recovered recover(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Segment> segments = SegmentFiles.list(dir);
        SegmentScanner scanner = new SegmentScanner();
        List<JournalDamage> corrupt = new ArrayList<>();
        long last = 0;
        long records = 0;
        SegmentScanner.Result newest = null;
        for (int i = 0; i < segments.size(); i++) {
            newest = scanner.scan(segments.get(i), i == segments.size() - 1, last, Long.MAX_VALUE,
                    SegmentScanner.NO_VISITOR);
            records += newest.records();
            if (newest.records() > 0) {
                last = newest.lastSequence();
            }
            if (newest.outcome() == SegmentScanner.Outcome.CORRUPT && i < segments.size() - 1) {
                corrupt.addAll(damage(newest, segments.get(i + 1).firstSequence()));
            }
        }
        long next = last + 1;
        long truncated = 0;
        JournalDamage torn = null;
        FileChannel ch;
        if (newest == null || newest.outcome() == SegmentScanner.Outcome.CORRUPT) {
            if (newest != null) { // never reuse the damaged segment's name
                next = Math.max(next, newest.segment().firstSequence() + 1);
                corrupt.addAll(damage(newest, next));
            }
            ch = SegmentFiles.create(dir, next);
        } else {
            next = Math.max(next, newest.segment().firstSequence()); // its first frame must carry its name's sequence
            ch = FileChannel.open(newest.segment().file(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                if (newest.outcome() == SegmentScanner.Outcome.TORN_TAIL) {
                    torn = newest.damage().get(0);
                    truncated = newest.size() - newest.goodEnd();
                    cutTail(ch, newest);
                }
                ch.position(ch.size());
                ch.force(false); // what a killed process left in the OS is now durable too
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }
        String active = SegmentFiles.name(newest == null || newest.outcome() == SegmentScanner.Outcome.CORRUPT
                ? next : newest.segment().firstSequence());
        RecoveryReport report = new RecoveryReport(dir.toString(), segments.size(), records, last, next, truncated,
                torn, corrupt, active);
        return new Recovered(report, ch, ch.position(), next);
    }

    /**
     * A corrupt segment's damage, the records lost where nothing valid follows the damage in its file being those
     * up to the sequence the journal goes on from after it ({@code nextFirst}: the next segment's first).
     */
    static List<JournalDamage> damage(SegmentScanner.Result r, long nextFirst) {
        JournalDamage trailing = r.trailing();
        if (trailing == null) {
            return r.damage();
        }
        List<JournalDamage> out = new ArrayList<>(r.damage());
        out.set(out.size() - 1, trailing.lost(-1, trailing.firstLost(), nextFirst - 1));
        return out;
    }

    /** Cuts the file at the end of its last good frame; a torn header is written anew. */
    private static void cutTail(FileChannel ch, SegmentScanner.Result r) throws IOException {
        if (r.goodEnd() < JournalLayout.SEGMENT_HEADER_SIZE) {
            ch.truncate(0);
            SegmentFiles.writeHeader(ch, r.segment().firstSequence());
        } else {
            ch.truncate(r.goodEnd());
        }
        ch.force(true);
        Checksums.fsyncDirectory(r.segment().file().getParent());
    }
}
