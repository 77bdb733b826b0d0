package pk.gov.bisp.nser.core.journal;

import static pk.gov.bisp.nser.core.journal.JournalLayout.FRAME_HEADER_SIZE;
import static pk.gov.bisp.nser.core.journal.JournalLayout.MAX_FRAME_SIZE;
import static pk.gov.bisp.nser.core.journal.JournalLayout.SEGMENT_HEADER_SIZE;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import pk.gov.bisp.nser.core.journal.SegmentFiles.Segment;

/**
 * Reads one segment and validates every frame, handing good records to a visitor. Past damage (a bad header, a
 * frame length out of range, a checksum or sequence mismatch) it resynchronises on the next valid frame whose
 * sequence continues the last good one, reports the sequences in between as lost, and reads on from there.
 * Damage at the end of the last segment that nothing valid follows, in a segment with no other damage, is a torn
 * tail (what a crash leaves); any other damage is corruption.
 */
final class SegmentScanner {

    enum Outcome { CLEAN, TORN_TAIL, CORRUPT }

    /**
     * What one segment holds.
     *
     * @param records      good records
     * @param visited      good records handed to the visitor (those from the sequence asked for)
     * @param lastSequence the last good record's sequence; first sequence - 1 when there is none
     * @param goodEnd      the offset just past the last good frame (0 if the header is bad and nothing was read)
     * @param damage       empty when CLEAN; the torn tail when TORN_TAIL; when CORRUPT every damaged region in file
     *                     order, the last one with {@code resumedAt} -1 if nothing valid follows it in the file
     */
    record Result(Segment segment, long size, long records, long visited, long lastSequence, long goodEnd,
                  Outcome outcome, List<JournalDamage> damage) {

        /** The damage the end of the file was not read past (its lost records not yet known), or null. */
        JournalDamage trailing() {
            JournalDamage d = damage.isEmpty() ? null : damage.get(damage.size() - 1);
            return d != null && d.resumedAt() < 0 ? d : null;
        }
    }

    static final RecordVisitor NO_VISITOR = (sequence, kind, data, offset, length) -> { };

    private final CRC32C crc = new CRC32C();

    /**
     * @param last         whether this is the newest segment (where a torn tail may be)
     * @param previousLast the last sequence of the segments before (this one must start after it)
     * @param from         records before this sequence are validated but not visited
     */
    Result scan(Segment seg, boolean last, long previousLast, long from, RecordVisitor v) throws IOException {
        try (FileChannel ch = FileChannel.open(seg.file(), StandardOpenOption.READ)) {
            long size = ch.size();
            long first = seg.firstSequence();
            if (first <= previousLast) {
                JournalDamage d = JournalDamage.of(new JournalCorruptException(seg.file(), 0, "first sequence="
                        + first + " but the segments before end at " + previousLast))
                        .lost(-1, previousLast + 1, previousLast); // lost: what the next segment does not continue
                return new Result(seg, size, 0, 0, first - 1, 0, Outcome.CORRUPT, List.of(d));
            }
            SegmentWindow w = new SegmentWindow(ch, size);
            List<JournalDamage> damage = new ArrayList<>();
            long pos = 0;
            long expected = first;
            long records = 0;
            long visited = 0;
            JournalCorruptException trailing = null;
            boolean header = true;
            while (pos == 0 || pos < size) { // the header is read even from an empty file
                try {
                    if (pos == 0) {
                        header = false;
                        readHeader(seg, w, size);
                        header = true;
                        pos = SEGMENT_HEADER_SIZE;
                        continue;
                    }
                    pos += readFrame(seg, w, pos, size, expected, from, v);
                    records++;
                    visited += expected >= from ? 1 : 0;
                    expected++;
                } catch (JournalCorruptException e) {
                    long[] next = pos == 0 && size <= SEGMENT_HEADER_SIZE ? null : resync(w, pos, size, expected);
                    if (next == null) {
                        trailing = e;
                        break;
                    }
                    JournalDamage d = JournalDamage.of(e).lost(next[0], expected, next[1] - 1);
                    damage.add(d);
                    if (d.lostRecords() > 0 && d.lastLost() >= from) {
                        v.lost(d);
                    }
                    pos = next[0];
                    expected = next[1];
                }
            }
            Outcome out = damage.isEmpty() && trailing == null ? Outcome.CLEAN : Outcome.CORRUPT;
            if (trailing != null && last && damage.isEmpty() && (header || size <= SEGMENT_HEADER_SIZE)) {
                out = Outcome.TORN_TAIL;
                damage.add(JournalDamage.of(trailing));
            } else if (trailing != null) {
                damage.add(JournalDamage.of(trailing).lost(-1, expected, expected - 1));
            }
            return new Result(seg, size, records, visited, expected - 1, pos, out, damage);
        }
    }

    private void readHeader(Segment seg, SegmentWindow w, long size) throws IOException {
        if (size < SEGMENT_HEADER_SIZE) {
            throw new JournalCorruptException(seg.file(), 0, "file is " + size + " bytes, shorter than its "
                    + SEGMENT_HEADER_SIZE + "-byte header");
        }
        int at = w.load(0, SEGMENT_HEADER_SIZE);
        JournalLayout.checkHeader(seg.file(), w.buffer(), at, seg.firstSequence(), crc);
    }

    /** Validates the frame at {@code pos}, visits it if due; returns its length. */
    private int readFrame(Segment seg, SegmentWindow w, long pos, long size, long expected, long from,
                          RecordVisitor v) throws IOException {
        long remaining = size - pos;
        if (remaining < FRAME_HEADER_SIZE) {
            throw new JournalCorruptException(seg.file(), pos, "partial frame head, " + remaining
                    + " bytes before the end of the file");
        }
        try {
            int at = w.load(pos, FRAME_HEADER_SIZE);
            int len = JournalLayout.checkFrameLength(seg.file(), pos, w.buffer().getInt(at), remaining);
            at = w.load(pos, len);
            ByteBuffer b = w.buffer();
            JournalLayout.checkFrame(seg.file(), pos, b, at, len, expected, crc);
            if (expected >= from) {
                v.record(expected, b.getShort(at + JournalLayout.KIND_OFFSET) & 0xFFFF, b.array(),
                        at + JournalLayout.PAYLOAD_OFFSET, len - FRAME_HEADER_SIZE);
            }
            return len;
        } catch (EOFException e) {
            throw new JournalCorruptException(seg.file(), pos, "the file shrank while being read");
        }
    }

    /**
     * Looks past damage at {@code damaged}, byte by byte, for the next valid frame (plausible length, valid
     * checksum) whose sequence continues the last good one: at least {@code expected}, and at most one more per
     * {@value JournalLayout#FRAME_HEADER_SIZE} bytes skipped (the least a lost frame can take). Returns its offset
     * and sequence, or null when nothing valid follows the damage.
     */
    private long[] resync(SegmentWindow w, long damaged, long size, long expected) throws IOException {
        try {
            for (long q = damaged + 1; q + FRAME_HEADER_SIZE <= size; q++) {
                int at = w.load(q, FRAME_HEADER_SIZE);
                ByteBuffer b = w.buffer();
                int len = b.getInt(at);
                long seq = b.getLong(at + JournalLayout.SEQUENCE_OFFSET);
                if (len < FRAME_HEADER_SIZE || len > MAX_FRAME_SIZE || len > size - q || seq < expected
                        || seq > expected + (q - damaged) / FRAME_HEADER_SIZE) {
                    continue;
                }
                at = w.load(q, len);
                if (JournalLayout.isValidFrame(w.buffer(), at, len, crc)) {
                    return new long[] {q, seq};
                }
            }
        } catch (EOFException e) {
            return null; // the file shrank while being read: nothing more to find
        }
        return null;
    }
}
