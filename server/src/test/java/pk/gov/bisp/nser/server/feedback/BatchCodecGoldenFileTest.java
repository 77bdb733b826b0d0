package pk.gov.bisp.nser.server.feedback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed purchase batches of format versions 1 and 2 ({@code src/test/resources/golden/feedback/v1} and
 * {@code v2}): encoding the same batch must give the same bytes, and each file must decode to it. Never disable this: a failure means the
 * journal format of purchases changed, which needs a new version and a new golden file. The tests only read them;
 * {@code scripts/regenerate-golden-files.sh} rewrites them with {@link #main}, from the same encoder.
 */
public class BatchCodecGoldenFileTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/feedback/v1/batch.json");
    private static final Path GOLDEN_V2 = Path.of("src/test/resources/golden/feedback/v2/batch.json");
    private static final long T = Instant.parse("2026-11-22T07:35:00Z").toEpochMilli();
    private static final PurchaseBatch BATCH = new PurchaseBatch("8f3a0c1d2e4b5a69",
            Instant.parse("2026-11-22T07:40:12.345Z").toEpochMilli(), "utility-stores", "pos-1", List.of(
                    new Purchase(1234, 3_520_212_345_671L, "usc-subsidy", "USC-LHR-0042", T, List.of(
                            new Purchase.Item("atta", "kg", 20_000, 300_000, 50_000),
                            new Purchase.Item("ghee", "kg", 500, 25_050, 0)), 325_050, 50_000),
                    new Purchase(77, 4_210_112_345_679L, "bisp-kafaalat", "USC-KHI-0007", T + 60_000, List.of(
                            new Purchase.Item("milk", "l", 1_500, 5_025, 525)), 5_025, 525)));

    private static final PurchaseBatch BATCH_V2 = new PurchaseBatch(BATCH.requestId(), BATCH.receivedMillis(),
            BATCH.organisation(), BATCH.user(), BATCH.purchases(), "till-7-000123", "9b1c0a7d5e3f2a14c6b8d0e2f4a6c8e0");

    /** Rewrites both golden batches under the directory {@code args[0]} ({@code golden/feedback}). */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        for (Path golden : new Path[] {GOLDEN, GOLDEN_V2}) {
            Path f = dir.resolve(golden.getParent().getFileName()).resolve(golden.getFileName());
            Files.createDirectories(f.getParent());
            Files.write(f, BatchCodec.encode(golden == GOLDEN ? BATCH : BATCH_V2));
        }
    }

    /** {@code batch} encodes to the bytes of {@code golden} (format {@code version}) and decodes back from them. */
    private static void assertGolden(Path golden, PurchaseBatch batch, int version) throws Exception {
        byte[] written = BatchCodec.encode(batch);
        byte[] bytes = Files.readAllBytes(golden);
        assertArrayEquals(bytes, written, "purchase batch encoding changed; the v" + version
                + " format must not change");
        assertEquals(batch, BatchCodec.decode(bytes, 0, bytes.length));
        assertTrue(new String(bytes, StandardCharsets.UTF_8).startsWith("{\"v\":" + version + ","),
                "the version comes first");
    }

    @Test
    void batchV1ShouldBeEncodedByteForByteAndDecodedBack() throws Exception {
        assertGolden(GOLDEN, BATCH, 1);
    }

    @Test
    void batchV2WithAnIdempotencyKeyShouldBeEncodedByteForByteAndDecodedBack() throws Exception {
        assertGolden(GOLDEN_V2, BATCH_V2, 2);
    }

    @Test
    void anotherVersionOrABrokenRecordIsRefusedNamingWhy() {
        byte[] v3 = "{\"v\":3,\"purchases\":[]}".getBytes(StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> BatchCodec.decode(v3, 0, v3.length));
        assertTrue(e.getMessage().contains("v=3"), e.getMessage());
        byte[] noCnic = new String(BatchCodec.encode(BATCH), StandardCharsets.UTF_8)
                .replace("\"cnic\":\"3520212345671\",", "").getBytes(StandardCharsets.UTF_8);
        e = assertThrows(IOException.class, () -> BatchCodec.decode(noCnic, 0, noCnic.length));
        assertTrue(e.getMessage().contains("cnic"), e.getMessage());
    }

    @Test
    void summariesAddUpTheGoldenBatchPerHouseholdAndOrganisation() {
        Summaries s = new Summaries();
        s.add(BATCH);
        s.add(new PurchaseBatch("x", T, "other-org", "u", List.of(BATCH.purchases().get(1))));
        Tally t = s.of(1234, "utility-stores");
        assertEquals(1, t.purchases);
        assertEquals(325_050, t.amountPaisa);
        assertEquals(50_000, t.subsidyPaisa);
        assertEquals(20_000, t.items.get("atta kg").quantityMilli);
        assertEquals(null, s.of(1234, "other-org"));
        assertEquals(List.of("other-org", "utility-stores"), List.copyOf(s.all(77).keySet()));
        assertEquals(2, s.households());
        t.purchases = 99;
        assertEquals(1, s.of(1234, "utility-stores").purchases, "readers get copies");
    }
}
