package pk.gov.bisp.nser.builder.importer;

/**
 * Sorts two parallel {@code long} arrays by (a, b) without boxing: a quicksort with a median-of-three pivot that
 * recurses into the smaller side, and insertion sort for short ranges. Used on each run of ids before it is
 * spilled (the JDK sorts one primitive array, not pairs).
 */
final class PairSort {

    private static final int SMALL = 24;

    private PairSort() {
    }

    static void sort(long[] a, long[] b, int n) {
        sort(a, b, 0, n - 1);
    }

    private static void sort(long[] a, long[] b, int lo, int hi) {
        while (hi - lo > SMALL) {
            int mid = (lo + hi) >>> 1;
            if (less(a, b, mid, lo)) {
                swap(a, b, mid, lo);
            }
            if (less(a, b, hi, lo)) {
                swap(a, b, hi, lo);
            }
            if (less(a, b, hi, mid)) {
                swap(a, b, hi, mid);
            }
            long pa = a[mid];
            long pb = b[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pa || a[i] == pa && b[i] < pb) {
                    i++;
                }
                while (a[j] > pa || a[j] == pa && b[j] > pb) {
                    j--;
                }
                if (i <= j) {
                    swap(a, b, i++, j--);
                }
            }
            if (j - lo < hi - i) {
                sort(a, b, lo, j);
                lo = i;
            } else {
                sort(a, b, i, hi);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            for (int j = i; j > lo && less(a, b, j, j - 1); j--) {
                swap(a, b, j, j - 1);
            }
        }
    }

    private static boolean less(long[] a, long[] b, int i, int j) {
        return a[i] < a[j] || a[i] == a[j] && b[i] < b[j];
    }

    private static void swap(long[] a, long[] b, int i, int j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
        t = b[i];
        b[i] = b[j];
        b[j] = t;
    }
}
