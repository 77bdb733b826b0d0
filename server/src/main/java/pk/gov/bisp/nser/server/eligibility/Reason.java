package pk.gov.bisp.nser.server.eligibility;

/** Why a CNIC is or is not eligible. */
public enum Reason {
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
}
