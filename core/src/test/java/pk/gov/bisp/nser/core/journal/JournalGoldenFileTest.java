package pk.gov.bisp.nser.core.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.core.journal.Journals.Rec;

/**
 * The committed segment of format version 1 ({@code src/test/resources/golden/journal/v1}): writing the same
 * records must give the same bytes, and the file must read back. Never disable this: a failure means the format
 * changed, which needs a new version and new golden files. The test only reads them;
 * {@code scripts/regenerate-golden-files.sh} rewrites them with {@link #main}, from the same journal.
 */
public class JournalGoldenFileTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/journal/v1");
    private static final String SEGMENT = "journal-0000000000000001.seg";
    private static final List<Rec> RECORDS = List.of(
            new Rec(1, 1, "GET /v1/households/by-cnic/3520212345671 200 1532us key=partner-7"),
            new Rec(2, 2, "{\"org\":\"partner-7\",\"op\":\"lookup\",\"units\":1}"),
            new Rec(3, 65_535, ""));

    @TempDir
    Path tmp;

    /** Rewrites the golden segment into the directory {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(SEGMENT));
        writeRecords(dir);
        Files.deleteIfExists(dir.resolve("journal.lock"));
    }

    /** The known records, appended to a new journal in {@code dir}. */
    private static void writeRecords(Path dir) throws Exception {
        try (Journal j = Journal.open(JournalOptions.defaults(dir))) {
            for (Rec r : RECORDS) {
                assertEquals(r.sequence(), Journals.appendAndWait(j, r.kind(), r.payload()));
            }
        }
    }

    @Test
    void segmentV1ShouldBeWrittenByteForByteAndReadBack() throws Exception {
        writeRecords(tmp);
        byte[] written = Files.readAllBytes(tmp.resolve(SEGMENT));
        assertArrayEquals(Files.readAllBytes(GOLDEN.resolve(SEGMENT)), written,
                "journal encoding changed; the v1 format must not change");

        assertEquals(RECORDS, Journals.readAll(GOLDEN));
        ReadReport r = JournalReader.read(GOLDEN, (s, k, d, off, len) -> { });
        assertEquals(new ReadReport(1, 3, 3, 0, List.of()), r);
    }

    /** The offsets of JOURNAL-FORMAT.md, read by hand from the golden bytes. */
    @Test
    void goldenBytesShouldMatchTheWrittenSpec() throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(GOLDEN.resolve(SEGMENT))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("NSERJRNL", new String(b.array(), 0, 8, StandardCharsets.US_ASCII));
        assertEquals(1, b.getInt(8));
        assertEquals(0, b.getInt(12));
        assertEquals(1, b.getLong(16));
        assertEquals(crc(b.array(), 0, 24), b.getInt(24));
        assertEquals(0, b.getInt(28));
        int at = 32;
        for (Rec r : RECORDS) {
            byte[] p = r.payload().getBytes(StandardCharsets.ISO_8859_1);
            int len = b.getInt(at);
            assertEquals(18 + p.length, len);
            assertEquals(r.sequence(), b.getLong(at + 8));
            assertEquals(r.kind(), b.getShort(at + 16) & 0xFFFF);
            assertEquals(r.payload(), new String(b.array(), at + 18, p.length, StandardCharsets.ISO_8859_1));
            CRC32C crc = new CRC32C();
            crc.update(b.array(), at, 4);
            crc.update(b.array(), at + 8, len - 8);
            assertEquals((int) crc.getValue(), b.getInt(at + 4));
            at += len;
        }
        assertEquals(b.capacity(), at);
        assertTrue(at < 256, "the golden file stays small");
    }

    private static int crc(byte[] a, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(a, off, len);
        return (int) c.getValue();
    }
}
