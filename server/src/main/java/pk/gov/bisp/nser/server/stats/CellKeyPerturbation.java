package pk.gov.bisp.nser.server.stats;

/**
 * The cell-key perturbation method (ABS TableBuilder, ONS) that every count {@code /v1/stats} and
 * {@code /v1/stats/what-if} publish goes through.
 * <p>
 * Each household carries a fixed record key 0..255 ({@link RecordKeys}). A cell's key is the sum of the record
 * keys of what it counts, mod 256: for a household count each household once, for a member count each household
 * once per member counted (so a member count's key is the sum of count-of-members-times-key). The published
 * value is the true count plus the noise that the perturbation table (ptable) holds at the row of the count
 * (capped at 3) and the column of the cell key: a function of the cell's contents only, so the same households
 * give the same answer through any query, and two cells that differ by even one household draw their noise
 * independently, so differencing them yields the difference plus noise, not a person. A total is a cell of its
 * own (its key the sum of its parts' keys), perturbed by the same rule, so a total minus its published parts is
 * noise too. Suppression under k ({@link StatsTable}) then looks only at the perturbed values.
 * <p>
 * The ptable: how many of the 256 columns of each row hold each noise value, -3..+3. Every row has mean 0;
 * no count becomes negative and zero stays zero.
 * <pre>
 *  true count   -3   -2   -1    0   +1   +2   +3   variance
 *  0             .    .    .  256    .    .    .   0
 *  1             .    .   64  128   64    .    .   0.5
 *  2             .   36   55   74   55   36    .   1.55
 *  3 or more    16   32   48   64   48   32   16   2.5
 * </pre>
 * In each row the columns hold their values in a fixed shuffled order ({@link #ORDER}), the same for every row,
 * so that cell keys close together draw unrelated noise. For two cells of 3 or more that differ, the noise of
 * their difference is exactly 0 with probability {@code sum p(n)^2 = 44/256 = 0.17}: a differencing attacker who
 * takes the difference for the truth is right that often, and that is the chance level
 * {@code StatsDifferencingAttackTest} holds every attack to.
 */
public final class CellKeyPerturbation {

    /** Record and cell keys are 0..{@code KEY_RANGE - 1}. */
    public static final int KEY_RANGE = 256;
    /** The largest noise, in either direction. */
    public static final int MAX_NOISE = 3;
    /** Columns per noise value -3..+3 (row i for a true count of i; the last row for every larger count). */
    private static final int[][] COLUMNS = {
            {0, 0, 0, 256, 0, 0, 0},
            {0, 0, 64, 128, 64, 0, 0},
            {0, 36, 55, 74, 55, 36, 0},
            {16, 32, 48, 64, 48, 32, 16}};
    /** The column order: a Fisher-Yates shuffle of 0..255 driven by SplitMix64 from seed 23. */
    private static final int[] ORDER = shuffle(23);
    private static final byte[][] PTABLE = ptable();

    private CellKeyPerturbation() {
    }

    /** The published value of a cell of {@code count} with cell key {@code cellKey} (taken mod 256). */
    public static long perturb(long count, int cellKey) {
        return count + PTABLE[row(count)][cellKey & (KEY_RANGE - 1)];
    }

    /** The probability of {@code noise} for a true count of {@code count} over uniform cell keys. */
    public static double probability(long count, int noise) {
        if (noise < -MAX_NOISE || noise > MAX_NOISE) {
            return 0;
        }
        return COLUMNS[row(count)][noise + MAX_NOISE] / (double) KEY_RANGE;
    }

    private static int row(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("a count of " + count);
        }
        return (int) Math.min(count, COLUMNS.length - 1);
    }

    private static byte[][] ptable() {
        byte[][] t = new byte[COLUMNS.length][KEY_RANGE];
        for (int r = 0; r < COLUMNS.length; r++) {
            byte[] sorted = new byte[KEY_RANGE];
            int at = 0;
            for (int v = 0; v < COLUMNS[r].length; v++) {
                for (int i = 0; i < COLUMNS[r][v]; i++) {
                    sorted[at++] = (byte) (v - MAX_NOISE);
                }
            }
            if (at != KEY_RANGE) {
                throw new AssertionError("ptable row " + r + " has " + at + " columns");
            }
            for (int c = 0; c < KEY_RANGE; c++) {
                t[r][c] = sorted[ORDER[c]];
            }
        }
        return t;
    }

    private static int[] shuffle(long seed) {
        int[] order = new int[KEY_RANGE];
        for (int i = 0; i < KEY_RANGE; i++) {
            order[i] = i;
        }
        long state = seed;
        for (int i = KEY_RANGE - 1; i > 0; i--) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            int j = (int) Long.remainderUnsigned(z, i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
