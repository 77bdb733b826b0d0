package pk.gov.bisp.nser.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code Idempotency-Key} request header of the writing routes (updates, purchase feedback): a retry with the
 * same key gets the first answer again instead of being applied twice, and the key used with another request
 * is refused. This checks the key and digests the request it came with.
 */
public final class IdempotencyKey {

    public static final String HEADER = "Idempotency-Key";
    /** The header on an answer given again to a retry. */
    public static final String REPLAYED = "Idempotency-Replayed";
    public static final int MAX_LENGTH = 200;

    private IdempotencyKey() {
    }

    /** Whether {@code key} is usable; if not, answers 400 naming the rule. */
    public static boolean valid(RoutingContext ctx, String key) {
        if (key.isEmpty() || key.length() > MAX_LENGTH || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            Problem.badRequest(ctx, "invalid-idempotency-key", "Idempotency-Key must be 1 to " + MAX_LENGTH
                    + " printable ASCII characters without spaces (e.g. a UUID)");
            return false;
        }
        return true;
    }

    /** A digest of method, path and body: what a reused key is compared with. */
    public static String fingerprint(RoutingContext ctx) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((ctx.request().method().name() + " " + ctx.request().path() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            Buffer b = ctx.body().buffer();
            if (b != null) {
                d.update(b.getBytes());
            }
            return HexFormat.of().formatHex(d.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
