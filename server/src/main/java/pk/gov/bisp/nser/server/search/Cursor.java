package pk.gov.bisp.nser.server.search;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * The opaque paging token: the last ordinal of the page just sent, bound to the query (its fingerprint) and
 * to the snapshot (a tag of its manifest), so a cursor is never applied to another query or to a snapshot whose
 * ordinals differ. Decoding a foreign or damaged token fails; forging one only moves within the same query.
 */
final class Cursor {

    private static final byte VERSION = 1;
    private static final int BYTES = 13;

    private Cursor() {
    }

    static String encode(int lastOrdinal, int queryFingerprint, int snapshotTag) {
        ByteBuffer b = ByteBuffer.allocate(BYTES).put(VERSION).putInt(lastOrdinal).putInt(queryFingerprint)
                .putInt(snapshotTag);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** The last ordinal the cursor stands for; throws with the reason when it is not for this query. */
    static int decode(String token, int queryFingerprint, int snapshotTag) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != BYTES || raw[0] != VERSION) {
            throw new IllegalArgumentException("cursor is not a token this server issued");
        }
        ByteBuffer b = ByteBuffer.wrap(raw, 1, BYTES - 1);
        int ordinal = b.getInt();
        if (b.getInt() != queryFingerprint) {
            throw new IllegalArgumentException("cursor belongs to another query: send the same filters as the page "
                    + "that returned it");
        }
        if (b.getInt() != snapshotTag) {
            throw new IllegalArgumentException("cursor belongs to an earlier snapshot of the registry: start again "
                    + "without a cursor");
        }
        if (ordinal < 0) {
            throw new IllegalArgumentException("cursor is not a token this server issued");
        }
        return ordinal;
    }
}
