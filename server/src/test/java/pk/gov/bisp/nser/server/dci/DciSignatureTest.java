package pk.gov.bisp.nser.server.dci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

/**
 * Ed25519 signatures (issue 32 point 5), with keys from PEM files: an organisation with a registered public key
 * must sign its requests in the contract's {@code Signature:} form over the digest of header and message (missing,
 * tampered with or expired: 401 {@code err.signature.*}); the registry signs its callbacks with its own key. The
 * signing below is written from the documented form (README), independently of the server's code.
 */
class DciSignatureTest {

    private static CallbackReceiver receiver;
    private static NserServer s;
    private static KeyPair partner;
    private static KeyPair registry;
    private static String origin;
    private static long cnic;

    @BeforeAll
    static void start() throws Exception {
        receiver = CallbackReceiver.start();
        origin = receiver.origin();
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        partner = g.generateKeyPair();
        registry = g.generateKeyPair();
        Path dir = Files.createTempDirectory("nser-dci-keys");
        Path pub = dir.resolve("punjab.pub.pem");
        Path priv = dir.resolve("registry.key.pem");
        Files.writeString(pub, pem("PUBLIC KEY", partner.getPublic().getEncoded()));
        Files.writeString(priv, pem("PRIVATE KEY", registry.getPrivate().getEncoded()));
        String yaml = new String(TestServer.class.getResourceAsStream("/demo.yaml").readAllBytes(),
                StandardCharsets.UTF_8)
                .replace("punjab-social-protection: {callback_origins: [\"http://127.0.0.1:9000\"]}",
                        "punjab-social-protection: {callback_origins: [\"" + origin + "\"], public_key: '" + pub + "'}")
                .replace("  max_page_size: 1000", "  max_page_size: 1000\n  signing_key: '" + priv + "'");
        assertTrue(yaml.contains("public_key") && yaml.contains("signing_key"));
        s = TestServer.start(TestServer.config(yaml));
        cnic = TestServer.headCnics(13, 1, 1).get(0);
    }

    @AfterAll
    static void stop() {
        if (s != null) {
            s.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** The three signed lines: (created), (expires), and the SHA-256 digest of header bytes then message bytes. */
    static byte[] content(long created, long expires, String header, String message) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(header.getBytes(StandardCharsets.UTF_8));
        sha.update(message.getBytes(StandardCharsets.UTF_8));
        return ("(created): " + created + "\n(expires): " + expires + "\ndigest: SHA-256="
                + Base64.getEncoder().encodeToString(sha.digest())).getBytes(StandardCharsets.US_ASCII);
    }

    /** A body {signature, header, message} signed by {@code key}, valid from {@code created} to {@code expires}. */
    static String signed(PrivateKey key, String header, String message, long created, long expires) throws Exception {
        Signature sig = Signature.getInstance("Ed25519");
        sig.initSign(key);
        sig.update(content(created, expires, header, message));
        String text = "Signature: namespace=\"dci\", kidId=\"spmis.test|k1|ed25519\", algorithm=\"ed25519\", "
                + "created=\"" + created + "\", expires=\"" + expires + "\", headers=\"(created) (expires) digest\", "
                + "signature=\"" + Base64.getEncoder().encodeToString(sig.sign()) + "\"";
        return "{\"signature\":" + TestServer.JSON.writeValueAsString(text) + ",\"header\":" + header
                + ",\"message\":" + message + "}";
    }

    private static ObjectNode request() {
        return DciSyncSearchTest.envelope(DciSyncSearchTest.items(DciSyncSearchTest.idItem("r", "UIN",
                Cnic.format(cnic))));
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return TestServer.send(s, "POST", path, body, "Content-Type", "application/json",
                "Authorization", "Bearer demo-power-key");
    }

    private static String code(HttpResponse<String> r) throws Exception {
        DciContract.assertValid(DciContract.HTTP_ERROR, r.body());
        return TestServer.JSON.readTree(r.body()).path("errors").get(0).path("code").asText();
    }

    @Test
    void aSignedRequestShouldBeAnsweredAndAnUnsignedOrTamperedOneRefused() throws Exception {
        ObjectNode req = request();
        String header = req.path("header").toString();
        String message = req.path("message").toString();
        long now = System.currentTimeMillis() / 1_000;
        HttpResponse<String> ok = post("/registry/sync/search", signed(partner.getPrivate(), header, message, now,
                now + 600));
        assertEquals(200, ok.statusCode(), ok.body());
        DciContract.assertValid(DciContract.SYNC_SEARCH, ok.body());
        HttpResponse<String> unsigned = post("/registry/sync/search", req.toString());
        assertEquals(401, unsigned.statusCode());
        assertEquals("err.signature.missing", code(unsigned));
        // the message changed after signing: another CNIC asked for
        String tampered = signed(partner.getPrivate(), header, message, now, now + 600)
                .replace(Cnic.format(cnic), Cnic.format(TestServer.headCnics(14, 1, 1).get(0)));
        HttpResponse<String> bad = post("/registry/sync/search", tampered);
        assertEquals(401, bad.statusCode());
        assertEquals("err.signature.invalid", code(bad));
        HttpResponse<String> expired = post("/registry/sync/search", signed(partner.getPrivate(), header, message,
                now - 7_200, now - 3_600));
        assertEquals("err.signature.invalid", code(expired));
        // signed by another key (the registry's own)
        HttpResponse<String> otherKey = post("/registry/sync/search", signed(registry.getPrivate(), header, message,
                now, now + 600));
        assertEquals("err.signature.invalid", code(otherKey));
        // an organisation without a registered key is not asked for a signature
        HttpResponse<String> standard = TestServer.send(s, "POST", "/registry/sync/search", req.toString(),
                "Authorization", "Bearer demo-basic-key");
        assertEquals(200, standard.statusCode(), standard.body());
    }

    @Test
    void theRegistryShouldSignItsCallbacks() throws Exception {
        ObjectNode req = request();
        ((ObjectNode) req.path("header")).put("sender_uri", origin);
        String header = req.path("header").toString();
        String message = req.path("message").toString();
        long now = System.currentTimeMillis() / 1_000;
        int before = receiver.size();
        HttpResponse<String> ack = post("/registry/search", signed(partner.getPrivate(), header, message, now,
                now + 600));
        assertEquals(202, ack.statusCode(), ack.body());
        String body = receiver.await(before, r -> true)[1];
        DciContract.assertValid(DciContract.ON_SEARCH_REQUEST, body);
        JsonNode cb = TestServer.JSON.readTree(body);
        String sig = cb.path("signature").asText();
        Matcher m = Pattern.compile("created=\"(\\d+)\", expires=\"(\\d+)\".*signature=\"([^\"]+)\"").matcher(sig);
        assertTrue(sig.startsWith("Signature: ") && m.find(), sig);
        // the header and message exactly as they stand in the body are what was signed
        int h = body.indexOf("\"header\":") + "\"header\":".length();
        int msg = body.indexOf(",\"message\":");
        String rawHeader = body.substring(h, msg);
        String rawMessage = body.substring(msg + ",\"message\":".length(), body.length() - 1);
        assertEquals(cb.path("header"), TestServer.JSON.readTree(rawHeader));
        PublicKey key = registry.getPublic();
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(key);
        v.update(content(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), rawHeader, rawMessage));
        assertTrue(v.verify(Base64.getDecoder().decode(m.group(3))), "the callback's signature verifies");
    }
}
