package pk.gov.bisp.nser.server.publicstatus;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import pk.gov.bisp.nser.server.http.Exchange;

/**
 * The public lookup page, rendered on the server: a plain form, so it works without JavaScript; labelled
 * controls, keyboard order, a live status region; English, or Urdu right-to-left with {@code ?lang=ur}.
 */
final class StatusPage {

    enum Outcome { NONE, INVALID, LIMIT, UNAVAILABLE, ELIGIBLE, NOT_ELIGIBLE, NOT_FOUND }

    private static final String[][] TEXT = {
        // key, English, Urdu
        {"title", "NSER poverty status", "این ایس ای آر غربت کی حیثیت"},
        {"intro", "Enter a CNIC or B-Form number to see whether the household is eligible for the BISP "
            + "Kafaalat cash transfer. No personal details are shown.",
            "یہ جاننے کے لیے کہ گھرانہ بی آئی ایس پی کفالت کا اہل ہے یا نہیں، شناختی کارڈ یا ب فارم نمبر درج کریں۔ "
                + "کوئی ذاتی معلومات نہیں دکھائی جاتیں۔"},
        {"label", "CNIC or B-Form number", "شناختی کارڈ یا ب فارم نمبر"},
        {"hint", "13 digits, for example 35202-1234567-1", "13 ہندسے، مثال کے طور پر 35202-1234567-1"},
        {"submit", "Check status", "حیثیت معلوم کریں"},
        {"other", "اردو", "English"},
        {"INVALID", "That is not a valid CNIC: it must be 13 digits, written 12345-1234567-1 or without dashes.",
            "یہ درست شناختی کارڈ نمبر نہیں: 13 ہندسے درکار ہیں، جیسے 12345-1234567-1۔"},
        {"LIMIT", "You have made too many lookups. Please wait %d seconds and try again.",
            "آپ نے بہت زیادہ تلاش کی ہے۔ براہ کرم %d سیکنڈ بعد دوبارہ کوشش کریں۔"},
        {"UNAVAILABLE", "The service is starting. Please try again in a minute.",
            "سروس شروع ہو رہی ہے۔ براہ کرم ایک منٹ بعد کوشش کریں۔"},
        {"ELIGIBLE", "Eligible: this household is eligible for BISP Kafaalat.",
            "اہل: یہ گھرانہ بی آئی ایس پی کفالت کا اہل ہے۔"},
        {"NOT_ELIGIBLE", "Not eligible: this household is not eligible for BISP Kafaalat.",
            "نااہل: یہ گھرانہ بی آئی ایس پی کفالت کا اہل نہیں۔"},
        {"NOT_FOUND", "Not found: no household in the registry has this number. You can register at your tehsil's "
            + "dynamic registry centre.",
            "نہیں ملا: رجسٹری میں اس نمبر کا کوئی گھرانہ نہیں۔ آپ اپنی تحصیل کے ڈائنامک رجسٹری سینٹر میں اندراج کرا سکتے ہیں۔"},
    };

    private StatusPage() {
    }

    private static String t(String key, boolean urdu) {
        for (String[] row : TEXT) {
            if (row[0].equals(key)) {
                return urdu ? row[2] : row[1];
            }
        }
        throw new IllegalArgumentException(key);
    }

    static void send(RoutingContext ctx, int status, String lang, String cnic, Outcome outcome, long retry) {
        boolean ur = "ur".equals(lang);
        StringBuilder b = new StringBuilder(4_096);
        b.append("<!DOCTYPE html>\n<html lang=\"").append(ur ? "ur" : "en").append("\" dir=\"")
                .append(ur ? "rtl" : "ltr").append("\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(t("title", ur)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,'Noto Nastaliq Urdu',sans-serif;max-width:36rem;margin:2rem auto;")
                .append("padding:0 1rem;line-height:1.6;color:#1a1a1a}\n")
                .append("label{display:block;font-weight:600;margin-top:1rem}\n")
                .append("input{font-size:1.2rem;padding:.4rem;width:100%;box-sizing:border-box}\n")
                .append("button{font-size:1.1rem;margin-top:.8rem;padding:.5rem 1.2rem}\n")
                .append(":focus{outline:3px solid #1d70b8;outline-offset:2px}\n")
                .append(".result{margin-top:1.5rem;padding:1rem;border-left:6px solid #1d70b8;background:#f3f6fa}\n")
                .append(".error{border-color:#b10e1e;background:#fbeeee}\n</style>\n</head>\n<body>\n<main>\n<h1>")
                .append(t("title", ur)).append("</h1>\n<p><a href=\"/?lang=").append(ur ? "en" : "ur")
                .append("\" lang=\"").append(ur ? "en" : "ur").append("\">").append(t("other", ur))
                .append("</a></p>\n<p>").append(t("intro", ur)).append("</p>\n")
                .append("<form method=\"get\" action=\"/\">\n<input type=\"hidden\" name=\"lang\" value=\"")
                .append(ur ? "ur" : "en").append("\">\n<label for=\"cnic\">").append(t("label", ur))
                .append("</label>\n<p id=\"cnic-hint\">").append(t("hint", ur)).append("</p>\n")
                .append("<input id=\"cnic\" name=\"cnic\" inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"20\" ")
                .append("aria-describedby=\"cnic-hint\" dir=\"ltr\" value=\"").append(escape(cnic)).append("\"")
                .append(outcome == Outcome.INVALID ? " aria-invalid=\"true\"" : "").append(" required>\n")
                .append("<button type=\"submit\">").append(t("submit", ur)).append("</button>\n</form>\n");
        b.append("<div id=\"result\" role=\"status\" aria-live=\"polite\">");
        if (outcome != Outcome.NONE) {
            boolean error = outcome == Outcome.INVALID || outcome == Outcome.LIMIT || outcome == Outcome.UNAVAILABLE;
            String msg = outcome == Outcome.LIMIT ? String.format(t("LIMIT", ur), retry) : t(outcome.name(), ur);
            b.append("<p class=\"result").append(error ? " error" : "").append("\" data-outcome=\"")
                    .append(outcome.name()).append("\">").append(msg).append("</p>");
        }
        b.append("</div>\n</main>\n</body>\n</html>\n");
        ctx.response().putHeader("Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
                .putHeader("X-Content-Type-Options", "nosniff");
        Exchange.end(ctx, status, "text/html; charset=utf-8", Buffer.buffer(b.toString()));
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
