package pk.gov.bisp.nser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The public page, /statistics and /docs as Debian's headless Chromium renders them, on a machine without Urdu
 * fonts of its own (the server's Noto Nastaliq Urdu is the only one). One server and one browser for the class;
 * screenshots of each page, in each of its languages, go to target/screenshots/ for a person to look at.
 */
class PagesBrowserTest {

    /** Enough fair usage for the whole class; the limit has its own test, with its own server. */
    private static final String CONFIG = TestServer.minimal(600, 300, "");
    private static final String RARE = "widow:yes"; // rare enough that some districts' cells are suppressed
    private static final String URDU_FONT = "Noto Nastaliq Urdu";

    private static NserServer server;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(TestServer.config(CONFIG));
        try {
            browser = Browser.open(server.port(), 1100, 900);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Waits until the page's fonts have loaded; returns {check, the Urdu face's status, fetched resources}. */
    @SuppressWarnings("unchecked")
    private static List<Object> fonts(String sample) {
        browser.await("the Urdu font loads", "return Array.from(document.fonts).some(f => f.family.includes('"
                + URDU_FONT + "') && f.status === 'loaded')");
        return (List<Object>) browser.jsAsync("const done = arguments[arguments.length - 1];"
                + "document.fonts.ready.then(() => done([document.fonts.check(\"16px '" + URDU_FONT + "'\", arguments[0]),"
                + " Array.from(document.fonts).filter(f => f.family.includes('" + URDU_FONT + "'))"
                + ".map(f => f.status).join(),"
                + " performance.getEntriesByType('resource').map(e => e.name).join(' ')]));", sample);
    }

    @Test
    void theUrduPublicPageShouldUseTheServedFontRightToLeftAndSayWhatToDoNext() throws Exception {
        browser.get("/?lang=ur&cnic=99999-9999999-9");
        List<Object> f = fonts("ہے۔");
        assertEquals(true, f.get(0), "document.fonts.check for ہ, ے and ۔ in Noto Nastaliq Urdu");
        assertEquals("loaded", f.get(1));
        assertTrue(f.get(2).toString().contains("/assets/noto-nastaliq-urdu.woff2"), "fetched from the server itself");
        assertFalse(f.get(2).toString().matches(".*https?://(?!127\\.0\\.0\\.1).*"), "nothing from another host");
        assertEquals("rtl", browser.js("return getComputedStyle(document.body).direction"));
        assertEquals("ltr", browser.js("return getComputedStyle(document.getElementById('cnic')).direction"),
                "the number is typed left to right");
        long width = (Long) browser.js("return document.documentElement.clientWidth");
        double right = ((Number) browser.js("return document.querySelector('h1').getBoundingClientRect().right"))
                .doubleValue();
        double textRight = ((Number) browser.js("const r = document.createRange();"
                + "r.selectNodeContents(document.querySelector('h1')); return r.getBoundingClientRect().right"))
                .doubleValue();
        assertEquals(right, textRight, 2.0, "the heading's text starts at the right (" + width + " px wide)");
        double[] groups = new double[2];
        for (int i = 0; i < 2; i++) { // where "35202" and "1234567" of the hint's example are drawn
            groups[i] = ((Number) browser.js("const t = document.querySelector('#cnic-hint span').firstChild;"
                    + "const r = document.createRange(); const at = t.data.indexOf(arguments[0]);"
                    + "r.setStart(t, at); r.setEnd(t, at + arguments[0].length); return r.getBoundingClientRect().left",
                    i == 0 ? "35202" : "1234567")).doubleValue();
        }
        assertTrue(groups[0] < groups[1], "a CNIC within Urdu text reads left to right: " + groups[0] + " " + groups[1]);
        assertEquals("NOT_FOUND", browser.js("return document.querySelector('[data-outcome]').dataset.outcome"));
        String next = (String) browser.js("return document.querySelector('.next').innerText");
        assertTrue(next.contains("آگے آپ کیا کر سکتے ہیں") && next.contains("بینظیر رجسٹریشن ڈیسک")
                && next.contains("8171"), next);
        assertEquals(List.of(), browser.console(), "no error, no refused resource");
        assertTrue(Files.size(browser.screenshot(Path.of("target", "screenshots", "public-ur.png"))) > 5_000);
    }

    @Test
    void theNextStepsShouldFollowTheAnswerAndCarryNoPersonalData() throws Exception {
        Map<String, Long> byStatus = new java.util.HashMap<>();
        for (long cnic : TestServer.headCnics(0, 131, 80)) {
            String s = TestServer.json(TestServer.get(server, "/public/v1/status/" + cnic)).get("status").asText();
            byStatus.putIfAbsent(s, cnic);
        }
        assertNotNull(byStatus.get("ELIGIBLE"), "an eligible head in the test snapshot");
        assertNotNull(byStatus.get("NOT_ELIGIBLE"), "a head not eligible in the test snapshot");
        String[][] expected = {
            {"ELIGIBLE", "send your CNIC number by SMS to 8171", "BISP tehsil office", "recertified every 3 years"},
            {"NOT_ELIGIBLE", "Benazir Registration Desk (Dynamic Registry Centre)", "updated all year round",
                "8171"},
        };
        for (String[] e : expected) {
            long cnic = byStatus.get(e[0]);
            browser.get("/?cnic=" + cnic);
            assertEquals(e[0], browser.js("return document.querySelector('[data-outcome]').dataset.outcome"));
            String next = (String) browser.js("return document.querySelector('.next').innerText");
            for (int i = 1; i < e.length; i++) {
                assertTrue(next.contains(e[i]), e[0] + ": " + next);
            }
            assertFalse(next.contains(Long.toString(cnic).substring(0, 5)), "no personal data: " + next);
            if (e[0].equals("NOT_ELIGIBLE")) {
                browser.screenshot(Path.of("target", "screenshots", "public-en.png"));
            }
        }
        browser.get("/?cnic=1234-x");
        assertEquals(0L, browser.js("return document.querySelectorAll('.next').length"), "no steps after an error");
        assertTrue(browser.js("return document.body.innerText").toString().contains("That is not a valid CNIC"));
    }

    /** {@code /v1/stats} as the test reads it over HTTP: the page must show exactly these figures. */
    private static JsonNode stats(String query) throws Exception {
        var r = TestServer.get(server, "/v1/stats?" + query);
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    /**
     * The page's table {@code id} holds exactly the figures of {@code json}; returns its suppressed cells (as
     * {@code suppressed_cells} counts them: households, members, count, base).
     */
    @SuppressWarnings("unchecked")
    private static int assertTableShows(String id, JsonNode json, String suppressedText) {
        int suppressed = 0;
        List<JsonNode> rows = new ArrayList<>();
        json.get("groups").forEach(rows::add);
        rows.add(json.get("total"));
        // the table as the page drew it, read in one call: per row its code, its name and its cells
        List<Map<String, Object>> trs = (List<Map<String, Object>>) browser.js("return Array.from("
                + "document.querySelectorAll('#' + arguments[0] + '-data tr[data-code]')).map(tr => ({"
                + " code: tr.getAttribute('data-code'), name: tr.querySelector('th').innerText,"
                + " cells: Object.fromEntries(Array.from(tr.querySelectorAll('td')).map(td => ["
                + "  td.getAttribute('data-column'), {value: td.getAttribute('data-value'), text: td.innerText,"
                + "  suppressed: td.getAttribute('data-suppressed')}]))}))", id);
        assertEquals(rows.size(), trs.size(), id + ": a row per group, and the total");
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            Map<String, Object> tr = trs.get(i);
            if (row.has("code")) {
                assertEquals(row.get("code").asText(), tr.get("code"));
                assertEquals(row.get("name").asText(), tr.get("name"));
            }
            Map<String, Map<String, String>> cells = (Map<String, Map<String, String>>) tr.get("cells");
            for (String c : List.of("households", "members", "count", "base", "share")) {
                Map<String, String> td = cells.get(c);
                String where = id + " " + tr.get("code") + " " + c;
                if (row.get(c).isNull()) {
                    suppressed += c.equals("share") ? 0 : 1; // a share is not a cell: null when its count or base is
                    assertEquals("true", td.get("suppressed"), where);
                    assertEquals(suppressedText, td.get("text"), where);
                    assertNull(td.get("value"), where + ": never estimated");
                } else {
                    assertEquals(row.get(c).asDouble(), Double.parseDouble(td.get("value")), 0, where);
                    if (!c.equals("share")) {
                        assertEquals(row.get(c).asText(), td.get("text").replaceAll("[^0-9]", ""), where);
                    }
                }
            }
        }
        return suppressed;
    }

    @Test
    void statisticsShouldShowTheApiFiguresInBothLanguagesWithSuppressedCellsAsSuppressed() throws Exception {
        JsonNode provinces = stats("group_by=province&measure=" + RARE);
        JsonNode districts = null;
        int province = -1;
        String provinceName = null;
        for (JsonNode g : provinces.get("groups")) {
            JsonNode d = stats("group_by=district&province=" + g.get("code").asInt() + "&measure=" + RARE);
            if (d.get("suppressed_cells").asInt() > 0 && d.get("groups").size() > 2) {
                districts = d;
                province = g.get("code").asInt();
                provinceName = g.get("name").asText();
                break;
            }
        }
        assertNotNull(districts, "a province whose districts have suppressed cells for " + RARE);
        int sharesSuppressed = 0;
        for (JsonNode g : districts.get("groups")) {
            sharesSuppressed += g.get("share").isNull() ? 1 : 0;
        }
        assertTrue(sharesSuppressed > 0, "a suppressed share to chart: " + districts);
        for (String lang : List.of("en", "ur")) {
            boolean ur = lang.equals("ur");
            String suppressed = ur ? "پوشیدہ" : "suppressed";
            browser.get("/statistics?lang=" + lang + "&measure=" + RARE);
            browser.await("the provinces' table", "return document.getElementById('provinces')"
                    + ".getAttribute('data-loaded') === '" + RARE + "'");
            assertTableShows("provinces", provinces, suppressed);
            browser.driver.findElement(By.cssSelector("#provinces-data tr[data-code='" + province + "'] button"))
                    .click();
            browser.await("the districts' table", "return document.getElementById('districts')"
                    + ".getAttribute('data-loaded') === '" + RARE + "'");
            assertEquals(districts.get("suppressed_cells").asInt(), assertTableShows("districts", districts,
                    suppressed), "every suppressed cell shown as suppressed");
            assertEquals("districts-h", browser.js("return document.activeElement.id"), "focus follows the choice");
            assertTrue(browser.js("return document.getElementById('districts-h').textContent").toString()
                    .contains(provinceName));
            long labels = (Long) browser.js("return Array.from(document.querySelectorAll('#districts-chart svg text'))"
                    + ".filter(t => t.textContent === arguments[0]).length", suppressed);
            assertEquals(sharesSuppressed, labels, "the chart marks each suppressed share as suppressed");
            if (!ur) { // a click on a bar of the chart, not only on a name in the table, opens the districts
                List<WebElement> bars = browser.driver.findElements(By.cssSelector("#provinces-chart svg path[fill='#1d70b8']"));
                assertTrue(bars.size() >= 3, "the provinces' bars: " + bars.size());
                browser.js("document.getElementById('districts').removeAttribute('data-loaded')");
                new org.openqa.selenium.interactions.Actions(browser.driver).moveToElement(bars.get(0)).click().perform();
                browser.await("the districts after a click on a bar", "return document.getElementById('districts')"
                        + ".getAttribute('data-loaded') === '" + RARE + "'");
                JsonNode first = null; // the first drawn bar: the first province whose share is published
                for (JsonNode g : provinces.get("groups")) {
                    first = first == null && !g.get("share").isNull() ? g : first;
                }
                assertNotNull(first);
                new org.openqa.selenium.interactions.Actions(browser.driver)
                        .moveToElement(browser.driver.findElement(By.tagName("h1"))).perform(); // the tooltip goes
                assertTrue(browser.js("return document.getElementById('districts-h').textContent").toString()
                        .contains(first.get("name").asText()), "the districts of the province clicked");
            }
            assertEquals(ur ? "rtl" : "ltr", browser.js("return getComputedStyle(document.body).direction"));
            if (ur) {
                assertEquals(true, fonts("اعداد و شمار").get(0), "document.fonts.check on the Urdu statistics page");
                double[] at = new double[2];
                for (int i = 0; i < 2; i++) { // where the path's leading slash and its "stats" are drawn
                    at[i] = ((Number) browser.js("const t = document.querySelector('main > p span[dir=ltr]')"
                            + ".firstChild; const r = document.createRange(); const i = t.data.indexOf(arguments[0]);"
                            + "r.setStart(t, i); r.setEnd(t, i + arguments[0].length); return r.getBoundingClientRect().left",
                            i == 0 ? "/v1" : "stats")).doubleValue();
                }
                assertTrue(at[0] < at[1], "/v1/stats within Urdu reads left to right: " + at[0] + " " + at[1]);
            }
            assertEquals(List.of(), browser.console(), "no error, no refused resource");
            browser.screenshot(Path.of("target", "screenshots", "statistics-" + lang + ".png"));
        }
    }

    @Test
    void docsShouldListEveryPathOfTheOpenApiDocumentWithABearerKeyField() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(TestServer.get(server, "/openapi.yaml").body());
        TreeSet<String> paths = new TreeSet<>();
        doc.get("paths").fieldNames().forEachRemaining(paths::add);
        browser.get("/docs");
        browser.await("Swagger UI lists the operations",
                "return document.querySelectorAll('.opblock-summary-path[data-path]').length > 0");
        @SuppressWarnings("unchecked")
        List<String> shown = (List<String>) browser.js("return Array.from(document.querySelectorAll("
                + "'.opblock-summary-path[data-path]')).map(e => e.getAttribute('data-path'))");
        assertEquals(paths, new TreeSet<>(shown), "/docs lists every path of /openapi.yaml");
        assertTrue(paths.containsAll(List.of("/statistics", "/docs", "/assets/{file}", "/v1/stats")));
        browser.screenshot(Path.of("target", "screenshots", "docs.png"));
        browser.driver.findElement(By.cssSelector("button.authorize")).click();
        browser.await("the key dialog", "return document.querySelector('.modal-ux input') !== null");
        String dialog = browser.driver.findElement(By.cssSelector(".modal-ux")).getText();
        assertTrue(dialog.contains("Bearer"), dialog);
        assertEquals(List.of(), browser.console(), "no error, no refused resource");
    }

    @Test
    void theStatisticsPageShouldMeetTheApisFairUsageLimit() throws Exception {
        try (NserServer s = TestServer.start(TestServer.config(TestServer.minimal(1, 3, "")));
             Browser b = Browser.open(s.port(), 900, 700)) {
            b.get("/statistics");
            b.await("the provinces' table", "return document.getElementById('provinces').hasAttribute('data-loaded')");
            Select measure = new Select(b.driver.findElement(By.id("measure")));
            for (int i = 1; i <= 3 && b.js("return document.getElementById('status').dataset.outcome") == null; i++) {
                measure.selectByIndex(i); // each choice fetches /v1/stats once
                b.await("an answer", "return document.getElementById('status').textContent.indexOf('Loading') < 0");
            }
            assertEquals("LIMIT", b.js("return document.getElementById('status').dataset.outcome"));
            assertTrue(b.js("return document.getElementById('status').textContent").toString()
                    .contains("too many requests"));
            assertEquals(429, TestServer.get(s, "/v1/stats").statusCode(), "one limit: the page's and the API's");
            b.console(); // the refused fetch is logged by the browser as a failed resource
        }
    }
}
