package pk.gov.bisp.nser.server.eligibility;

import pk.gov.bisp.nser.core.index.MemberSummary;
import pk.gov.bisp.nser.core.record.HouseholdRecord;

/** A programme's eligibility rule over one household record and its member summary. */
public interface ProgrammeRule {

    Reason decide(HouseholdRecord r, MemberSummary s);

    /** The main cash transfer: PMT below the cut-off, or below a higher one with a disabled member. */
    record PmtCutoff(int cutoffHundredths, int disabledCutoffHundredths) implements ProgrammeRule {
        @Override
        public Reason decide(HouseholdRecord r, MemberSummary s) {
            int score = r.pmtHundredths();
            if (score < cutoffHundredths) {
                return Reason.BELOW_CUTOFF;
            }
            if (s.disabilityMask != 0 && score < disabledCutoffHundredths) {
                return Reason.BELOW_DISABILITY_CUTOFF;
            }
            return Reason.ABOVE_CUTOFF;
        }
    }

    /**
     * A subsidy for vulnerable households (the dynamic registry's vulnerability filters): PMT below a threshold
     * and at least one of: a widow, a member aged 65+, a household of at most {@code maxSmallHousehold}.
     */
    record Vulnerability(int belowHundredths, boolean widow, boolean elderly, int maxSmallHousehold)
            implements ProgrammeRule {
        @Override
        public Reason decide(HouseholdRecord r, MemberSummary s) {
            if (r.pmtHundredths() >= belowHundredths) {
                return Reason.ABOVE_THRESHOLD;
            }
            if (widow && s.widow) {
                return Reason.VULNERABLE_WIDOW;
            }
            if (elderly && s.elderly) {
                return Reason.VULNERABLE_ELDERLY;
            }
            if (maxSmallHousehold > 0 && s.living <= maxSmallHousehold) {
                return Reason.VULNERABLE_SMALL_HOUSEHOLD;
            }
            return Reason.NOT_VULNERABLE;
        }
    }
}
