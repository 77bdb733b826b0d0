package pk.gov.bisp.nser.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The pages and their assets over plain HTTP: what a browser is sent, before any browser draws it. */
class PagesHttpTest {

    private static HttpResponse<byte[]> raw(NserServer s, String path, String acceptEncoding) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).GET();
        if (acceptEncoding != null) {
            b.header("Accept-Encoding", acceptEncoding);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void assetsShouldComeFromTheServerGzippedWhenAccepted() throws Exception {
        NserServer s = TestServer.demo();
        HttpResponse<byte[]> font = raw(s, "/assets/noto-nastaliq-urdu.woff2", "gzip");
        assertEquals(200, font.statusCode());
        assertEquals("font/woff2", font.headers().firstValue("Content-Type").orElse(""));
        assertFalse(font.headers().firstValue("Content-Encoding").isPresent(), "woff2 is compressed already");
        assertEquals("wOF2", new String(font.body(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        try (InputStream in = PagesHttpTest.class.getResourceAsStream("/pages/noto-nastaliq-urdu.woff2")) {
            assertArrayEquals(in.readAllBytes(), font.body());
        }
        assertTrue(font.headers().firstValue("Cache-Control").orElse("").contains("max-age=86400"));

        HttpResponse<byte[]> plain = raw(s, "/assets/echarts.min.js", null);
        HttpResponse<byte[]> zipped = raw(s, "/assets/echarts.min.js", "gzip, deflate");
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(""));
        assertTrue(zipped.body().length < plain.body().length / 2, zipped.body().length + " of " + plain.body().length);
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes());
        }
        assertTrue(new String(plain.body(), 0, 2_000, java.nio.charset.StandardCharsets.UTF_8).contains("echarts"));
        for (String a : new String[] {"swagger-ui-bundle.js", "swagger-ui.css", "statistics.js", "docs.js",
            "noto-nastaliq-urdu-OFL.txt"}) {
            assertEquals(200, raw(s, "/assets/" + a, null).statusCode(), a);
        }
        assertTrue(new String(raw(s, "/assets/noto-nastaliq-urdu-OFL.txt", null).body(),
                java.nio.charset.StandardCharsets.UTF_8).contains("SIL Open Font License"));
    }

    @Test
    void anUnknownAssetShouldBeA404ProblemNamingTheAssets() throws Exception {
        NserServer s = TestServer.demo();
        for (String path : new String[] {"/assets/nope.js", "/assets/..%2Fopenapi.yaml", "/assets/",
            "/assets/META-INF/resources/webjars/swagger-ui/5.35.0/index.html"}) {
            var r = TestServer.get(s, path);
            assertEquals(404, r.statusCode(), path);
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), path);
            if (path.equals("/assets/nope.js")) {
                assertTrue(r.body().contains("no-such-asset") && r.body().contains("echarts.min.js"), r.body());
            }
        }
    }

    @Test
    void thePagesShouldAllowOnlyTheirOwnOrigin() throws Exception {
        NserServer s = TestServer.demo();
        for (String path : new String[] {"/statistics", "/statistics?lang=ur", "/docs"}) {
            var r = TestServer.get(s, path);
            assertEquals(200, r.statusCode(), path);
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.startsWith("default-src 'none'; script-src 'self';") && csp.contains("connect-src 'self'"),
                    csp);
            assertFalse(r.body().matches("(?s).*(src|href)=\"https?:.*"), "nothing from another host: " + path);
        }
        var ur = TestServer.get(s, "/statistics?lang=ur&measure=literacy");
        assertTrue(ur.body().contains("<html lang=\"ur\" dir=\"rtl\">") && ur.body().contains("@font-face"));
        assertTrue(ur.body().contains("<option value=\"literacy\" selected>"));
        var home = TestServer.get(s, "/?lang=ur");
        assertTrue(home.body().contains("src:url(/assets/noto-nastaliq-urdu.woff2) format('woff2')"));
        assertTrue(home.headers().firstValue("Content-Security-Policy").orElse("").contains("font-src 'self'"));
        assertFalse(home.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src"),
                "the public page runs no script");
    }

    @Test
    void thePublicPageShouldStaySmall() throws Exception {
        NserServer s = TestServer.demo();
        StringBuilder sizes = new StringBuilder();
        int largest = 0;
        for (String path : new String[] {"/", "/?lang=ur", "/?cnic=99999-9999999-9", "/?lang=ur&cnic=99999-9999999-9",
            "/statistics", "/statistics?lang=ur", "/docs"}) {
            int bytes = raw(s, path, null).body().length;
            sizes.append(path).append(' ').append(bytes).append('\n');
            largest = path.startsWith("/?") || path.equals("/") ? Math.max(largest, bytes) : largest;
        }
        for (String a : new String[] {"noto-nastaliq-urdu.woff2", "echarts.min.js", "statistics.js",
            "swagger-ui-bundle.js", "swagger-ui.css"}) {
            sizes.append(a).append(' ').append(raw(s, "/assets/" + a, null).body().length).append(" (gzip ")
                    .append(raw(s, "/assets/" + a, "gzip").body().length).append(")\n");
        }
        System.out.print(sizes);
        // README "Pages": the HTML of the public page stays under 8 KiB, whatever the answer and language
        assertTrue(largest < 8_192, sizes.toString());
        assertEquals(100_336, raw(s, "/assets/noto-nastaliq-urdu.woff2", null).body().length, "the subset's size as "
                + "stated in pages/README.md and README.md");
    }
}
