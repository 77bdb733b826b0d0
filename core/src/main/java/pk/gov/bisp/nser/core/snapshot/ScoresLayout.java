package pk.gov.bisp.nser.core.snapshot;

/**
 * Layout of {@code scores.bin}, version {@value #VERSION}: the PMT score of every household as computed by a
 * re-scoring, one u16 per ordinal. When a snapshot has it, it overrides the score stored in each record.
 * <pre>
 *  0   FileHeader: magic "NSERSCOR", version (u32), reserved
 * 16   u64 row count n (= households)
 * 24   u16 model version (= manifest pmt_model.version)   26  u16 reserved (0)   28  u32 reserved (0)
 * 32   n x u16 score in hundredths (0..10000); entry k belongs to ordinal k, at 32 + 2 k
 * </pre>
 */
public final class ScoresLayout {

    public static final String MAGIC = "NSERSCOR";
    public static final int VERSION = 1;
    public static final int COUNT_OFFSET = 16;
    public static final int MODEL_VERSION_OFFSET = 24;
    public static final int SCORES_OFFSET = 32;
    public static final int ENTRY_SIZE = 2;
    public static final int MAX_SCORE = 10_000;

    private ScoresLayout() {
    }

    /** File offset of ordinal {@code k}'s score. */
    public static long entryOffset(long k) {
        return SCORES_OFFSET + k * ENTRY_SIZE;
    }

    public static void checkScore(long ordinal, int hundredths) {
        if (hundredths < 0 || hundredths > MAX_SCORE) {
            throw new IllegalArgumentException("ordinal=" + ordinal + " score=" + hundredths + " must be 0.."
                    + MAX_SCORE);
        }
    }
}
