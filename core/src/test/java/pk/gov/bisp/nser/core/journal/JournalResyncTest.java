package pk.gov.bisp.nser.core.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.core.journal.Journals.appendAndWait;
import static pk.gov.bisp.nser.core.journal.Journals.expected;
import static pk.gov.bisp.nser.core.journal.Journals.readAll;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pk.gov.bisp.nser.core.journal.Journals.Rec;

/**
 * Damage in the middle of a segment loses only the damaged frames: reading resynchronises on the next valid frame
 * that continues the sequence, keeps everything after it, and reports exactly which sequences were lost.
 */
@Timeout(120) // a hang guard, not an assertion on time
class JournalResyncTest {

    /** 100 records of 100 bytes in 4096-byte segments: frames of 118 bytes, 34 a segment, from 1, 35 and 69. */
    private static final int FRAME = 118;
    private static final String SEG35 = "journal-0000000000000035.seg";

    @TempDir
    Path tmp;

    private JournalOptions options() {
        return JournalOptions.defaults(tmp).withSegmentBytes(4096);
    }

    /** Where the frame of {@code sequence} starts in its segment (which starts at {@code first}). */
    private static long frame(long first, long sequence) {
        return 32 + (sequence - first) * FRAME;
    }

    /** Every record 1..100 but those in {@code lost}. */
    private static List<Rec> allBut(long... lost) {
        List<Rec> want = new ArrayList<>(expected(1, 100, 100));
        for (int i = lost.length - 1; i >= 0; i--) {
            want.remove((int) lost[i] - 1);
        }
        return want;
    }

    /** What a visitor is told, in order: "r SEQ" per record, "lost FIRST..LAST" per loss. */
    private List<String> events(long from) throws IOException {
        List<String> out = new ArrayList<>();
        JournalReader.read(tmp, from, new RecordVisitor() {
            @Override
            public void record(long sequence, int kind, byte[] data, int offset, int length) {
                out.add("r " + sequence);
            }

            @Override
            public void lost(JournalDamage d) {
                out.add("lost " + d.firstLost() + ".." + d.lastLost());
            }
        });
        return out;
    }

    @Test
    void oneFlippedByteInTheMiddleOfASegmentShouldLoseOnlyItsFrame() throws Exception {
        Journals.write(options(), 100, 100);
        long damaged = frame(35, 51);
        flip(tmp.resolve(SEG35), damaged + 59);
        byte[] before = Files.readAllBytes(tmp.resolve(SEG35));

        assertEquals(allBut(51), readAll(tmp));
        ReadReport read = JournalReader.read(tmp, (s, k, d, off, len) -> { });
        assertEquals(99, read.records());
        assertEquals(100, read.lastSequence());
        assertEquals(1, read.lostRecords());
        JournalDamage d = read.damage().get(0);
        assertEquals(List.of(new JournalDamage(SEG35, damaged, d.reason(), damaged + FRAME, 51, 51)), read.damage());
        assertTrue(d.reason().startsWith("frame checksum="), d.reason());
        assertEquals(SEG35 + " at offset " + damaged + ": " + d.reason() + "; lost sequence 51 (1 record); read on"
                + " from offset " + (damaged + FRAME), d.toString());
        List<String> events = events(0);
        assertEquals(List.of("r 50", "lost 51..51", "r 52"), events.subList(49, 52), "told in sequence order");
        assertEquals(100, events.size());
        assertEquals(List.of("lost 51..51", "r 52"), events(51).subList(0, 2));

        try (Journal j = Journal.open(options())) {
            RecoveryReport r = j.recovery();
            assertEquals(read.damage(), r.corrupt());
            assertEquals(99, r.records());
            assertEquals(1, r.lostRecords());
            assertEquals(0, r.lostRecords(50));
            assertEquals(1, r.lostRecords(51));
            assertNull(r.tornTail());
            assertEquals("journal-0000000000000069.seg", r.activeSegment(), "the newest segment is clean");
            assertTrue(r.toString().contains("CORRUPT (kept on disk untouched): " + d), r.toString());
            r.requireNothingLost("update", 51); // in a checkpoint: not lost
            IOException e = assertThrows(IOException.class, () -> r.requireNothingLost("update", 50));
            assertEquals("the update journal " + r.dir() + " lost 1 acknowledged record to damage: " + d + ". Restore the"
                    + " damaged segment from a backup (the records after the damage are intact); until then the"
                    + " server does not start", e.getMessage());
            assertEquals(101, appendAndWait(j, 9, "after"));
        }
        assertArrayEquals(before, Files.readAllBytes(tmp.resolve(SEG35)), "a damaged segment is never modified");
    }

    @Test
    void twoDamagedRegionsShouldEachLoseOnlyTheirFrames() throws Exception {
        Journals.write(options(), 100, 100);
        flip(tmp.resolve(SEG35), frame(35, 40) + 100);
        flip(tmp.resolve(SEG35), frame(35, 45) + 30); // two frames side by side
        flip(tmp.resolve(SEG35), frame(35, 46) + 5); // its checksum
        assertEquals(allBut(40, 45, 46), readAll(tmp));
        ReadReport read = JournalReader.read(tmp, (s, k, d, off, len) -> { });
        assertEquals(List.of(40L, 45L), read.damage().stream().map(JournalDamage::firstLost).toList());
        assertEquals(List.of(40L, 46L), read.damage().stream().map(JournalDamage::lastLost).toList());
        assertEquals(List.of(frame(35, 40), frame(35, 45)), read.damage().stream().map(JournalDamage::offset).toList());
        assertEquals(List.of(frame(35, 41), frame(35, 47)),
                read.damage().stream().map(JournalDamage::resumedAt).toList());
        assertEquals(3, read.lostRecords());
        assertEquals(List.of("r 39", "lost 40..40", "r 41", "r 44", "lost 45..46", "r 47"),
                events(0).stream().filter(e -> e.matches("r (39|41|44|47)|lost.*")).toList());
        try (Journal j = Journal.open(options())) {
            assertEquals(97, j.recovery().records());
            assertEquals(3, j.recovery().lostRecords());
            assertEquals(101, j.recovery().nextSequence());
        }
    }

    @ParameterizedTest // too short, one byte short, one frame too long, to the end of the file, negative, 16 MiB
    @ValueSource(ints = {0, 17, FRAME - 1, 2 * FRAME, 4096, -1, 16 << 20})
    void aDamagedLengthFieldShouldLoseOnlyItsFrame(int length) throws Exception {
        Journals.write(options(), 100, 100);
        long damaged = frame(35, 52);
        byte[] b = Files.readAllBytes(tmp.resolve(SEG35));
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt((int) damaged, length);
        Files.write(tmp.resolve(SEG35), b);
        assertEquals(allBut(52), readAll(tmp));
        ReadReport read = JournalReader.read(tmp, (s, k, d, off, len) -> { });
        JournalDamage d = read.damage().get(0);
        assertEquals(List.of(new JournalDamage(SEG35, damaged, d.reason(), damaged + FRAME, 52, 52)), read.damage());
    }

    @Test
    void damageInTheLastSegmentWithValidFramesAfterItShouldNotBeTruncatedNorReuseASequence() throws Exception {
        JournalOptions o = JournalOptions.defaults(tmp);
        Journals.write(o, 10, 40); // frames of 58 bytes
        String first = "journal-0000000000000001.seg";
        long damaged = 32 + 6 * 58; // sequence 7
        flip(tmp.resolve(first), damaged + 20);
        byte[] before = Files.readAllBytes(tmp.resolve(first));
        try (Journal j = Journal.open(o)) {
            RecoveryReport r = j.recovery();
            assertEquals(0, r.truncatedBytes());
            assertNull(r.tornTail());
            assertEquals(List.of(new JournalDamage(first, damaged, r.corrupt().get(0).reason(), damaged + 58, 7, 7)),
                    r.corrupt());
            assertEquals(9, r.records());
            assertEquals(10, r.lastSequence());
            assertEquals(11, r.nextSequence());
            assertEquals("journal-0000000000000011.seg", r.activeSegment());
            assertEquals(11, appendAndWait(j, 9, "after"));
        }
        assertArrayEquals(before, Files.readAllBytes(tmp.resolve(first)));
        List<Rec> want = new ArrayList<>(expected(1, 10, 40));
        want.remove(6);
        want.add(new Rec(11, 9, "after"));
        assertEquals(want, readAll(tmp));
        try (Journal j = Journal.open(o)) { // the same report at every open, and still no sequence twice
            assertEquals(1, j.recovery().lostRecords());
            assertEquals(12, appendAndWait(j, 9, "again"));
        }
    }

    @Test
    void damageAtTheEndOfAnEarlierSegmentShouldLoseUpToTheNextSegment() throws Exception {
        Journals.write(options(), 100, 100);
        long damaged = frame(35, 68); // the last frame of the segment
        flip(tmp.resolve(SEG35), damaged + 70);
        assertEquals(allBut(68), readAll(tmp));
        ReadReport read = JournalReader.read(tmp, (s, k, d, off, len) -> { });
        JournalDamage d = read.damage().get(0);
        assertEquals(List.of(new JournalDamage(SEG35, damaged, d.reason(), -1, 68, 68)), read.damage());
        assertEquals(List.of("r 67", "lost 68..68", "r 69"), events(0).subList(66, 69));
        try (Journal j = Journal.open(options())) {
            assertEquals(read.damage(), j.recovery().corrupt());
        }
    }

    @Test
    void aDamagedHeaderShouldBeReadPastAndASegmentOfZerosLoseAllItsSequences() throws Exception {
        Journals.write(options(), 100, 100);
        flip(tmp.resolve(SEG35), 3); // inside the magic: the frames after it are intact
        assertEquals(allBut(), readAll(tmp));
        ReadReport read = JournalReader.read(tmp, (s, k, d, off, len) -> { });
        assertEquals(List.of(new JournalDamage(SEG35, 0, "magic='NSE?JRNL' expected='NSERJRNL'", 32, 35, 34)),
                read.damage());
        assertEquals(0, read.lostRecords());

        flip(tmp.resolve(SEG35), 3); // the header again, and zeros for every frame: nothing to read on from
        byte[] b = Files.readAllBytes(tmp.resolve(SEG35));
        java.util.Arrays.fill(b, 32, b.length, (byte) 0);
        Files.write(tmp.resolve(SEG35), b);
        List<Rec> want = new ArrayList<>(expected(1, 100, 100));
        want.subList(34, 68).clear();
        assertEquals(want, readAll(tmp));
        read = JournalReader.read(tmp, (s, k, d, off, len) -> { });
        assertEquals(List.of(new JournalDamage(SEG35, 32, "frame length=0 outside 18..16777216", -1, 35, 68)),
                read.damage());
        assertEquals(34, read.lostRecords());
        assertEquals(List.of("r 34", "lost 35..68", "r 69"), events(0).subList(33, 36));
    }

    private static void flip(Path file, long offset) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[(int) offset] ^= 0x5A;
        Files.write(file, b);
    }
}
