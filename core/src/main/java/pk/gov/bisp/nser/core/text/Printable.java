package pk.gov.bisp.nser.core.text;

/** Caller input made safe to quote back in an error message. */
public final class Printable {

    private static final int MAX = 64;

    private Printable() {
    }

    /** Printable ASCII only (anything else becomes '?'), at most 64 characters then "...". */
    public static String of(String s) {
        if (s == null) {
            return "";
        }
        String t = s.length() > MAX ? s.substring(0, MAX) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
