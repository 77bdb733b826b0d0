package pk.gov.bisp.nser.core.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import pk.gov.bisp.nser.core.format.Checksums;
import pk.gov.bisp.nser.core.format.FileHeader;
import pk.gov.bisp.nser.core.format.SnapshotCorruptException;

/**
 * A checkpoint of the live updates of one snapshot ({@code checkpoint-%016d.ckpt}, by last journal sequence):
 * every changed household's record, the dictionary strings those records added, and opaque notes (the server
 * keeps its idempotency answers there). With it, a restart replays only the update journal after
 * {@link #lastSequence()}; {@code index-builder compact} folds it into a new snapshot. Version {@value #VERSION}:
 * <pre>
 *  0   FileHeader: magic "NSERCKPT", version (u32), reserved
 * 16   u64 last journal sequence folded in
 * 24   u32 households of the base snapshot        28  u32 dictionary size of the base snapshot
 * 32   u16 n + n bytes UTF-8: the base snapshot's identity ({@link #identity(Manifest)})
 *  .   u32 count, then per string: u16 n + n bytes UTF-8     (dictionary ids base size, base size + 1, ...)
 *  .   u32 count, then per record: i32 ordinal, u16 n + n record bytes   (ascending ordinal)
 *  .   u32 count, then per note: i32 n + n bytes
 *  .   u32 CRC32C of every byte before it
 * </pre>
 * Written to a temporary file, fsynced, then renamed: a checkpoint is either whole or absent.
 */
public record DeltaCheckpoint(long lastSequence, int baseHouseholds, int baseDictionary, String identity,
                              List<String> strings, Map<Integer, byte[]> records, List<byte[]> notes) {

    public static final String MAGIC = "NSERCKPT";
    public static final int VERSION = 1;

    /** What binds updates to one snapshot: its creation time and the checksum of its households file. */
    public static String identity(Manifest m) {
        Manifest.FileEntry e = m.files().get(SnapshotFiles.HOUSEHOLDS);
        return m.createdAt() + "/" + (e == null ? "-" : e.crc32c());
    }

    public static String fileName(long lastSequence) {
        return String.format("checkpoint-%016d.ckpt", lastSequence);
    }

    /** Writes the checkpoint into {@code dir} durably and returns its file. */
    public Path write(Path dir) throws IOException {
        Path file = dir.resolve(fileName(lastSequence));
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            Writer w = new Writer(ch);
            ByteBuffer head = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            FileHeader.write(head, MAGIC, VERSION);
            head.putLong(lastSequence).putInt(baseHouseholds).putInt(baseDictionary);
            w.put(head.array());
            w.shortBytes(identity.getBytes(StandardCharsets.UTF_8));
            w.u32(strings.size());
            for (String s : strings) {
                w.shortBytes(s.getBytes(StandardCharsets.UTF_8));
            }
            w.u32(records.size());
            for (Map.Entry<Integer, byte[]> e : new TreeMap<>(records).entrySet()) {
                w.u32(e.getKey());
                w.shortBytes(e.getValue());
            }
            w.u32(notes.size());
            for (byte[] n : notes) {
                w.u32(n.length);
                w.put(n);
            }
            w.finish();
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Checksums.fsyncDirectory(dir);
        return file;
    }

    /**
     * Reads a checkpoint file.
     *
     * @throws SnapshotCorruptException naming the file if it is not a whole, undamaged checkpoint
     */
    public static DeltaCheckpoint read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        FileHeader.check(file, b, MAGIC, VERSION);
        if (b.limit() < 40) {
            throw new SnapshotCorruptException(file, "truncated: " + b.limit() + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.limit() - 4);
        int stored = b.getInt(b.limit() - 4);
        if ((int) crc.getValue() != stored) {
            throw new SnapshotCorruptException(file, "checksum mismatch: the checkpoint is damaged");
        }
        try {
            b.position(16);
            long last = b.getLong();
            int households = b.getInt();
            int dict = b.getInt();
            String identity = new String(shortBytes(b), StandardCharsets.UTF_8);
            List<String> strings = new ArrayList<>();
            for (int i = 0, n = b.getInt(); i < n; i++) {
                strings.add(new String(shortBytes(b), StandardCharsets.UTF_8));
            }
            Map<Integer, byte[]> records = new TreeMap<>();
            for (int i = 0, n = b.getInt(); i < n; i++) {
                int ordinal = b.getInt();
                records.put(ordinal, shortBytes(b));
            }
            List<byte[]> notes = new ArrayList<>();
            for (int i = 0, n = b.getInt(); i < n; i++) {
                byte[] note = new byte[b.getInt()];
                b.get(note);
                notes.add(note);
            }
            return new DeltaCheckpoint(last, households, dict, identity, strings, records, notes);
        } catch (RuntimeException e) {
            throw new SnapshotCorruptException(file, "unreadable: " + e, e);
        }
    }

    private static byte[] shortBytes(ByteBuffer b) {
        byte[] out = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(out);
        return out;
    }

    /** Buffered little-endian writes with a running CRC32C, appended at {@link #finish}. */
    private static final class Writer {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();

        Writer(FileChannel ch) {
            this.ch = ch;
        }

        void u32(int v) throws IOException {
            room(4);
            buf.putInt(v);
        }

        void shortBytes(byte[] bytes) throws IOException {
            if (bytes.length > 0xFFFF) {
                throw new IllegalArgumentException("a checkpoint string or record is " + bytes.length + " bytes");
            }
            room(2);
            buf.putShort((short) bytes.length);
            put(bytes);
        }

        void put(byte[] bytes) throws IOException {
            int off = 0;
            while (off < bytes.length) {
                room(1);
                int n = Math.min(buf.remaining(), bytes.length - off);
                buf.put(bytes, off, n);
                off += n;
            }
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
        }

        private void flush() throws IOException {
            buf.flip();
            crc.update(buf.array(), 0, buf.limit());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }

        void finish() throws IOException {
            flush();
            buf.putInt((int) crc.getValue());
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }
}
