package pk.gov.bisp.nser.server.publicstatus;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import pk.gov.bisp.nser.server.http.Exchange;
import pk.gov.bisp.nser.server.pages.UrduFont;

/**
 * The public lookup page, rendered on the server: a plain form, so it works without JavaScript; labelled
 * controls, keyboard order, a live status region; English, or Urdu right-to-left with {@code ?lang=ur}.
 */
final class StatusPage {

    enum Outcome { NONE, INVALID, LIMIT, UNAVAILABLE, ELIGIBLE, NOT_ELIGIBLE, NOT_FOUND }

    private static final String[][] TEXT = {
        // key, English, Urdu (a CNIC within Urdu is isolated left to right: after Arabic letters its digits are
        // Arabic numbers to the bidi algorithm, and the dashes between them would reverse its groups)
        {"title", "NSER poverty status", "این ایس ای آر غربت کی حیثیت"},
        {"intro", "Enter a CNIC or B-Form number to see whether the household is eligible for the BISP "
            + "Kafaalat cash transfer. No personal details are shown.",
            "یہ جاننے کے لیے کہ گھرانہ بی آئی ایس پی کفالت کا اہل ہے یا نہیں، شناختی کارڈ یا ب فارم نمبر درج کریں۔ "
                + "کوئی ذاتی معلومات نہیں دکھائی جاتیں۔"},
        {"label", "CNIC or B-Form number", "شناختی کارڈ یا ب فارم نمبر"},
        {"hint", "13 digits, for example 35202-1234567-1",
            "13 ہندسے، مثال کے طور پر <span dir=\"ltr\">35202-1234567-1</span>"},
        {"submit", "Check status", "حیثیت معلوم کریں"},
        {"other", "اردو", "English"},
        {"INVALID", "That is not a valid CNIC: it must be 13 digits, written 12345-1234567-1 or without dashes.",
            "یہ درست شناختی کارڈ نمبر نہیں: 13 ہندسے درکار ہیں، جیسے <span dir=\"ltr\">12345-1234567-1</span>۔"},
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

    /**
     * What the citizen can do after each answer, from the public guide and the annual report (shared/seeds 003,
     * 004): BISP's 8171 service, the BISP tehsil office, the Benazir Registration Desk (Dynamic Registry Centre)
     * that every tehsil has, for registering or updating a household. The same for everyone: no personal data.
     */
    private static final String[][] NEXT = {
        // outcome, English, Urdu
        {"ELIGIBLE", "Confirm it with BISP's 8171 service: send your CNIC number by SMS to 8171.",
            "بی آئی ایس پی کی 8171 سروس سے تصدیق کریں: اپنا شناختی کارڈ نمبر ایس ایم ایس کے ذریعے 8171 پر بھیجیں۔"},
        {"ELIGIBLE", "For payments and any question, go to the BISP tehsil office.",
            "ادائیگی اور کسی بھی سوال کے لیے بی آئی ایس پی کے تحصیل دفتر جائیں۔"},
        {"ELIGIBLE", "Keep your household's details up to date: a birth, a marriage, a death, a disability, a new "
            + "address or phone number is updated at the Benazir Registration Desk in your tehsil. Beneficiaries are "
            + "recertified every 3 years.",
            "اپنے گھرانے کی معلومات درست رکھیں: پیدائش، شادی، وفات، معذوری، نیا پتا یا فون نمبر اپنی تحصیل کے "
                + "بینظیر رجسٹریشن ڈیسک پر اپڈیٹ کرائیں۔ مستحقین کی ہر 3 سال بعد دوبارہ تصدیق ہوتی ہے۔"},
        {"NOT_ELIGIBLE", "If your household's situation has changed (a loss of income, a disability, a disaster), "
            + "ask for an update at the Benazir Registration Desk (Dynamic Registry Centre) in your tehsil: the "
            + "registry is updated all year round.",
            "اگر آپ کے گھرانے کے حالات بدل گئے ہیں (آمدن ختم ہونا، معذوری، کوئی آفت)، تو اپنی تحصیل کے بینظیر "
                + "رجسٹریشن ڈیسک (ڈائنامک رجسٹری سینٹر) پر اپڈیٹ کی درخواست کریں: رجسٹری سارا سال اپڈیٹ ہوتی ہے۔"},
        {"NOT_ELIGIBLE", "Changes in the family (a birth, a marriage, a death, a new address) are updated there too.",
            "خاندان میں تبدیلیاں (پیدائش، شادی، وفات، نیا پتا) بھی وہیں اپڈیٹ ہوتی ہیں۔"},
        {"NOT_ELIGIBLE", "BISP's 8171 service answers for your CNIC too: send the number by SMS to 8171.",
            "بی آئی ایس پی کی 8171 سروس بھی آپ کے شناختی کارڈ کے بارے میں بتاتی ہے: نمبر ایس ایم ایس کے ذریعے 8171 "
                + "پر بھیجیں۔"},
        {"NOT_FOUND", "Register your household at the Benazir Registration Desk (Dynamic Registry Centre) in your "
            + "tehsil: every tehsil has at least one.",
            "اپنے گھرانے کا اندراج اپنی تحصیل کے بینظیر رجسٹریشن ڈیسک (ڈائنامک رجسٹری سینٹر) پر کرائیں: ہر تحصیل میں "
                + "کم از کم ایک موجود ہے۔"},
        {"NOT_FOUND", "The BISP tehsil office can tell you where it is; in remote areas BISP's mobile registration "
            + "vans come to you.",
            "بی آئی ایس پی کا تحصیل دفتر اس کا پتا بتا سکتا ہے؛ دور دراز علاقوں میں بی آئی ایس پی کی موبائل رجسٹریشن "
                + "گاڑیاں آپ کے پاس آتی ہیں۔"},
        {"NOT_FOUND", "Check the number first: the same 13 digits as on the CNIC or B-Form, or ask BISP's 8171 "
            + "service by sending it by SMS to 8171.",
            "پہلے نمبر دیکھ لیں: وہی 13 ہندسے جو شناختی کارڈ یا ب فارم پر ہیں، یا اسے ایس ایم ایس کے ذریعے 8171 پر "
                + "بھیج کر بی آئی ایس پی کی 8171 سروس سے پوچھیں۔"},
    };

    private static final String[] NEXT_HEADING = {"What you can do next", "آگے آپ کیا کر سکتے ہیں"};

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
                .append(t("title", ur)).append("</title>\n<style>\n").append(UrduFont.FACE).append('\n')
                .append("body{font-family:system-ui,'Noto Nastaliq Urdu',sans-serif;max-width:36rem;margin:2rem auto;")
                .append("padding:0 1rem;line-height:1.6;color:#1a1a1a}\n")
                .append("html[lang=ur] body{font-family:'Noto Nastaliq Urdu',system-ui,sans-serif;line-height:2.2}\n")
                .append(".next{margin-top:1.5rem}.next h2{font-size:1.15rem}.next li{margin-bottom:.4rem}\n")
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
        b.append("</div>\n");
        next(b, outcome, ur);
        b.append("</main>\n</body>\n</html>\n");
        ctx.response().putHeader("Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; form-action 'self'")
                .putHeader("X-Content-Type-Options", "nosniff");
        Exchange.end(ctx, status, "text/html; charset=utf-8", Buffer.buffer(b.toString()));
    }

    /** The next steps after an answer (none after an error or before a lookup), as a list under a heading. */
    private static void next(StringBuilder b, Outcome outcome, boolean ur) {
        boolean any = false;
        for (String[] row : NEXT) {
            if (row[0].equals(outcome.name())) {
                if (!any) {
                    b.append("<section class=\"next\" aria-labelledby=\"next-h\">\n<h2 id=\"next-h\">")
                            .append(NEXT_HEADING[ur ? 1 : 0]).append("</h2>\n<ul>\n");
                    any = true;
                }
                b.append("<li>").append(ur ? row[2] : row[1]).append("</li>\n");
            }
        }
        if (any) {
            b.append("</ul>\n</section>\n");
        }
    }

    /** Every text of the page, in both languages (for the font's coverage test). */
    static java.util.List<String> allTexts() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String[][] table : new String[][][] {TEXT, NEXT}) {
            for (String[] row : table) {
                out.add(row[1]);
                out.add(row[2]);
            }
        }
        out.addAll(java.util.List.of(NEXT_HEADING));
        return out;
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
