package pk.gov.bisp.nser.core.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.core.journal.Journals.appendAndWait;
import static pk.gov.bisp.nser.core.journal.Journals.expected;
import static pk.gov.bisp.nser.core.journal.Journals.readAll;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pk.gov.bisp.nser.core.journal.Journals.Rec;

/** What a crash or a damaged disk leaves, and what opening the journal then reports, keeps and cuts. */
@Timeout(120) // a hang guard, not an assertion on time
class JournalRecoveryTest {

    private static final String FIRST = "journal-0000000000000001.seg";
    /** 5 records of 40 bytes: frames of 58 bytes; the last one starts at 32 + 4 * 58. */
    private static final int LAST_FRAME = 32 + 4 * 58;
    private static final int END = LAST_FRAME + 58;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 8, 17, 18, 30, 57})
    void aFrameCutShortAtTheEndShouldBeTruncatedAndReported(int keep) throws Exception {
        Journals.write(JournalOptions.defaults(tmp), 5, 40);
        Path seg = tmp.resolve(FIRST);
        assertEquals(END, Files.size(seg));
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(LAST_FRAME + keep);
        }
        assertTailCutAndAppendsContinue(keep, 4);
    }

    @Test
    void aBadChecksumInTheLastFrameShouldBeTruncatedAsATornTail() throws Exception {
        Journals.write(JournalOptions.defaults(tmp), 5, 40);
        flip(tmp.resolve(FIRST), LAST_FRAME + 30);
        RecoveryReport r = assertTailCutAndAppendsContinue(58, 4);
        assertTrue(r.tornTail().reason().startsWith("frame checksum="), r.tornTail().reason());
    }

    @Test
    void garbageAfterTheLastFrameShouldBeTruncated() throws Exception {
        Journals.write(JournalOptions.defaults(tmp), 5, 40);
        byte[] garbage = new byte[37];
        Arrays.fill(garbage, (byte) 0xAB);
        Files.write(tmp.resolve(FIRST), garbage, StandardOpenOption.APPEND);
        RecoveryReport r = assertTailCutAndAppendsContinue(37, 5);
        assertTrue(r.toString().contains("torn tail truncated: 37 bytes of " + FIRST + " at offset " + END), r.toString());
    }

    @Test
    void zerosAfterTheLastFrameShouldBeTruncated() throws Exception {
        Journals.write(JournalOptions.defaults(tmp), 5, 40);
        Files.write(tmp.resolve(FIRST), new byte[4096], StandardOpenOption.APPEND);
        assertTailCutAndAppendsContinue(4096, 5);
    }

    /** Opens after damage at the tail: {@code cut} bytes go, {@code kept} records stay, appends follow them. */
    private RecoveryReport assertTailCutAndAppendsContinue(long cut, int kept) throws IOException {
        RecoveryReport r;
        try (Journal j = Journal.open(JournalOptions.defaults(tmp))) {
            r = j.recovery();
            assertEquals(cut, r.truncatedBytes(), r.toString());
            assertEquals(FIRST, r.tornTail().file());
            assertEquals(32 + kept * 58L, r.tornTail().offset());
            assertTrue(r.corrupt().isEmpty());
            assertEquals(kept, r.records());
            assertEquals(kept + 1L, r.nextSequence());
            assertEquals(32 + kept * 58L, Files.size(tmp.resolve(FIRST)));
            assertEquals(kept + 1L, appendAndWait(j, 9, "after the crash"));
        }
        List<Rec> want = new ArrayList<>(expected(1, kept, 40));
        want.add(new Rec(kept + 1L, 9, "after the crash"));
        assertEquals(want, readAll(tmp));
        try (Journal j = Journal.open(JournalOptions.defaults(tmp))) {
            assertTrue(j.recovery().clean(), j.recovery().toString());
        }
        return r;
    }

    @Test
    void corruptionInAnEarlierSegmentShouldBeReportedAndTheRestKept() throws Exception {
        JournalOptions o = JournalOptions.defaults(tmp).withSegmentBytes(4096);
        Journals.write(o, 100, 100); // segments from 1, 35 and 69; frames of 118 bytes
        long damaged = 32 + 17 * 118; // the frame of sequence 18
        flip(tmp.resolve(FIRST), damaged + 60);
        byte[] before = Files.readAllBytes(tmp.resolve(FIRST));
        try (Journal j = Journal.open(o)) {
            RecoveryReport r = j.recovery();
            assertEquals(List.of(new JournalDamage(FIRST, damaged, r.corrupt().get(0).reason(), damaged + 118, 18,
                    18)), r.corrupt());
            assertTrue(r.corrupt().get(0).reason().startsWith("frame checksum="));
            assertEquals(0, r.truncatedBytes());
            assertNull(r.tornTail());
            assertEquals(99, r.records());
            assertEquals(100, r.lastSequence());
            assertEquals("journal-0000000000000069.seg", r.activeSegment());
            assertTrue(r.toString().contains("CORRUPT (kept on disk untouched): " + FIRST + " at offset " + damaged
                    + ": frame checksum="), r.toString());
            assertEquals(101, appendAndWait(j, 9, "after"));
        }
        assertArrayEquals(before, Files.readAllBytes(tmp.resolve(FIRST)), "a damaged segment is never modified");
        List<Rec> want = new ArrayList<>(expected(1, 100, 100));
        want.remove(17);
        want.add(new Rec(101, 9, "after"));
        assertEquals(want, readAll(tmp));
        ReadReport read = JournalReader.read(tmp, (s, k, d, off, len) -> { });
        assertEquals(1, read.damage().size());
        assertEquals(damaged, read.damage().get(0).offset());
        assertEquals(1, read.lostRecords());
    }

    @Test
    void aDamagedHeaderShouldBeReportedAndItsIntactFramesRead() throws Exception {
        JournalOptions o = JournalOptions.defaults(tmp).withSegmentBytes(4096);
        Journals.write(o, 100, 100);
        flip(tmp.resolve("journal-0000000000000035.seg"), 3); // inside the magic
        assertEquals(expected(1, 100, 100), readAll(tmp));
        try (Journal j = Journal.open(o)) {
            JournalDamage d = j.recovery().corrupt().get(0);
            assertEquals("journal-0000000000000035.seg", d.file());
            assertEquals(0, d.offset());
            assertEquals("magic='NSE?JRNL' expected='NSERJRNL'", d.reason()); // 'R' ^ 0x5A is not printable
            assertEquals(32, d.resumedAt());
            assertEquals(0, d.lostRecords());
            assertEquals(100, j.recovery().records());
        }
    }

    @Test
    void aBadFrameFollowedByGoodOnesInTheLastSegmentShouldBeCorruptionNotATornTail() throws Exception {
        Journals.write(JournalOptions.defaults(tmp), 10, 40);
        long damaged = 32 + 2 * 58; // sequence 3
        flip(tmp.resolve(FIRST), damaged + 20);
        byte[] before = Files.readAllBytes(tmp.resolve(FIRST));
        try (Journal j = Journal.open(JournalOptions.defaults(tmp))) {
            RecoveryReport r = j.recovery();
            assertEquals(0, r.truncatedBytes());
            assertEquals(1, r.corrupt().size());
            assertEquals(damaged, r.corrupt().get(0).offset());
            assertEquals(9, r.records());
            assertEquals(11, r.nextSequence(), "sequences past the damage (up to 10) are not reused");
            assertEquals("journal-0000000000000011.seg", r.activeSegment());
            assertEquals(11, appendAndWait(j, 9, "after"));
        }
        assertArrayEquals(before, Files.readAllBytes(tmp.resolve(FIRST)));
        List<Rec> want = new ArrayList<>(expected(1, 10, 40));
        want.remove(2);
        want.add(new Rec(11, 9, "after"));
        assertEquals(want, readAll(tmp));
    }

    @Test
    void aSegmentWhoseHeaderWasNotFullyWrittenShouldGetItsHeaderAgain() throws Exception {
        Journals.write(JournalOptions.defaults(tmp), 5, 40);
        Files.write(tmp.resolve("journal-0000000000000006.seg"), new byte[10]); // a crash right after a roll
        try (Journal j = Journal.open(JournalOptions.defaults(tmp))) {
            RecoveryReport r = j.recovery();
            assertEquals(10, r.truncatedBytes());
            assertEquals(new JournalDamage("journal-0000000000000006.seg", 0,
                    "file is 10 bytes, shorter than its 32-byte header"), r.tornTail());
            assertEquals("journal-0000000000000006.seg", r.activeSegment());
            assertEquals(6, appendAndWait(j, 9, "after"));
        }
        assertEquals(6, readAll(tmp).size());
        assertEquals(32 + 18 + 5, Files.size(tmp.resolve("journal-0000000000000006.seg")));
    }

    private static void flip(Path file, long offset) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[(int) offset] ^= 0x5A;
        Files.write(file, b);
    }
}
