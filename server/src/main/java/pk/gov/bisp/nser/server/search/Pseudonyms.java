package pk.gov.bisp.nser.server.search;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stable pseudonymous household ids for the Basic role: an HMAC-SHA256 of the household id under a secret key,
 * cut to 64 bits. The same household gets the same pseudonym on every request, and without the key a pseudonym
 * cannot be turned back into a household id. One instance per event loop (a {@link Mac} is not thread-safe).
 */
public final class Pseudonyms {

    private final Mac mac;
    private final byte[] in = new byte[8];

    public Pseudonyms(byte[] key) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** One random key for the whole process, for a loopback server with no configured key (the demo). */
    private static final byte[] PROCESS_KEY = new byte[32];

    static {
        new java.security.SecureRandom().nextBytes(PROCESS_KEY);
    }

    /**
     * The configured key's bytes; null (allowed only on loopback, see ServerConfig.checkDemoKeys) gives the process's
     * random key. Never derived from the snapshot, which is not secret.
     */
    public static byte[] key(String configured) {
        return configured != null ? configured.getBytes(StandardCharsets.UTF_8) : PROCESS_KEY.clone();
    }

    public String of(long householdId) {
        for (int i = 0; i < 8; i++) {
            in[i] = (byte) (householdId >>> (56 - 8 * i));
        }
        byte[] h = mac.doFinal(in);
        return "anon-" + HexFormat.of().formatHex(h, 0, 8);
    }
}
