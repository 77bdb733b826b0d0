package pk.gov.bisp.nser.server.caller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/** API keys are stored and compared only as SHA-256 hex digests. */
public final class ApiKeys {

    /** The demo keys of config/demo.yaml: refused unless the server listens on loopback only. */
    public static final Set<String> DEMO_KEYS = Set.of("demo-power-key", "demo-standard-key", "demo-basic-key",
            "demo-pos-key", "demo-admin-key", "demo-partner-key");

    private ApiKeys() {
    }

    public static String sha256(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    public static boolean isDemoHash(String sha256) {
        for (String k : DEMO_KEYS) {
            if (sha256(k).equals(sha256)) {
                return true;
            }
        }
        return false;
    }
}
