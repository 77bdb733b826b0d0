package pk.gov.bisp.nser.server.eligibility;

/**
 * Why a CNIC is or is not eligible. The detailed reasons name personal attributes (a widow, an elderly or disabled
 * member); only callers who may see those attributes (Power) are told them. Everyone else gets the {@link #coarse}
 * reason: {@link #ELIGIBLE}, {@link #NOT_ELIGIBLE}, {@link #NOT_FOUND} or {@link #INVALID_CNIC}.
 */
public enum Reason {
    ELIGIBLE(true),
    NOT_ELIGIBLE(false),
    BELOW_CUTOFF(true),
    BELOW_DISABILITY_CUTOFF(true),
    ABOVE_CUTOFF(false),
    VULNERABLE_WIDOW(true),
    VULNERABLE_ELDERLY(true),
    VULNERABLE_SMALL_HOUSEHOLD(true),
    NOT_VULNERABLE(false),
    ABOVE_THRESHOLD(false),
    NOT_FOUND(false),
    INVALID_CNIC(false);

    private final boolean eligible;

    Reason(boolean eligible) {
        this.eligible = eligible;
    }

    public boolean eligible() {
        return eligible;
    }

    /** The reason without the attribute behind it: eligible or not, or the CNIC not found or invalid. */
    public Reason coarse() {
        if (this == NOT_FOUND || this == INVALID_CNIC) {
            return this;
        }
        return eligible ? ELIGIBLE : NOT_ELIGIBLE;
    }
}
