package pk.gov.bisp.nser.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The 16-byte head of every binary file we write.
 * <pre>
 *  0                               8               12              16
 *  +-------------------------------+---------------+---------------+
 *  | magic, 8 ASCII bytes          | version (u32) | reserved (0)  |
 *  +-------------------------------+---------------+---------------+
 * </pre>
 */
public final class FileHeader {

    public static final int SIZE = 16;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;

    private FileHeader() {
    }

    public static void write(ByteBuffer out, String magic, int version) {
        byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
        if (m.length != 8) {
            throw new IllegalArgumentException("magic '" + magic + "' must be 8 ASCII bytes");
        }
        out.order(ByteOrder.LITTLE_ENDIAN);
        out.put(m).putInt(version).putInt(0);
    }

    /** Checks magic and version at the buffer's position 0; returns the version. */
    public static int check(Path file, ByteBuffer in, String magic, int maxVersion) {
        if (in.limit() < SIZE) {
            throw new SnapshotCorruptException(file, "file is " + in.limit() + " bytes, shorter than its header");
        }
        byte[] m = new byte[8];
        in.get(MAGIC_OFFSET, m);
        String found = new String(m, StandardCharsets.ISO_8859_1);
        if (!found.equals(magic)) {
            throw new SnapshotCorruptException(file, "magic='" + printable(found) + "' expected='" + magic + "'");
        }
        int version = in.order(ByteOrder.LITTLE_ENDIAN).getInt(VERSION_OFFSET);
        if (version < 1 || version > maxVersion) {
            throw new SnapshotCorruptException(file, "format version=" + version + " supported=1.." + maxVersion);
        }
        return version;
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
