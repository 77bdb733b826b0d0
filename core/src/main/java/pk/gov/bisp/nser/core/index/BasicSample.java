package pk.gov.bisp.nser.core.index;

/**
 * The fixed 1% sample the Basic role may see: chosen by a hash of the household id (not the ordinal), so the
 * same households are in it on every request and across rebuilds and compactions.
 */
public final class BasicSample {

    public static final String BITMAP = "sample=basic";
    private static final long SALT = 0x9E3779B97F4A7C15L;

    private BasicSample() {
    }

    public static boolean contains(long householdId) {
        long z = householdId + SALT;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return Long.remainderUnsigned(z, 100) == 0;
    }
}
