package pk.gov.bisp.nser.core.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import org.roaringbitmap.RoaringBitmap;
import pk.gov.bisp.nser.core.format.FileHeader;

/** Collects named bitmaps and writes {@code bitmaps.bin}. */
public final class BitmapIndexWriter {

    private final Map<String, RoaringBitmap> bitmaps = new TreeMap<>();

    /** The bitmap with this name, created empty on first use. */
    public RoaringBitmap bitmap(String name) {
        return bitmaps.computeIfAbsent(name, n -> new RoaringBitmap());
    }

    public void put(String name, RoaringBitmap bitmap) {
        bitmaps.put(name, bitmap);
    }

    public Map<String, RoaringBitmap> bitmaps() {
        return bitmaps;
    }

    public void write(Path file, long universe) throws IOException {
        int directory = 0;
        long data = 0;
        for (Map.Entry<String, RoaringBitmap> e : bitmaps.entrySet()) {
            int nameLen = e.getKey().getBytes(StandardCharsets.UTF_8).length;
            if (nameLen > BitmapIndexLayout.MAX_NAME_BYTES) {
                throw new IllegalArgumentException("bitmap name too long: " + e.getKey());
            }
            e.getValue().runOptimize();
            directory += 2 + nameLen + 12;
            data += e.getValue().serializedSizeInBytes();
        }
        long size = BitmapIndexLayout.DIRECTORY_OFFSET + directory + data;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException("bitmap index of " + size + " bytes exceeds 2 GiB");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        FileHeader.write(out, BitmapIndexLayout.MAGIC, BitmapIndexLayout.VERSION);
        out.putInt(bitmaps.size()).putInt(0).putLong(universe);
        long offset = BitmapIndexLayout.DIRECTORY_OFFSET + directory;
        for (Map.Entry<String, RoaringBitmap> e : bitmaps.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            int len = e.getValue().serializedSizeInBytes();
            out.putShort((short) name.length).put(name).putLong(offset).putInt(len);
            offset += len;
        }
        for (RoaringBitmap b : bitmaps.values()) {
            b.serialize(out);
        }
        out.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.force(true);
        }
    }
}
