package pk.gov.bisp.nser.core.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import pk.gov.bisp.nser.core.dict.StringDictionary;
import pk.gov.bisp.nser.core.format.DurableFiles;
import pk.gov.bisp.nser.core.format.FileHeader;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;

/**
 * {@code strings.dict}, version {@value #VERSION}: the string dictionary.
 * <pre>
 *  0   FileHeader: magic "NSERDICT", version (u32), reserved
 * 16   u32 string count n      20  u32 data bytes d
 * 24   u32 offsets[n + 1], relative to the data start; string i is data[offsets[i], offsets[i+1])
 *  .   data: UTF-8 bytes, d in all
 * </pre>
 */
public final class DictionaryFile {

    public static final String MAGIC = "NSERDICT";
    public static final int VERSION = 1;
    private static final int OFFSETS = 24;

    private DictionaryFile() {
    }

    public static void write(Path file, StringDictionary dict) throws IOException {
        List<String> strings = dict.toList();
        List<byte[]> encoded = new ArrayList<>(strings.size());
        long data = 0;
        for (String s : strings) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            encoded.add(b);
            data += b.length;
        }
        long size = OFFSETS + 4L * (strings.size() + 1) + data;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        FileHeader.write(out, MAGIC, VERSION);
        out.putInt(strings.size()).putInt((int) data);
        int off = 0;
        for (byte[] b : encoded) {
            out.putInt(off);
            off += b.length;
        }
        out.putInt(off);
        for (byte[] b : encoded) {
            out.put(b);
        }
        DurableFiles.writeNew(file, out.array());
    }

    public static StringDictionary read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        FileHeader.check(file, in, MAGIC, VERSION);
        if (in.limit() < OFFSETS) {
            throw new SnapshotCorruptException(file, "truncated header");
        }
        int n = in.getInt(16);
        int data = in.getInt(20);
        long dataStart = OFFSETS + 4L * (n + 1);
        if (n < 1 || dataStart + data != in.limit()) {
            throw new SnapshotCorruptException(file, "count=" + n + " dataBytes=" + data + " do not match file size="
                    + in.limit());
        }
        List<String> strings = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int a = in.getInt(OFFSETS + 4 * i);
            int b = in.getInt(OFFSETS + 4 * (i + 1));
            if (a < 0 || b < a || b > data) {
                throw new SnapshotCorruptException(file, "string " + i + " offsets " + a + ".." + b + " out of range");
            }
            strings.add(new String(in.array(), (int) dataStart + a, b - a, StandardCharsets.UTF_8));
        }
        try {
            return StringDictionary.of(strings);
        } catch (IllegalArgumentException e) {
            throw new SnapshotCorruptException(file, e.getMessage(), e);
        }
    }
}
