package pk.gov.bisp.nser.server.search;

import java.util.Locale;

/** How list rows are written, chosen by {@code format=} or the {@code Accept} header. */
enum RowFormat {
    JSON("json", "application/json"),
    NDJSON("ndjson", "application/x-ndjson"),
    CSV("csv", "text/csv; charset=utf-8");

    final String key;
    final String contentType;

    RowFormat(String key, String contentType) {
        this.key = key;
        this.contentType = contentType;
    }

    /** The format asked for; null when {@code format} names none (the caller answers 400). */
    static RowFormat choose(String format, String accept) {
        if (format != null) {
            for (RowFormat f : values()) {
                if (f.key.equals(format.toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            return null;
        }
        if (accept != null) {
            String a = accept.toLowerCase(Locale.ROOT);
            if (a.contains("ndjson")) {
                return NDJSON;
            }
            if (a.contains("text/csv") && !a.contains("application/json")) {
                return CSV;
            }
        }
        return JSON;
    }
}
