package pk.gov.bisp.nser.core.cnic;

import pk.gov.bisp.nser.core.text.Digits;

/**
 * A 13-digit CNIC or B-Form number, stored as a long. Accepted written forms: {@code 12345-1234567-1}
 * (dashes after the 5th and 12th digit) or 13 plain digits. The first digit names the region and is never 0.
 * Parsing allocates nothing on success.
 */
public final class Cnic {

    public static final long MIN = 1_000_000_000_000L;
    public static final long MAX = 9_999_999_999_999L;

    private Cnic() {
    }

    /** Parses a CNIC; throws {@link InvalidCnicException} saying what is wrong. */
    public static long parse(CharSequence s) {
        long v = tryParse(s);
        if (v < 0) {
            throw new InvalidCnicException(explain(s));
        }
        return v;
    }

    /** Parses a CNIC, or returns -1 if it is malformed (no exception, for the hot path). */
    public static long tryParse(CharSequence s) {
        if (s == null) {
            return -1;
        }
        int len = s.length();
        long v = -1;
        if (len == 13) {
            v = Digits.read(s, 0, 13, 0);
        } else if (len == 15 && s.charAt(5) == '-' && s.charAt(13) == '-') {
            v = Digits.read(s, 0, 5, 0);
            v = v < 0 ? -1 : Digits.read(s, 6, 13, v);
            v = v < 0 ? -1 : Digits.read(s, 14, 15, v);
        }
        return v >= MIN ? v : -1;
    }

    /** True when {@code v} has the shape of a stored CNIC (13 digits, first not 0). */
    public static boolean isValid(long v) {
        return v >= MIN && v <= MAX;
    }

    /** Formats as {@code 12345-1234567-1}. */
    public static String format(long v) {
        if (!isValid(v)) {
            throw new InvalidCnicException("value " + v + " is not a 13-digit CNIC");
        }
        byte[] b = new byte[15]; // written digit by digit: every lookup's access record formats its CNIC
        long rest = v;
        for (int i = 14; i >= 0; i--) {
            if (i == 13 || i == 5) {
                b[i] = '-';
            } else {
                b[i] = (byte) ('0' + rest % 10);
                rest /= 10;
            }
        }
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Thirteen digits with no dashes. */
    public static String digits(long v) {
        if (!isValid(v)) {
            throw new InvalidCnicException("value " + v + " is not a 13-digit CNIC");
        }
        return Long.toString(v);
    }

    /** Says, for a caller, what is wrong with a malformed CNIC. */
    public static String explain(CharSequence s) {
        if (s == null || s.length() == 0) {
            return "CNIC is empty; expected 13 digits, written 12345-1234567-1 or 1234512345671";
        }
        String str = s.toString();
        String shown = str.length() > 40 ? str.substring(0, 40) + "..." : str;
        for (int i = 0; i < str.length(); i++) {
            char c = str.charAt(i);
            if ((c < '0' || c > '9') && c != '-') {
                return "CNIC '" + printable(shown) + "' has a character that is not a digit or a dash at position "
                        + (i + 1) + "; expected 12345-1234567-1 or 13 digits";
            }
        }
        int digitCount = (int) str.chars().filter(c -> c >= '0' && c <= '9').count();
        if (digitCount != 13) {
            return "CNIC '" + shown + "' has " + digitCount + " digits; expected 13";
        }
        if (str.charAt(0) == '0') {
            return "CNIC '" + shown + "' starts with 0; the first digit names a region and is 1 to 9";
        }
        return "CNIC '" + shown + "' has dashes in the wrong places; expected 12345-1234567-1";
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7f) {
                b.appendCodePoint(cp);
            } else {
                b.append(String.format("\\u%04x", cp));
            }
        });
        return b.toString();
    }
}
