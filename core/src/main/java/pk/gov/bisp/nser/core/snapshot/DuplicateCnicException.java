package pk.gov.bisp.nser.core.snapshot;

import pk.gov.bisp.nser.core.cnic.Cnic;

/** A CNIC/B-Form that already belongs to another household (or appears twice in one). */
public final class DuplicateCnicException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private final long cnic;

    public DuplicateCnicException(long cnic, long householdId, long otherHouseholdId) {
        super("CNIC " + Cnic.format(cnic) + " of household " + householdId + " already belongs to household "
                + otherHouseholdId);
        this.cnic = cnic;
    }

    public long cnic() {
        return cnic;
    }
}
