package pk.gov.bisp.nser.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (packages chromium and chromium-driver, which
 * .ci/run installs), one browser for a test class. Without them the test is skipped locally; CI sets
 * NSER_REQUIRE_CHROMIUM=1, which turns a missing browser into a failure. Nothing is downloaded: the binaries are
 * named, so Selenium Manager is never asked.
 */
final class Browser implements AutoCloseable {

    final ChromeDriver driver;
    private final int port;

    private Browser(ChromeDriver driver, int port) {
        this.driver = driver;
        this.port = port;
    }

    /** A headless browser for the server on {@code port}, its window {@code width} by {@code height}. */
    static Browser open(int port, int width, int height) {
        Path chromium = executable(System.getenv("NSER_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser");
        Path driver = executable(System.getenv("NSER_CHROMEDRIVER"), "/usr/bin/chromedriver");
        if (chromium == null || driver == null) {
            if ("1".equals(System.getenv("NSER_REQUIRE_CHROMIUM"))) {
                throw new AssertionError("headless Chromium and chromedriver are required (NSER_REQUIRE_CHROMIUM=1) "
                        + "but not installed: apt-get install chromium chromium-driver");
            }
            Assumptions.abort("Chromium or chromedriver is not installed; .ci/run installs them");
        }
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().withLogOutput(java.io.OutputStream.nullOutputStream()).build();
        ChromeDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
        return new Browser(d, port);
    }

    private static Path executable(String... candidates) {
        for (String c : candidates) {
            if (c != null && Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        return null;
    }

    /** Loads {@code path} of the server (the load event has fired when this returns). */
    Browser get(String path) {
        driver.get("http://127.0.0.1:" + port + path);
        return this;
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs {@code script} with a callback as its last argument, and returns what it passed the callback. */
    Object jsAsync(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Waits (30 s at most) until {@code script} returns true. */
    void await(String what, String script) {
        new WebDriverWait(driver, Duration.ofSeconds(30)).withMessage(what)
                .until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(script)));
    }

    /**
     * The browser console's messages since the last call (CSP violations and script errors among them), but for
     * the browser's own request for /favicon.ico, which the server does not have.
     */
    List<String> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(m -> !m.contains("/favicon.ico ")).toList();
    }

    /** A screenshot of the whole page (beyond the window) as a PNG at {@code file}, for a person to look at. */
    Path screenshot(Path file) throws Exception {
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", ((Number) size.get("width")).doubleValue(),
                "height", Math.min(8_000, ((Number) size.get("height")).doubleValue()), "scale", 1);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        return file;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
