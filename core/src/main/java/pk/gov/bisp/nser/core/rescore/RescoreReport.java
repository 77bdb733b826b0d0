package pk.gov.bisp.nser.core.rescore;

/**
 * What a re-scoring did.
 *
 * @param households       households scored
 * @param fromModel        the model that had scored the snapshot ({@code name vN})
 * @param toModel          the new model
 * @param builtColumn      true when the indicator column had to be built from the records first
 * @param buildSeconds     time spent building the column (0 when it was present)
 * @param scoreSeconds     time spent scoring every household from the column
 * @param writeSeconds     time spent rebuilding pmt.rbm, writing scores.bin, and committing (fsyncs included)
 * @param totalSeconds     the whole operation, opening the snapshot included
 * @param cutoff           the cut-off counted, in hundredths
 * @param belowBefore      households under the cut-off before
 * @param belowAfter       households under the cut-off after
 * @param entering         households that crossed below the cut-off (now eligible)
 * @param leaving          households that crossed above it (no longer eligible)
 */
public record RescoreReport(long households, String fromModel, String toModel, boolean builtColumn,
                            double buildSeconds, double scoreSeconds, double writeSeconds, double totalSeconds,
                            int cutoff, long belowBefore, long belowAfter, long entering, long leaving) {
}
