package pk.gov.bisp.nser.server.dci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contract's message signature ({@code MsgSignature}), with Ed25519 (in the JDK):
 *
 * <pre>
 * Signature: namespace="dci", kidId="{sender_id}|{key id}|ed25519", algorithm="ed25519", created="{unix s}",
 *   expires="{unix s}", headers="(created) (expires) digest", signature="{Base64 of the Ed25519 signature}"
 * </pre>
 *
 * The signed content is three lines, as the headers list names them:
 *
 * <pre>
 * (created): {created}
 * (expires): {expires}
 * digest: SHA-256={Base64 of SHA-256 over the header's JSON bytes followed by the message's JSON bytes}
 * </pre>
 *
 * The header and message bytes are the values exactly as they stand in the body sent (no re-serialisation), so a
 * signer signs what it writes. A request is valid between {@code created} (allowing {@link #SKEW_SECONDS} of clock
 * skew) and {@code expires}. Keys are PEM files: an X.509 {@code PUBLIC KEY}, a PKCS#8 {@code PRIVATE KEY}.
 */
public final class Signatures {

    static final long SKEW_SECONDS = 300;
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern PARAM = Pattern.compile("([a-zA-Z]+)=\"([^\"]*)\"");

    private Signatures() {
    }

    /** An Ed25519 public key from a PEM file ({@code -----BEGIN PUBLIC KEY-----}). */
    public static PublicKey publicKey(Path pem) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(pem + " is not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** An Ed25519 private key from a PEM file ({@code -----BEGIN PRIVATE KEY-----}, PKCS#8). */
    public static PrivateKey privateKey(Path pem) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(pem + " is not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    private static byte[] der(Path pem, String type) {
        String text;
        try {
            text = Files.readString(pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int from = text.indexOf("-----BEGIN " + type + "-----");
        int to = text.indexOf("-----END " + type + "-----");
        if (from < 0 || to < from) {
            throw new IllegalArgumentException(pem + " holds no PEM " + type);
        }
        String b64 = text.substring(from + ("-----BEGIN " + type + "-----").length(), to).replaceAll("\\s", "");
        return Base64.getDecoder().decode(b64);
    }

    /** The raw bytes of the body's {@code header} and {@code message} values, and its {@code signature} text. */
    record Parts(byte[] header, byte[] message, String signature) {
    }

    /** The parts of {@code body} (a JSON object), or null when it has no header or message. */
    static Parts parts(byte[] body) {
        byte[] header = null;
        byte[] message = null;
        String signature = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                int start = (int) p.currentTokenLocation().getByteOffset();
                if (t.isStructStart()) {
                    p.skipChildren();
                }
                int end = (int) p.currentLocation().getByteOffset();
                switch (name) {
                    case "header" -> header = Arrays.copyOfRange(body, start, end);
                    case "message" -> message = Arrays.copyOfRange(body, start, end);
                    case "signature" -> signature = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    default -> {
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return header == null || message == null ? null : new Parts(header, message, signature);
    }

    /** The content signed: the three lines of the {@code headers} list. */
    static byte[] signingContent(long created, long expires, byte[] header, byte[] message) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(header);
            sha.update(message);
            String digest = "SHA-256=" + Base64.getEncoder().encodeToString(sha.digest());
            return ("(created): " + created + "\n(expires): " + expires + "\ndigest: " + digest)
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code Signature:} text for {@code header} and {@code message}, valid from now for {@code ttlSeconds}. */
    static String sign(PrivateKey key, String kid, byte[] header, byte[] message, long nowSeconds, long ttlSeconds) {
        long expires = nowSeconds + ttlSeconds;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(signingContent(nowSeconds, expires, header, message));
            return "Signature: namespace=\"dci\", kidId=\"" + kid + "|ed25519\", algorithm=\"ed25519\", created=\""
                    + nowSeconds + "\", expires=\"" + expires + "\", headers=\"(created) (expires) digest\", signature=\""
                    + Base64.getEncoder().encodeToString(s.sign()) + "\"";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why {@code parts}' signature does not verify under {@code key} at {@code nowSeconds}, or null when it does. */
    static String problem(PublicKey key, Parts parts, long nowSeconds) {
        String text = parts.signature();
        if (text == null || text.isBlank()) {
            return "missing";
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(text);
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        if (!text.stripLeading().startsWith("Signature:") || !"ed25519".equalsIgnoreCase(params.get("algorithm"))
                || !"(created) (expires) digest".equals(params.get("headers"))) {
            return "not the contract's form: Signature: ... algorithm=\"ed25519\", created, expires, "
                    + "headers=\"(created) (expires) digest\", signature";
        }
        long created;
        long expires;
        byte[] sig;
        try {
            created = Long.parseLong(params.getOrDefault("created", ""));
            expires = Long.parseLong(params.getOrDefault("expires", ""));
            sig = Base64.getDecoder().decode(params.getOrDefault("signature", ""));
        } catch (IllegalArgumentException e) {
            return "created and expires must be Unix times in seconds, and signature Base64";
        }
        if (created > nowSeconds + SKEW_SECONDS || expires < nowSeconds) {
            return "outside its validity (created " + created + ", expires " + expires + ", now " + nowSeconds + ")";
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(signingContent(created, expires, parts.header(), parts.message()));
            return s.verify(sig) ? null : "does not verify with the organisation's registered key";
        } catch (GeneralSecurityException e) {
            return "does not verify with the organisation's registered key";
        }
    }

    /** What signs the registry's callbacks with the private key in {@code pem}, naming it {@code kid}. */
    public static java.util.function.UnaryOperator<byte[]> signer(Path pem, String kid) {
        PrivateKey key = privateKey(pem);
        return body -> signBody(key, kid, body);
    }

    /**
     * Signs a callback body ({@code {"header": .., "message": ..}}): the same body with the signature first, the
     * header and message bytes unchanged (so what is signed is what is sent).
     */
    static byte[] signBody(PrivateKey key, String kid, byte[] body) {
        Parts parts = parts(body);
        if (parts == null) {
            return body;
        }
        String sig = sign(key, kid, parts.header(), parts.message(), System.currentTimeMillis() / 1_000, 3_600);
        StringBuilder b = new StringBuilder(body.length + 256);
        b.append("{\"signature\":\"").append(sig.replace("\\", "\\\\").replace("\"", "\\\"")).append("\",\"header\":");
        byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
        byte[] mid = ",\"message\":".getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + parts.header().length + mid.length + parts.message().length + 1];
        int at = 0;
        System.arraycopy(head, 0, out, at, head.length);
        at += head.length;
        System.arraycopy(parts.header(), 0, out, at, parts.header().length);
        at += parts.header().length;
        System.arraycopy(mid, 0, out, at, mid.length);
        at += mid.length;
        System.arraycopy(parts.message(), 0, out, at, parts.message().length);
        at += parts.message().length;
        out[at] = '}';
        return out;
    }
}
