package pk.gov.bisp.nser.server.http;

import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Pattern;

/**
 * Keeps identifiers out of the server's log: CNICs and B-Forms (13 digits, with or without dashes), mobile numbers,
 * and API keys after {@code Bearer}. Every log line, the server's own and its
 * libraries' (Vert.x and Netty log through java.util.logging), passes {@link #FILTER} on the root logger's
 * handlers, which rewrites its message and its exception chain (messages redacted, stack traces kept). Names are
 * never logged: no log line carries a request body.
 */
public final class LogRedaction {

    /** What stands in a log line for a redacted identifier. */
    public static final String MARK = "[redacted]";

    /**
     * A CNIC or B-Form: 13 digits alone, or grouped 5-7-1 by dashes, spaces, dots or percent-escaped dashes; and a
     * Pakistani mobile number ({@code 923001234567}, {@code +92 300 1234567}, {@code 03001234567}). Other numbers
     * (sequences, file names, byte counts, status codes) stay, so the log still serves its operators.
     */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<!\\d)(?:"
            + "\\d{13}"
            + "|\\d{5}(?:[-. ]|%2[dD])\\d{7}(?:[-. ]|%2[dD])\\d"
            + "|(?:\\+|%2[bB])?92[- ]?3\\d{2}[- ]?\\d{7}"
            + "|03\\d{2}[- ]?\\d{7}"
            + ")(?!\\d)");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s,;\"']+");

    /** Rewrites each record's message and exception with identifiers redacted; never drops a record. */
    public static final Filter FILTER = record -> {
        redact(record);
        return true;
    };

    private static final SimpleFormatter FORMAT = new SimpleFormatter();

    private LogRedaction() {
    }

    /** {@code text} with every identifier replaced by {@link #MARK}; null stays null. */
    public static String text(String text) {
        if (text == null) {
            return null;
        }
        String t = BEARER.matcher(text).replaceAll("$1" + MARK);
        return IDENTIFIER.matcher(t).replaceAll(MARK);
    }

    /**
     * A copy of {@code t} whose messages (its own, its causes' and suppressed ones') are redacted, with the same
     * class names and stack traces; null stays null.
     */
    public static Throwable throwable(Throwable t) {
        return copy(t, 0);
    }

    private static Throwable copy(Throwable t, int depth) {
        if (t == null || t instanceof Redacted) {
            return t;
        }
        Redacted r = new Redacted(t.getClass().getName() + (t.getMessage() == null ? "" : ": " + text(t.getMessage())),
                depth < 8 ? copy(t.getCause(), depth + 1) : null);
        r.setStackTrace(t.getStackTrace());
        for (Throwable s : t.getSuppressed()) {
            if (depth < 8) {
                r.addSuppressed(copy(s, depth + 1));
            }
        }
        return r;
    }

    /** Redacts {@code record} in place: its formatted message and its exception. */
    static void redact(LogRecord record) {
        String formatted = record.getParameters() == null ? record.getMessage() : FORMAT.formatMessage(record);
        record.setMessage(text(formatted));
        record.setParameters(null);
        record.setThrown(throwable(record.getThrown()));
    }

    /**
     * Puts {@link #FILTER} on every handler of the root logger (idempotent; a handler that already has another
     * filter keeps it, after the redaction).
     */
    public static synchronized void install() {
        for (Handler h : Logger.getLogger("").getHandlers()) {
            Filter f = h.getFilter();
            if (f == FILTER || f instanceof Chained) {
                continue;
            }
            h.setFilter(f == null ? FILTER : new Chained(f));
        }
    }

    /** The redaction, then a handler's own filter. */
    private record Chained(Filter then) implements Filter {
        @Override
        public boolean isLoggable(LogRecord record) {
            redact(record);
            return then.isLoggable(record);
        }
    }

    /** An exception as it is logged: the original's class name and redacted message, and its stack trace. */
    static final class Redacted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Redacted(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage(); // the original's class name leads the message
        }
    }
}
