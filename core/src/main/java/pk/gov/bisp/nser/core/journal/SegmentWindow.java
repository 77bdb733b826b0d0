package pk.gov.bisp.nser.core.journal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * A sliding read window over a segment file (positional reads into a heap buffer, no mapping: the writer may be
 * appending, or recovery truncating, the same file).
 */
final class SegmentWindow {

    private final FileChannel ch;
    private final long size;
    private ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private long start;

    SegmentWindow(FileChannel ch, long size) {
        this.ch = ch;
        this.size = size;
        buf.limit(0);
    }

    ByteBuffer buffer() {
        return buf;
    }

    /** Makes the file's bytes [pos, pos+len) readable in {@link #buffer()}; returns their index there. */
    int load(long pos, int len) throws IOException {
        if (pos >= start && pos + len <= start + buf.limit()) {
            return (int) (pos - start);
        }
        if (len > buf.capacity()) {
            buf = ByteBuffer.allocate(Math.max(len, buf.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
        buf.clear();
        start = pos;
        int want = (int) Math.min(buf.capacity(), size - pos);
        buf.limit(want);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) {
                break;
            }
        }
        buf.limit(buf.position()).position(0);
        if (buf.limit() < len) {
            throw new EOFException("file ended at " + (pos + buf.limit()) + " while reading " + len + " bytes at "
                    + pos);
        }
        return 0;
    }
}
