package pk.gov.bisp.nser.core.rescore;

import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.scoring.PmtInputs;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.PmtIndicatorColumn;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/**
 * Scores households by ordinal with one model: from the indicator column (no record read), or from the record
 * when the household was changed by a live update since the snapshot was built, or when there is no column.
 * After {@link #score}, {@link #fromRecord()} says which, and {@link #record()} holds the record read. One per
 * thread.
 */
public final class OrdinalScorer {

    private final Snapshot snapshot;
    private final PmtIndicatorColumn column;
    private final PmtModel model;
    private final PmtInputs inputs = new PmtInputs();
    private final HouseholdRecord record = new HouseholdRecord();
    private boolean fromRecord;

    /** A scorer over {@code column} (null: read every record). */
    public OrdinalScorer(Snapshot snapshot, PmtIndicatorColumn column, PmtModel model) {
        this.snapshot = snapshot;
        this.column = column;
        this.model = model;
    }

    /** A scorer over the snapshot's own indicator column, if it has one. */
    public OrdinalScorer(Snapshot snapshot, PmtModel model) {
        this(snapshot, snapshot.pmtIndicators(), model);
    }

    /** The model's score (hundredths) of household {@code ordinal}. */
    public int score(int ordinal) {
        if (column == null || snapshot.updated(ordinal)) {
            return scoreFromRecord(ordinal);
        }
        fromRecord = false;
        column.read(ordinal, inputs);
        return model.scoreHundredths(inputs);
    }

    /** The model's score of household {@code ordinal} from its record as served, which {@link #record()} holds. */
    public int scoreFromRecord(int ordinal) {
        fromRecord = true;
        if (!snapshot.read(ordinal, record)) {
            throw new IllegalStateException("no household at ordinal " + ordinal);
        }
        return model.scoreHundredths(record, inputs);
    }

    /** True when the last {@link #score} read the record (which {@link #record()} then holds, as served). */
    public boolean fromRecord() {
        return fromRecord;
    }

    public HouseholdRecord record() {
        return record;
    }
}
