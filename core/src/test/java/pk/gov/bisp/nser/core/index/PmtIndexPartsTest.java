package pk.gov.bisp.nser.core.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A range index built in parts and joined is, byte for byte, the one a single appender builds. */
class PmtIndexPartsTest {

    @TempDir
    Path tmp;

    @Test
    void partsJoinedShouldEqualOneAppenderByteForByte() throws Exception {
        for (int n : new int[] {0, 1, 70_000, PmtIndex.PART_ROWS, 2 * PmtIndex.PART_ROWS + 12_345}) {
            char[] scores = scores(n);
            Path one = tmp.resolve("one-" + n);
            PmtIndex.Writer w = new PmtIndex.Writer();
            for (int k = 0; k < n; k++) {
                w.add(scores[k]);
            }
            w.write(one);
            List<ByteBuffer> parts = new ArrayList<>();
            for (int lo = 0; lo < n || parts.isEmpty(); lo += PmtIndex.PART_ROWS) {
                parts.add(PmtIndex.part(scores, lo, Math.min(n, lo + PmtIndex.PART_ROWS)));
            }
            Path joined = tmp.resolve("joined-" + n);
            PmtIndex.write(joined, parts);
            assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(joined), "n=" + n);
            PmtIndex index = PmtIndex.open(joined);
            assertEquals(n, index.universe());
            long under = 0;
            for (int k = 0; k < n; k++) {
                under += scores[k] <= 3_199 ? 1 : 0;
            }
            assertEquals(under, index.range().lteCardinality(3_199), "n=" + n);
        }
    }

    /** Random scores, with long runs of one value and stretches of extremes, so every container kind occurs. */
    private static char[] scores(int n) {
        SplittableRandom r = new SplittableRandom(n);
        char[] s = new char[n];
        for (int k = 0; k < n; k++) {
            int stretch = (k >>> 14) % 4;
            s[k] = (char) switch (stretch) {
                case 0 -> r.nextInt(PmtIndex.MAX_VALUE + 1);
                case 1 -> 2_850;
                case 2 -> r.nextBoolean() ? 0 : PmtIndex.MAX_VALUE;
                default -> 3_000 + r.nextInt(400);
            };
        }
        return s;
    }
}
