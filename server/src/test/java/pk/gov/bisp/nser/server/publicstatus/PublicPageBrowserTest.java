package pk.gov.bisp.nser.server.publicstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

/**
 * The public page as headless Chromium renders it (Debian's chromium, installed by .ci/run). Locally, without
 * Chromium, the test is skipped; CI sets NSER_REQUIRE_CHROMIUM=1, which turns a missing browser into a failure.
 */
class PublicPageBrowserTest {

    private static final String CONFIG = TestServer.minimal(1, 4, "");

    private static Path chromium;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findBrowser() {
        String env = System.getenv("NSER_CHROMIUM");
        for (String c : new String[] {env, "/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (c != null && Files.isExecutable(Path.of(c))) {
                chromium = Path.of(c);
                return;
            }
        }
        if ("1".equals(System.getenv("NSER_REQUIRE_CHROMIUM"))) {
            throw new AssertionError("headless Chromium is required (NSER_REQUIRE_CHROMIUM=1) but not installed");
        }
        Assumptions.abort("Chromium is not installed; .ci/run installs it");
    }

    private String render(NserServer s, String path, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + tmp.resolve("profile-" + System.nanoTime())));
        cmd.addAll(List.of(extra));
        cmd.add("http://127.0.0.1:" + s.port() + path);
        Path dom = tmp.resolve("dom-" + System.nanoTime() + ".html"); // to a file: a hung Chromium cannot block a read
        Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("chromium.err").toFile())
                .redirectOutput(dom.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Chromium did not finish rendering " + path);
        }
        return Files.readString(dom, StandardCharsets.UTF_8);
    }

    @Test
    void pageShouldRenderAccessiblyAndExplainABadCnicAndTheLimit() throws Exception {
        try (NserServer s = TestServer.start(TestServer.config(CONFIG))) {
            String empty = render(s, "/", "--dump-dom");
            assertTrue(empty.contains("<label for=\"cnic\">CNIC or B-Form number</label>"), empty);
            assertTrue(empty.contains("id=\"cnic\"") && empty.contains("aria-describedby=\"cnic-hint\""));
            assertTrue(empty.contains("<button type=\"submit\">Check status</button>"));
            assertFalse(empty.contains("tabindex"), "native controls only, in document order");

            String bad = render(s, "/?cnic=1234-x", "--dump-dom");
            assertTrue(bad.contains("data-outcome=\"INVALID\"") && bad.contains("That is not a valid CNIC"), bad);
            assertTrue(bad.contains("aria-invalid=\"true\""));

            String notFound = render(s, "/?cnic=99999-9999999-9", "--dump-dom");
            assertTrue(notFound.contains("data-outcome=\"NOT_FOUND\""), notFound);

            String urdu = render(s, "/?lang=ur&cnic=1", "--dump-dom");
            assertTrue(urdu.contains("<html lang=\"ur\" dir=\"rtl\">") && urdu.contains("شناختی کارڈ"), urdu);

            String limited = "";
            for (int i = 0; i < 6 && !limited.contains("data-outcome=\"LIMIT\""); i++) {
                limited = render(s, "/?cnic=99999-9999999-9", "--dump-dom");
            }
            assertTrue(limited.contains("data-outcome=\"LIMIT\"") && limited.contains("too many lookups"), limited);
            assertTrue(limited.contains("value=\"99999-9999999-9\""), "the number is kept for the retry");

            Path png = Path.of("target", "public-page.png").toAbsolutePath();
            Files.deleteIfExists(png);
            render(s, "/?cnic=1234-x", "--screenshot=" + png, "--window-size=820,760");
            assertTrue(Files.size(png) > 1_000, "screenshot written for a human to look at: " + png);
        }
    }

    @Test
    void theStatusLineShouldBeTheOnlyResultAndCarryNoPersonalData() throws IOException, Exception {
        try (NserServer s = TestServer.start(TestServer.config(CONFIG))) {
            String dom = render(s, "/?cnic=99999-9999999-9", "--dump-dom");
            int results = dom.split("class=\"result").length - 1;
            assertEquals(1, results);
            assertFalse(dom.contains("pmt") || dom.contains("household_id"));
        }
    }
}
