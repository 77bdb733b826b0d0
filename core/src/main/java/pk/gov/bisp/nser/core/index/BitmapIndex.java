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
import org.roaringbitmap.buffer.MutableRoaringBitmap;
import pk.gov.bisp.nser.core.format.FileHeader;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;

/**
 * The named bitmaps of {@code bitmaps.bin}, memory-mapped: each an {@link ImmutableRoaringBitmap} over the file.
 * Live updates replace a bitmap by a heap copy the first time they change it ({@link #mutable}); the file is
 * never written. The snapshot's read/write lock guards those changes: readers of a changed index hold its read
 * lock (see {@code Snapshot.readLock()}).
 */
public final class BitmapIndex {

    private volatile long universe;
    private final long fileUniverse;
    private final Map<String, ImmutableRoaringBitmap> bitmaps;
    private final Map<String, ImmutableRoaringBitmap> view;
    /** The mapped bitmaps as the file holds them, never replaced by live updates. */
    private final Map<String, ImmutableRoaringBitmap> files;

    private BitmapIndex(long universe, Map<String, ImmutableRoaringBitmap> bitmaps) {
        this.universe = universe;
        this.fileUniverse = universe;
        this.bitmaps = bitmaps;
        this.view = Collections.unmodifiableMap(bitmaps);
        this.files = Collections.unmodifiableMap(new TreeMap<>(bitmaps));
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
        return view;
    }

    /**
     * The bitmap with this name as the file holds it, whatever live updates changed since (mapped, never
     * changed: read without the snapshot's lock), or null.
     */
    public ImmutableRoaringBitmap file(String name) {
        return files.get(name);
    }

    /** The number of households the file's bitmaps range over. */
    public long fileUniverse() {
        return fileUniverse;
    }

    /**
     * The bitmap with this name as a heap bitmap that may be changed, copying the mapped one the first time.
     * Only under the snapshot's write lock.
     *
     * @throws IllegalArgumentException if there is no such bitmap
     */
    public MutableRoaringBitmap mutable(String name) {
        ImmutableRoaringBitmap b = bitmaps.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no bitmap " + name);
        }
        if (b instanceof MutableRoaringBitmap m) {
            return m;
        }
        MutableRoaringBitmap m = b.toMutableRoaringBitmap();
        bitmaps.put(name, m);
        return m;
    }

    /** Widens the universe to {@code n} households (a live update appended one). Only under the write lock. */
    public void growUniverse(long n) {
        if (n > universe) {
            universe = n;
        }
    }
}
