package pk.gov.bisp.nser.core.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;
import pk.gov.bisp.nser.core.snapshot.FileHeader;
import pk.gov.bisp.nser.core.snapshot.SnapshotCorruptException;

/** The named bitmaps of {@code bitmaps.bin}, memory-mapped: each an {@link ImmutableRoaringBitmap} over the file. */
public final class BitmapIndex {

    private final long universe;
    private final Map<String, ImmutableRoaringBitmap> bitmaps;

    private BitmapIndex(long universe, Map<String, ImmutableRoaringBitmap> bitmaps) {
        this.universe = universe;
        this.bitmaps = Collections.unmodifiableMap(bitmaps);
    }

    public static BitmapIndex open(Path file) throws IOException {
        MappedByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        buf.order(ByteOrder.LITTLE_ENDIAN);
        FileHeader.check(file, buf, BitmapIndexLayout.MAGIC, BitmapIndexLayout.VERSION);
        try {
            int count = buf.getInt(BitmapIndexLayout.COUNT_OFFSET);
            long universe = buf.getLong(BitmapIndexLayout.UNIVERSE_OFFSET);
            Map<String, ImmutableRoaringBitmap> map = new TreeMap<>();
            int pos = BitmapIndexLayout.DIRECTORY_OFFSET;
            for (int i = 0; i < count; i++) {
                int nameLen = Short.toUnsignedInt(buf.getShort(pos));
                byte[] name = new byte[nameLen];
                buf.get(pos + 2, name);
                pos += 2 + nameLen;
                long offset = buf.getLong(pos);
                int length = buf.getInt(pos + 8);
                pos += 12;
                String n = new String(name, StandardCharsets.UTF_8);
                BitmapIndexLayout.checkEntry(n, offset, length, buf.limit());
                ByteBuffer slice = buf.slice((int) offset, length);
                map.put(n, new ImmutableRoaringBitmap(slice));
            }
            return new BitmapIndex(universe, map);
        } catch (RuntimeException e) {
            if (e instanceof SnapshotCorruptException) {
                throw e;
            }
            throw new SnapshotCorruptException(file, "unreadable bitmap directory or data: " + e, e);
        }
    }

    /** The number of households the bitmaps range over. */
    public long universe() {
        return universe;
    }

    /** The bitmap with this name, or null. */
    public ImmutableRoaringBitmap get(String name) {
        return bitmaps.get(name);
    }

    public Map<String, ImmutableRoaringBitmap> all() {
        return bitmaps;
    }
}
