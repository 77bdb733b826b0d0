package pk.gov.bisp.nser.server.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.roaringbitmap.BatchIterator;
import org.roaringbitmap.ImmutableBitmapDataProvider;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmapWriter;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;
import org.roaringbitmap.buffer.MutableRoaringBitmap;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.HouseholdIdIndex;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.snapshot.SnapshotFiles;

/**
 * The record keys of the cell-key method ({@link CellKeyPerturbation}): one fixed pseudo-random number 0..255
 * per household, the low byte of SipHash-2-4 of its household id under a 128-bit key taken from SHA-256 of the
 * secret ({@code search.cell_key_secret}; unset, the snapshot's manifest, which changes with every snapshot).
 * Keyed by the household id, not the ordinal, so a household keeps its key in every snapshot built under the same
 * secret. One byte per household, computed once per snapshot from {@code household-ids.bin} (36 MB and about a
 * second for 35.6M households), and the same bits as eight bitmaps (bit b of every key: about 36 MB more
 * nationally), so that the key sum of a large set is {@code Σ 2^b·|set ∧ bit_b|} instead of a pass over its
 * households; a household added by a live update gets its key from its record when first asked. Thread-safe.
 */
final class RecordKeys {

    private static final Map<Snapshot, RecordKeys> CACHE = new WeakHashMap<>();
    /** Bits of a record key (0..255). */
    private static final int KEY_BITS = 8;
    /** From this many households on, a key sum is taken from the key bitmaps rather than a pass over the set. */
    static final int BITMAP_SUM_FROM = 65_536;

    /** The configured secret, or null. */
    private final String secret;
    private final long k0;
    private final long k1;
    private final byte[] fileKeys;
    /** Bitmap b holds the file households whose key has bit b set. */
    private final ImmutableRoaringBitmap[] keyBits = new ImmutableRoaringBitmap[KEY_BITS];
    private final Map<Integer, Integer> added = new ConcurrentHashMap<>();

    private RecordKeys(String secret, byte[] digest, HouseholdIdIndex ids) {
        this.secret = secret;
        this.k0 = littleEndian(digest, 0);
        this.k1 = littleEndian(digest, 8);
        this.fileKeys = new byte[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            fileKeys[ids.ordinalAt(i)] = (byte) keyOfId(ids.idAt(i));
        }
        List<RoaringBitmapWriter<MutableRoaringBitmap>> bits = new ArrayList<>(KEY_BITS);
        for (int b = 0; b < KEY_BITS; b++) {
            bits.add(RoaringBitmapWriter.bufferWriter().get());
        }
        for (int o = 0; o < fileKeys.length; o++) { // one pass: each household to the bitmap of each bit it has
            for (int k = fileKeys[o] & 0xFF; k != 0; k &= k - 1) {
                bits.get(Integer.numberOfTrailingZeros(k)).add(o);
            }
        }
        for (int b = 0; b < KEY_BITS; b++) {
            keyBits[b] = bits.get(b).get();
        }
    }

    /**
     * The keys of {@code snapshot}'s households under {@code secret} (null: from the manifest as the snapshot was
     * opened); made once per snapshot and secret.
     */
    static RecordKeys of(Snapshot snapshot, String secret) {
        synchronized (CACHE) {
            RecordKeys k = CACHE.get(snapshot);
            if (k == null || !Objects.equals(k.secret, secret)) {
                String from = secret != null ? secret : "manifest:" + manifest(snapshot);
                byte[] digest = sha256("nser-cell-key\n" + from);
                k = new RecordKeys(secret, digest, snapshot.householdIds());
                CACHE.put(snapshot, k);
            }
            return k;
        }
    }

    /** The record key of household id {@code id}: 0..255. */
    int keyOfId(long id) {
        return (int) (sipHash24(k0, k1, id) & (CellKeyPerturbation.KEY_RANGE - 1));
    }

    /** The record key of the household at {@code ordinal} of {@code snapshot}. */
    int key(Snapshot snapshot, int ordinal) {
        if (ordinal < fileKeys.length) {
            return fileKeys[ordinal] & 0xFF;
        }
        return added.computeIfAbsent(ordinal, o -> {
            HouseholdRecord r = new HouseholdRecord();
            if (!snapshot.read(o, r)) {
                throw new IllegalStateException("household ordinal " + o + " is indexed but has no record");
            }
            return keyOfId(r.householdId());
        });
    }

    /**
     * The sum of the record keys of {@code ordinals} (a cell key before the mod, wrapped to an int): a set of
     * {@link #BITMAP_SUM_FROM} or more as {@code Σ 2^b·|set ∧ bit_b|} (the households a live update added read one
     * by one), a smaller one read in batches, about 2 ns a household.
     */
    int sum(Snapshot snapshot, ImmutableBitmapDataProvider ordinals) {
        if (ordinals instanceof ImmutableRoaringBitmap b && b.getCardinality() >= BITMAP_SUM_FROM) {
            return bitmapSum(snapshot, b);
        }
        return batchSum(snapshot, ordinals);
    }

    /** {@link #sum} from the key bitmaps. */
    int bitmapSum(Snapshot snapshot, ImmutableRoaringBitmap ordinals) {
        long sum = 0;
        for (int b = 0; b < KEY_BITS; b++) {
            sum += (long) ImmutableRoaringBitmap.andCardinality(ordinals, keyBits[b]) << b;
        }
        if (!ordinals.isEmpty() && ordinals.last() >= fileKeys.length) {
            PeekableIntIterator it = ordinals.getIntIterator();
            it.advanceIfNeeded(fileKeys.length);
            while (it.hasNext()) {
                sum += key(snapshot, it.next());
            }
        }
        return (int) sum;
    }

    /** {@link #sum} by a pass over the households. */
    int batchSum(Snapshot snapshot, ImmutableBitmapDataProvider ordinals) {
        int sum = 0;
        int[] batch = new int[256];
        BatchIterator it = ordinals.getBatchIterator();
        while (it.hasNext()) {
            int n = it.nextBatch(batch);
            for (int i = 0; i < n; i++) {
                int o = batch[i];
                sum += o < fileKeys.length ? fileKeys[o] & 0xFF : key(snapshot, o);
            }
        }
        return sum;
    }

    /** SipHash-2-4 of one 8-byte little-endian message. */
    static long sipHash24(long k0, long k1, long m) {
        long[] v = {0x736f6d6570736575L ^ k0, 0x646f72616e646f6dL ^ k1, 0x6c7967656e657261L ^ k0,
                0x7465646279746573L ^ k1};
        v[3] ^= m;
        rounds(v, 2);
        v[0] ^= m;
        long last = 8L << 56;
        v[3] ^= last;
        rounds(v, 2);
        v[0] ^= last;
        v[2] ^= 0xff;
        rounds(v, 4);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void rounds(long[] v, int n) {
        for (int i = 0; i < n; i++) {
            v[0] += v[1];
            v[1] = Long.rotateLeft(v[1], 13) ^ v[0];
            v[0] = Long.rotateLeft(v[0], 32);
            v[2] += v[3];
            v[3] = Long.rotateLeft(v[3], 16) ^ v[2];
            v[0] += v[3];
            v[3] = Long.rotateLeft(v[3], 21) ^ v[0];
            v[2] += v[1];
            v[1] = Long.rotateLeft(v[1], 17) ^ v[2];
            v[2] = Long.rotateLeft(v[2], 32);
        }
    }

    private static long littleEndian(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }

    private static String manifest(Snapshot snapshot) {
        try {
            byte[] m = Files.readAllBytes(snapshot.dir().resolve(SnapshotFiles.MANIFEST));
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(m));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
