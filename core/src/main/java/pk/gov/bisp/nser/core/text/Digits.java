package pk.gov.bisp.nser.core.text;

/** Decimal digits read straight from text, for the fixed-width fields of CNICs and ISO dates. */
public final class Digits {

    private Digits() {
    }

    /**
     * {@code acc} followed by the digits of {@code s} from {@code from} to {@code to} (exclusive), as one number; -1
     * when one of them is not an ASCII digit.
     */
    public static long read(CharSequence s, int from, int to, long acc) {
        long v = acc;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
