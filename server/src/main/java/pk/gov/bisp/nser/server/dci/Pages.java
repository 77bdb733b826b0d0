package pk.gov.bisp.nser.server.dci;

import java.util.Arrays;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;
import pk.gov.bisp.nser.core.index.PmtIndex;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * A page of a search's hits, as the native list's cursor finds it: the page's first household is found by rank in
 * the hit bitmap ({@link RoaringBitmap#select}, what a native cursor names directly), and the page is read from
 * there, so page 10,000 costs what page 1 costs. Sorted by score, the page's score range is found by bisecting the
 * score index over the hits ({@link Snapshot#pmtBetween}), and only the households of that range are read and
 * ordered (by score, then registry order).
 */
final class Pages {

    private Pages() {
    }

    /**
     * Fills {@code item.total} and {@code item.page} from {@code hits}; {@code sizes} are the households of each
     * size bucket (1 to 12, 12 meaning 12 or more: the household_size index), for a sort on group size.
     */
    static void select(SearchItem item, RoaringBitmap hits, Snapshot s, java.util.function.IntFunction<RoaringBitmap>
            sizes) {
        long card = hits.getLongCardinality();
        item.total = card;
        long skip = (long) (item.pageNumber - 1) * item.pageSize;
        if (skip >= card) {
            item.page = new int[0];
            return;
        }
        int n = (int) Math.min(item.pageSize, card - skip);
        if (item.sort == SearchItem.SortKey.SCORE_ASC || item.sort == SearchItem.SortKey.SCORE_DESC) {
            item.page = byScore(hits, s, skip, n, item.sort == SearchItem.SortKey.SCORE_DESC);
            return;
        }
        if (item.sort == SearchItem.SortKey.SIZE_ASC || item.sort == SearchItem.SortKey.SIZE_DESC) {
            item.page = bySize(hits, skip, n, item.sort == SearchItem.SortKey.SIZE_DESC, sizes);
            return;
        }
        int[] page = new int[n];
        PeekableIntIterator it = hits.getIntIterator();
        it.advanceIfNeeded(hits.select((int) skip));
        for (int i = 0; i < n; i++) {
            page[i] = it.next();
        }
        item.page = page;
    }

    /**
     * Ranks {@code skip} to {@code skip + n - 1} of {@code hits} ordered by household size (then registry order):
     * the size buckets' bitmaps are walked in order, each intersected with the hits, until the page is full.
     */
    private static int[] bySize(RoaringBitmap hits, long skip, int n, boolean desc,
                                java.util.function.IntFunction<RoaringBitmap> sizes) {
        int[] page = new int[n];
        int filled = 0;
        long toSkip = skip;
        int max = pk.gov.bisp.nser.core.index.Dimensions.MAX_SIZE_BUCKET;
        for (int k = 0; k < max && filled < n; k++) {
            RoaringBitmap bucket = RoaringBitmap.and(hits, sizes.apply(desc ? max - k : k + 1));
            long card = bucket.getLongCardinality();
            if (toSkip >= card) {
                toSkip -= card;
                continue;
            }
            PeekableIntIterator it = bucket.getIntIterator();
            it.advanceIfNeeded(bucket.select((int) toSkip));
            toSkip = 0;
            while (it.hasNext() && filled < n) {
                page[filled++] = it.next();
            }
        }
        return filled == n ? page : Arrays.copyOf(page, filled);
    }

    /** Ranks {@code skip} to {@code skip + n - 1} of {@code hits} ordered by score (then registry order). */
    private static int[] byScore(RoaringBitmap hits, Snapshot s, long skip, int n, boolean desc) {
        // lo..hi: the scores the page's households have; before: how many hits come before score lo
        int lo = firstScoreReaching(hits, s, skip + 1, desc);
        int hi = firstScoreReaching(hits, s, skip + n, desc);
        long before = desc ? count(hits, s, lo + 1, PmtIndex.MAX_VALUE) : count(hits, s, 0, lo - 1);
        RoaringBitmap band = desc ? s.pmtBetween(hi, lo, hits) : s.pmtBetween(lo, hi, hits);
        long[] keyed = new long[band.getCardinality()];
        HouseholdRecord r = new HouseholdRecord();
        int k = 0;
        PeekableIntIterator it = band.getIntIterator();
        while (it.hasNext()) {
            int o = it.next();
            int score = s.read(o, r) ? r.pmtHundredths() : 0;
            long key = desc ? PmtIndex.MAX_VALUE - score : score;
            keyed[k++] = key << 32 | o & 0xFFFF_FFFFL;
        }
        Arrays.sort(keyed, 0, k);
        int from = (int) (skip - before);
        int[] page = new int[Math.max(0, Math.min(n, k - from))];
        for (int i = 0; i < page.length; i++) {
            page[i] = (int) keyed[from + i];
        }
        return page;
    }

    /** The score at which the running count of hits (ascending, or descending) first reaches {@code rank}. */
    private static int firstScoreReaching(RoaringBitmap hits, Snapshot s, long rank, boolean desc) {
        int lo = 0;
        int hi = PmtIndex.MAX_VALUE;
        while (lo < hi) {
            if (!desc) {
                int mid = (lo + hi) >>> 1;
                if (count(hits, s, 0, mid) >= rank) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            } else {
                int mid = (lo + hi + 1) >>> 1;
                if (count(hits, s, mid, PmtIndex.MAX_VALUE) >= rank) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
        }
        return lo;
    }

    private static long count(RoaringBitmap hits, Snapshot s, int min, int max) {
        return min > max ? 0 : s.pmtBetween(min, max, hits).getLongCardinality();
    }
}
