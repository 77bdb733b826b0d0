package pk.gov.bisp.nser.server.pages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.http.RouteGroup;

/**
 * {@code GET /statistics}: the registry's figures to look at, English or Urdu ({@code ?lang=ur}, right to left).
 * The page is a shell: its script ({@code /assets/statistics.js}) fetches {@code /v1/stats} without a key, by
 * province and then, for a chosen province, by district, so every figure comes under the same fair-usage limit,
 * perturbation and suppression as the API's (a suppressed cell arrives as null and is shown as suppressed, never
 * estimated). Each chart (ECharts, drawn as SVG) has a table beside it with the same figures, for screen
 * readers and for anyone who prefers numbers; the province names in the table are buttons, so the districts are
 * reachable by keyboard too.
 */
public final class StatisticsPageRoutes implements RouteGroup {

    public static final String PAGE = "/statistics";

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'";

    /** The charts' indicators: a column of {@code /v1/stats}. */
    static final String[] INDICATORS = {"share", "households", "members"};

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String cutoffMeasure;
    private final String[][] measures;
    private final int minCell;

    /**
     * @param cutoffPoints the public programme's PMT cut-off in whole points (the default measure is the share of
     *                     households under it)
     * @param minCell      the statistics' k, named on the page
     */
    public StatisticsPageRoutes(int cutoffPoints, int minCell) {
        this.cutoffMeasure = "pmt_below:" + cutoffPoints;
        this.minCell = minCell;
        // measure, English, Urdu
        this.measures = new String[][] {
            {cutoffMeasure, "Households under the cut-off (PMT score below " + cutoffPoints + ")",
                "کٹ آف سے نیچے گھرانے (پی ایم ٹی اسکور " + cutoffPoints + " سے کم)"},
            {"house_type:kacha", "Households in a kacha house", "کچے مکان والے گھرانے"},
            {"toilet:none", "Households without a toilet", "بیت الخلا کے بغیر گھرانے"},
            {"disabled_member:yes", "Households with a disabled member", "معذور فرد والے گھرانے"},
            {"widow:yes", "Households with a widow", "بیوہ خاتون والے گھرانے"},
            {"literacy", "Literate members (aged 10 and over)", "خواندہ افراد (10 سال اور زیادہ عمر)"},
            {"literacy:female", "Literate women and girls (aged 10 and over)",
                "خواندہ خواتین اور لڑکیاں (10 سال اور زیادہ عمر)"},
            {"out_of_school", "Children out of school (aged 4 to 18)", "اسکول سے باہر بچے (4 سے 18 سال)"},
        };
    }

    /**
     * Texts, key, English, Urdu. {@code %d} and {@code %s} are filled in by the script. A path within Urdu is
     * isolated left to right (the bidi algorithm would otherwise move its leading slash to its end).
     */
    static final String[][] TEXT = {
        {"title", "NSER registry statistics", "این ایس ای آر رجسٹری کے اعداد و شمار"},
        {"other", "اردو", "English"},
        {"intro", "Households and their members in the registry by province, and by district when you choose a "
            + "province. Every figure comes from the public API, /v1/stats: counts are slightly perturbed to "
            + "protect privacy, and a cell under %d, or one that would reveal such a cell, is suppressed, never "
            + "estimated.",
            "رجسٹری میں صوبہ وار گھرانے اور ان کے افراد، اور صوبہ منتخب کرنے پر ضلع وار۔ تمام اعداد عوامی اے پی آئی "
                + "<span dir=\"ltr\">/v1/stats</span> سے ہیں: رازداری کے تحفظ کے لیے گنتی میں معمولی ردوبدل کیا جاتا ہے، اور %d سے کم والا "
                + "خانہ، یا جس سے ایسا خانہ معلوم ہو سکے، چھپا دیا جاتا ہے، کبھی اندازہ نہیں لگایا جاتا۔"},
        {"measure", "Measure", "پیمانہ"},
        {"indicator", "Chart", "چارٹ"},
        {"share", "Share", "تناسب"},
        {"households", "Households", "گھرانے"},
        {"members", "Members", "افراد"},
        {"count", "Count", "تعداد"},
        {"base", "Out of", "کل میں سے"},
        {"area", "Area", "علاقہ"},
        {"total", "Total", "کل"},
        {"noscript", "The charts need JavaScript. The same figures are at /v1/stats (JSON), e.g. "
            + "/v1/stats?group_by=district&province=6.",
            "چارٹ کے لیے جاوا اسکرپٹ درکار ہے۔ یہی اعداد <span dir=\"ltr\">/v1/stats</span> پر دستیاب ہیں، مثلاً "
                + "<span dir=\"ltr\">/v1/stats?group_by=district&province=6</span>۔"},
        {"byProvince", "By province", "صوبہ وار"},
        {"byDistrict", "Districts of %s", "%s کے اضلاع"},
        {"hint", "Choose a province, by its name in the table or its bar in the chart, to see its districts.",
            "اس کے اضلاع دیکھنے کے لیے صوبہ منتخب کریں: جدول میں اس کا نام یا چارٹ میں اس کی پٹی۔"},
        {"suppressed", "suppressed", "پوشیدہ"},
        {"suppressedTitle", "not published: under %d, or it would reveal a cell under %d",
            "شائع نہیں کیا گیا: %d سے کم، یا اس سے %d سے کم والا خانہ معلوم ہو سکتا ہے"},
        {"suppressedCount", "%d cells suppressed in this table.", "اس جدول میں %d خانے پوشیدہ ہیں۔"},
        {"loading", "Loading the figures.", "اعداد لوڈ ہو رہے ہیں۔"},
        {"limit", "You have made too many requests. Please wait %d seconds and try again.",
            "آپ نے بہت زیادہ درخواستیں کی ہیں۔ براہ کرم %d سیکنڈ بعد دوبارہ کوشش کریں۔"},
        {"error", "The figures could not be loaded: %s", "اعداد لوڈ نہیں ہو سکے: %s"},
    };

    @Override
    public void mount(Router router) {
        router.get(PAGE).handler(this::page);
    }

    static String t(String key, boolean ur) {
        for (String[] row : TEXT) {
            if (row[0].equals(key)) {
                return ur ? row[2] : row[1];
            }
        }
        throw new IllegalArgumentException(key);
    }

    /** Every text of the page, in both languages (for the font's coverage test). */
    List<String> allTexts() {
        List<String> out = new java.util.ArrayList<>();
        for (String[] row : TEXT) {
            out.addAll(List.of(row[1], row[2]));
        }
        for (String[] m : measures) {
            out.addAll(List.of(m[1], m[2]));
        }
        return out;
    }

    private void page(RoutingContext ctx) {
        Exchange.of(ctx).operation("statistics-page");
        String lang;
        String measure;
        String indicator;
        try {
            lang = ctx.request().getParam("lang");
            measure = ctx.request().getParam("measure");
            indicator = ctx.request().getParam("indicator");
        } catch (IllegalArgumentException malformedQuery) {
            lang = null;
            measure = null;
            indicator = null;
        }
        boolean ur = "ur".equals(lang);
        ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff");
        Exchange.end(ctx, 200, "text/html; charset=utf-8", Buffer.buffer(html(ur, measure, indicator)));
    }

    /** The page; {@code measure} and {@code indicator} preselect a choice when they name one offered. */
    String html(boolean ur, String measure, String indicator) {
        StringBuilder b = new StringBuilder(8_192);
        String lang = ur ? "ur" : "en";
        b.append("<!DOCTYPE html>\n<html lang=\"").append(lang).append("\" dir=\"").append(ur ? "rtl" : "ltr")
                .append("\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(t("title", ur)).append("</title>\n<style>\n").append(UrduFont.FACE).append('\n')
                .append("body{font-family:system-ui,'").append(UrduFont.FAMILY).append("',sans-serif;")
                .append("max-width:76rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}\n")
                .append("html[lang=ur] body{font-family:'").append(UrduFont.FAMILY)
                .append("',system-ui,sans-serif;line-height:2.1}\n")
                .append("label{font-weight:600;margin-inline-end:.4rem}select{font:inherit;margin-inline-end:1.2rem}\n")
                .append(".pair{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}\n")
                // the table as wide as its figures need: beside the chart when both fit, under it otherwise (scrolling
                // sideways on a phone)
                .append(".chart{flex:1 1 24rem;min-width:16rem;height:18rem}")
                .append(".table{flex:1 1 auto;min-width:min(100%,30rem);overflow-x:auto}\n")
                .append("table{border-collapse:collapse}caption{text-align:start;font-weight:600}\n")
                .append("th,td{padding:.15rem .5rem;border-bottom:1px solid #d0d5dd}td{text-align:end;")
                .append("font-variant-numeric:tabular-nums}th[scope=row]{text-align:start;font-weight:400;white-space:nowrap}\n")
                .append("tfoot th,tfoot td{font-weight:600;border-top:2px solid #555}\n")
                .append(".suppressed{color:#7a3e00;font-style:italic}\n")
                .append("button.area{font:inherit;background:none;border:0;padding:0;color:#1d4f91;")
                .append("text-decoration:underline;cursor:pointer;text-align:start}\n")
                .append(":focus{outline:3px solid #1d70b8;outline-offset:2px}\n")
                .append("[data-outcome]{padding:.6rem;border-inline-start:6px solid #b10e1e;background:#fbeeee}\n")
                .append("</style>\n</head>\n<body>\n<main>\n<h1>").append(t("title", ur)).append("</h1>\n")
                .append("<p><a href=\"/statistics?lang=").append(ur ? "en" : "ur").append("\" lang=\"")
                .append(ur ? "en" : "ur").append("\">").append(t("other", ur)).append("</a></p>\n<p>")
                .append(t("intro", ur).replace("%d", Integer.toString(minCell))).append("</p>\n")
                .append("<form id=\"controls\" method=\"get\" action=\"/statistics\">\n")
                .append("<input type=\"hidden\" name=\"lang\" value=\"").append(lang).append("\">\n")
                .append("<label for=\"measure\">").append(t("measure", ur)).append("</label>")
                .append("<select id=\"measure\" name=\"measure\">\n");
        for (String[] m : measures) {
            b.append("<option value=\"").append(m[0]).append('"').append(m[0].equals(measure) ? " selected" : "")
                    .append('>').append(ur ? m[2] : m[1]).append("</option>\n");
        }
        b.append("</select>\n<label for=\"indicator\">").append(t("indicator", ur)).append("</label>")
                .append("<select id=\"indicator\" name=\"indicator\">\n");
        for (String i : INDICATORS) {
            b.append("<option value=\"").append(i).append('"').append(i.equals(indicator) ? " selected" : "")
                    .append('>').append(t(i, ur)).append("</option>\n");
        }
        b.append("</select>\n</form>\n<noscript><p>").append(t("noscript", ur).replace("&", "&amp;"))
                .append("</p></noscript>\n<p id=\"status\" role=\"status\" aria-live=\"polite\"></p>\n");
        section(b, "provinces", t("byProvince", ur), "<p>" + t("hint", ur) + "</p>\n", false);
        section(b, "districts", "", "", true);
        b.append("</main>\n<script type=\"application/json\" id=\"nser-texts\">").append(texts(ur))
                .append("</script>\n<script src=\"/assets/echarts.min.js\"></script>\n")
                .append("<script src=\"/assets/statistics.js\"></script>\n</body>\n</html>\n");
        return b.toString();
    }

    private static void section(StringBuilder b, String id, String heading, String hint, boolean hidden) {
        b.append("<section id=\"").append(id).append("\" aria-labelledby=\"").append(id).append("-h\"")
                .append(hidden ? " hidden" : "").append(">\n<h2 id=\"").append(id).append("-h\" tabindex=\"-1\">")
                .append(heading).append("</h2>\n").append(hint).append("<div class=\"pair\"><div id=\"").append(id)
                .append("-chart\" class=\"chart\" dir=\"ltr\" aria-hidden=\"true\"></div><div id=\"").append(id)
                .append("-table\" class=\"table\"></div></div>\n</section>\n");
    }

    /** The texts the script needs, as JSON safe inside a script element. */
    private String texts(boolean ur) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String[] row : TEXT) {
            m.put(row[0], ur ? row[2] : row[1]);
        }
        m.put("minCell", minCell);
        m.put("font", UrduFont.FAMILY);
        try {
            return JSON.writeValueAsString(m).replace("<", "\\u003c").replace(">", "\\u003e")
                    .replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
