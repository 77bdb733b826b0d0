package pk.gov.bisp.nser.core.journal;

import static pk.gov.bisp.nser.core.journal.JournalLayout.FRAME_HEADER_SIZE;
import static pk.gov.bisp.nser.core.journal.JournalLayout.MAX_FRAME_SIZE;
import static pk.gov.bisp.nser.core.journal.JournalLayout.SEGMENT_HEADER_SIZE;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import pk.gov.bisp.nser.core.journal.SegmentFiles.Segment;

/**
 * Reads one segment and validates every frame, handing good records to a visitor, up to the first damage.
 * Damage in the last segment that nothing valid follows is a torn tail (what a crash leaves); anything else
 * (an earlier segment, a bad header with data after it, or a bad frame followed by good ones) is corruption.
 */
final class SegmentScanner {

    enum Outcome { CLEAN, TORN_TAIL, CORRUPT }

    /**
     * What one segment holds.
     *
     * @param records        good records, from the first to the damage
     * @param lastSequence   the last good record's sequence; first sequence - 1 when there is none
     * @param goodEnd        the offset just past the last good frame (0 if the header is bad)
     * @param damage         null when CLEAN
     * @param highestBeyond  the highest sequence of valid frames found after the damage (last segment only), or
     *                       -1: sequences the journal must not reuse
     */
    record Result(Segment segment, long size, long records, long lastSequence, long goodEnd, Outcome outcome,
                  JournalDamage damage, long highestBeyond) {
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
            SegmentWindow w = new SegmentWindow(ch, size);
            long pos = 0;
            long expected = seg.firstSequence();
            try {
                if (expected <= previousLast) {
                    throw new JournalCorruptException(seg.file(), 0, "first sequence=" + expected
                            + " but the segments before end at " + previousLast);
                }
                readHeader(seg, w, size);
                pos = SEGMENT_HEADER_SIZE;
                while (pos < size) {
                    pos += readFrame(seg, w, pos, size, expected, from, v);
                    expected++;
                }
                return new Result(seg, size, expected - seg.firstSequence(), expected - 1, pos, Outcome.CLEAN, null, -1);
            } catch (JournalCorruptException e) {
                boolean overlap = expected <= previousLast;
                long beyond = last && pos > 0 ? highestBeyond(w, pos, size, expected) : -1;
                boolean torn = last && !overlap && (pos == 0 ? size <= SEGMENT_HEADER_SIZE : beyond < 0);
                return new Result(seg, size, expected - seg.firstSequence(), expected - 1, pos,
                        torn ? Outcome.TORN_TAIL : Outcome.CORRUPT, JournalDamage.of(e), beyond);
            }
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
     * Looks past damage at {@code damaged} for a valid frame with a plausible sequence (at least
     * {@code expected}); from the first one found, walks the valid frames that follow. Returns the highest
     * sequence seen, or -1 when nothing valid follows the damage.
     */
    private long highestBeyond(SegmentWindow w, long damaged, long size, long expected) throws IOException {
        long maxSequence = expected + (size - damaged) / FRAME_HEADER_SIZE;
        for (long q = damaged + 1; q + FRAME_HEADER_SIZE <= size; q++) {
            int at = w.load(q, FRAME_HEADER_SIZE);
            ByteBuffer b = w.buffer();
            int len = b.getInt(at);
            long seq = b.getLong(at + JournalLayout.SEQUENCE_OFFSET);
            if (len < FRAME_HEADER_SIZE || len > MAX_FRAME_SIZE || len > size - q || seq < expected
                    || seq > maxSequence) {
                continue;
            }
            at = w.load(q, len);
            if (JournalLayout.isValidFrame(w.buffer(), at, len, crc)) {
                return walk(w, q, size, seq);
            }
        }
        return -1;
    }

    private long walk(SegmentWindow w, long pos, long size, long highest) throws IOException {
        long high = highest;
        while (size - pos >= FRAME_HEADER_SIZE) {
            int at = w.load(pos, FRAME_HEADER_SIZE);
            int len = w.buffer().getInt(at);
            if (len < FRAME_HEADER_SIZE || len > MAX_FRAME_SIZE || len > size - pos) {
                break;
            }
            at = w.load(pos, len);
            if (!JournalLayout.isValidFrame(w.buffer(), at, len, crc)) {
                break;
            }
            high = Math.max(high, w.buffer().getLong(at + JournalLayout.SEQUENCE_OFFSET));
            pos += len;
        }
        return high;
    }
}
