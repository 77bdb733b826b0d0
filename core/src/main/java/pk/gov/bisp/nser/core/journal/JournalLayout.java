package pk.gov.bisp.nser.core.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The bytes of a journal segment file: a 32-byte header, then frames back to back. Little-endian throughout.
 * Spec: JOURNAL-FORMAT.md beside this class.
 * <pre>
 * Segment header (32 bytes; the first 16 are the codebase's common FileHeader layout):
 *  0                               8               12              16
 *  +-------------------------------+---------------+---------------+
 *  | magic "NSERJRNL"              | version (u32) | reserved (0)  |
 *  +-------------------------------+---------------+---------------+
 *  16                              24              28              32
 *  +-------------------------------+---------------+---------------+
 *  | first sequence (u64)          | crc32c [0,24) | reserved (0)  |
 *  +-------------------------------+---------------+---------------+
 *
 * Frame (18-byte head, then the payload):
 *  0               4               8                               16      18
 *  +---------------+---------------+-------------------------------+-------+-------------------
 *  | length (u32)  | crc32c (u32)  | sequence (u64)                | kind  | payload (length-18)
 *  +---------------+---------------+-------------------------------+-------+-------------------
 *  length = whole frame incl. its head; crc32c covers [0,4) and [8,length): everything but itself.
 * </pre>
 */
public final class JournalLayout {

    public static final String MAGIC = "NSERJRNL";
    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int FIRST_SEQUENCE_OFFSET = 16;
    public static final int HEADER_CHECKSUM_OFFSET = 24;
    public static final int SEGMENT_HEADER_SIZE = 32;

    public static final int LENGTH_OFFSET = 0;
    public static final int CHECKSUM_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int KIND_OFFSET = 16;
    public static final int PAYLOAD_OFFSET = 18;
    public static final int FRAME_HEADER_SIZE = PAYLOAD_OFFSET;
    /** The largest frame, head included (16 MiB). */
    public static final int MAX_FRAME_SIZE = 16 << 20;
    public static final int MAX_KIND = 0xFFFF;

    private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);

    private JournalLayout() {
    }

    /** Writes the 32-byte header at index 0 of a little-endian buffer. */
    static void putHeader(ByteBuffer b, long firstSequence, CRC32C crc) {
        b.put(MAGIC_OFFSET, MAGIC_BYTES).putInt(VERSION_OFFSET, VERSION).putInt(12, 0)
                .putLong(FIRST_SEQUENCE_OFFSET, firstSequence).putInt(28, 0);
        b.putInt(HEADER_CHECKSUM_OFFSET, checksum(b, 0, 0, HEADER_CHECKSUM_OFFSET, crc));
    }

    /** Checks magic, version, checksum and that the first sequence is the one the file name gives. */
    static void checkHeader(Path file, ByteBuffer b, int at, long expectedFirst, CRC32C crc) {
        byte[] m = new byte[MAGIC_BYTES.length];
        b.get(at + MAGIC_OFFSET, m);
        String found = new String(m, StandardCharsets.ISO_8859_1);
        if (!found.equals(MAGIC)) {
            throw new JournalCorruptException(file, 0, "magic='" + found.replaceAll("[^\\x20-\\x7e]", "?")
                    + "' expected='" + MAGIC + "'");
        }
        int stored = b.getInt(at + HEADER_CHECKSUM_OFFSET);
        int computed = checksum(b, at, at, at + HEADER_CHECKSUM_OFFSET, crc);
        if (stored != computed) {
            throw new JournalCorruptException(file, 0, String.format("header checksum=%08x computed=%08x",
                    stored, computed));
        }
        int version = b.getInt(at + VERSION_OFFSET);
        if (version != VERSION) {
            throw new JournalCorruptException(file, 0, "format version=" + version + " supported=" + VERSION);
        }
        long first = b.getLong(at + FIRST_SEQUENCE_OFFSET);
        if (first != expectedFirst) {
            throw new JournalCorruptException(file, 0, "first sequence=" + first + " but the file name says "
                    + expectedFirst);
        }
    }

    /** Appends one frame at the buffer's position (which it advances); returns the frame length. */
    static int putFrame(ByteBuffer b, long sequence, int kind, byte[] payload, int length, CRC32C crc) {
        int at = b.position();
        int frame = FRAME_HEADER_SIZE + length;
        b.putInt(at + LENGTH_OFFSET, frame).putLong(at + SEQUENCE_OFFSET, sequence)
                .putShort(at + KIND_OFFSET, (short) kind).put(at + PAYLOAD_OFFSET, payload, 0, length);
        b.putInt(at + CHECKSUM_OFFSET, checksum(b, at, at + SEQUENCE_OFFSET, at + frame, crc));
        b.position(at + frame);
        return frame;
    }

    /** Checks a frame's length field against the bytes left in the file; returns the length. */
    static int checkFrameLength(Path file, long offset, int length, long remaining) {
        if (length < FRAME_HEADER_SIZE || length > MAX_FRAME_SIZE) {
            throw new JournalCorruptException(file, offset, "frame length=" + Integer.toUnsignedString(length)
                    + " outside " + FRAME_HEADER_SIZE + ".." + MAX_FRAME_SIZE);
        }
        if (length > remaining) {
            throw new JournalCorruptException(file, offset, "frame length=" + length + " runs past the end of the"
                    + " file, " + remaining + " bytes left");
        }
        return length;
    }

    /** Checks the checksum and sequence of the whole frame at {@code at} (its length already checked). */
    static void checkFrame(Path file, long offset, ByteBuffer b, int at, int length, long expectedSequence,
                           CRC32C crc) {
        int stored = b.getInt(at + CHECKSUM_OFFSET);
        int computed = checksum(b, at, at + SEQUENCE_OFFSET, at + length, crc);
        if (stored != computed) {
            throw new JournalCorruptException(file, offset, String.format("frame checksum=%08x computed=%08x",
                    stored, computed));
        }
        long sequence = b.getLong(at + SEQUENCE_OFFSET);
        if (sequence != expectedSequence) {
            throw new JournalCorruptException(file, offset, "sequence=" + sequence + " expected=" + expectedSequence);
        }
    }

    /** True when a whole, checksum-valid frame with length {@code length} sits at {@code at}. */
    static boolean isValidFrame(ByteBuffer b, int at, int length, CRC32C crc) {
        return b.getInt(at + CHECKSUM_OFFSET) == checksum(b, at, at + SEQUENCE_OFFSET, at + length, crc);
    }

    /** CRC32C of [from, from+4) and [rest, end), the buffer's position and limit left as they were. */
    private static int checksum(ByteBuffer b, int from, int rest, int end, CRC32C crc) {
        int position = b.position();
        int limit = b.limit();
        crc.reset();
        if (rest > from) {
            b.limit(from + 4).position(from);
            crc.update(b);
            b.limit(end).position(rest);
        } else {
            b.limit(end).position(from);
        }
        crc.update(b);
        b.limit(limit).position(position);
        return (int) crc.getValue();
    }
}
