package pk.gov.bisp.nser.server.search;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opaque paging token: the last ordinal of the page just sent, bound to the query (its fingerprint), the
 * caller's role and the snapshot (a tag of its manifest), encrypted and authenticated with AES-256-GCM under the
 * server's cursor key. Nobody without the key can read the ordinal out of a cursor (a Basic caller paging one row at
 * a time would otherwise read each anonymised row's position, and with it the household), nor forge or alter one:
 * a tampered, foreign or truncated token fails authentication, and one made for another query, role or snapshot is
 * refused with the reason.
 *
 * <pre>
 * token = base64url( iv[12] | AES-GCM( version[1] ordinal[4] fingerprint[4] snapshotTag[4] role[1] ) | tag[16] )
 * </pre>
 *
 * One instance per event loop ({@link Cipher} is not thread-safe); every instance of a server shares the key.
 */
final class Cursor {

    private static final byte VERSION = 2;
    private static final int PLAIN = 14;
    private static final int IV = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] AAD = "nser-cursor".getBytes(StandardCharsets.US_ASCII);
    private static final String NOT_OURS = "cursor is not a token this server issued (or it was altered)";

    /** One random key for the whole process, when none is configured: cursors then end at a restart. */
    private static final byte[] PROCESS_KEY = new byte[32];

    static {
        new SecureRandom().nextBytes(PROCESS_KEY);
    }

    private final SecretKey key;
    private final Cipher cipher;
    private final SecureRandom random = new SecureRandom();

    /** @param key 32 bytes (AES-256) */
    Cursor(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a cursor key is 32 bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is unavailable", e);
        }
    }

    /** The AES-256 key of a configured secret (its SHA-256), or the process's random key for null. */
    static byte[] key(String configured) {
        if (configured == null) {
            return PROCESS_KEY.clone();
        }
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(configured.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    String encode(int lastOrdinal, int queryFingerprint, int snapshotTag, int role) {
        byte[] iv = new byte[IV];
        random.nextBytes(iv);
        ByteBuffer plain = ByteBuffer.allocate(PLAIN).put(VERSION).putInt(lastOrdinal).putInt(queryFingerprint)
                .putInt(snapshotTag).put((byte) role);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(AAD);
            byte[] sealed = cipher.doFinal(plain.array());
            byte[] token = new byte[IV + sealed.length];
            System.arraycopy(iv, 0, token, 0, IV);
            System.arraycopy(sealed, 0, token, IV, sealed.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a cursor could not be sealed", e);
        }
    }

    /** The last ordinal the cursor stands for; throws with the reason when it is not for this query and caller. */
    int decode(String token, int queryFingerprint, int snapshotTag, int role) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != IV + PLAIN + TAG_BITS / 8) {
            throw new IllegalArgumentException(NOT_OURS);
        }
        byte[] plain;
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, IV));
            cipher.updateAAD(AAD);
            plain = cipher.doFinal(raw, IV, raw.length - IV);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException(NOT_OURS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a cursor could not be opened", e);
        }
        ByteBuffer b = ByteBuffer.wrap(plain);
        if (b.get() != VERSION) {
            throw new IllegalArgumentException(NOT_OURS);
        }
        int ordinal = b.getInt();
        if (b.getInt() != queryFingerprint) {
            throw new IllegalArgumentException("cursor belongs to another query: send the same filters as the page "
                    + "that returned it");
        }
        if (b.getInt() != snapshotTag) {
            throw new IllegalArgumentException("cursor belongs to an earlier snapshot of the registry: start again "
                    + "without a cursor");
        }
        if (b.get() != (byte) role) {
            throw new IllegalArgumentException("cursor was issued to another role: page with the key that started");
        }
        if (ordinal < 0) {
            throw new IllegalArgumentException(NOT_OURS);
        }
        return ordinal;
    }
}
