package pk.gov.bisp.nser.core.snapshot;

import java.nio.ByteBuffer;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.scoring.PmtModel;

/**
 * Deep verification of the PMT files, one record at a time: the indicator column's row equals the one the
 * record gives, and a score the snapshot says its model computed ({@code scores.bin}, or a record carrying the
 * model's version) is the score that model gives the record. The column describes the files: a household
 * changed by a live update is checked against its record only. One per verification; not thread-safe.
 */
final class PmtCheck {

    private final Snapshot snapshot;
    private final PmtIndicatorColumn column;
    private final PmtModel model;
    private final String scoreFile;
    private final PmtInputs inputs = new PmtInputs();
    private final ByteBuffer row = PmtIndicatorColumn.rowBuffer();

    PmtCheck(Snapshot s) {
        this.snapshot = s;
        this.column = s.pmtIndicators();
        this.model = s.pmtModel();
        this.scoreFile = s.scores() != null ? SnapshotFiles.SCORES : SnapshotFiles.HOUSEHOLDS;
    }

    /** The problem with ordinal {@code k} (record {@code r} as the snapshot serves it), or null. */
    String check(int k, HouseholdRecord r) {
        inputs.read(r);
        if (inputs.province < 1 || inputs.province > 7) {
            return SnapshotFiles.HOUSEHOLDS + ": ordinal " + k + ": union council " + r.unionCouncil()
                    + " is in no province, so it cannot be scored";
        }
        if (column != null && !snapshot.updated(k)) { // a live update's household is scored from its record
            try {
                column.check(k);
            } catch (IllegalArgumentException e) {
                return SnapshotFiles.PMT_INDICATORS + ": ordinal " + k + ": " + e.getMessage();
            }
            if (!column.matches(k, inputs, row)) {
                return SnapshotFiles.PMT_INDICATORS + ": ordinal " + k + ": the row differs from the record's "
                        + "indicators";
            }
        }
        if (model != null && r.pmtModelVersion() == model.version()) {
            int expected = model.scoreHundredths(inputs);
            if (r.pmtHundredths() != expected) {
                return scoreFile + ": ordinal " + k + ": score " + r.pmtHundredths() + " but model "
                        + model.name() + " v" + model.version() + " gives " + expected;
            }
        }
        return null;
    }
}
