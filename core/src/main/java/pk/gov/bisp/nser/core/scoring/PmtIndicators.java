package pk.gov.bisp.nser.core.scoring;

import pk.gov.bisp.nser.core.record.HouseholdRecord;

/** Reads the PMT indicator values of one household record; ages are taken on the survey date. */
public final class PmtIndicators {

    private PmtIndicators() {
    }

    /**
     * Fills {@code out} (length = number of indicators) with the values for {@code r}: those of
     * {@link PmtInputs#read} then {@link PmtInputs#indicators()}.
     */
    public static void compute(HouseholdRecord r, double[] out) {
        double[] v = new PmtInputs().read(r).indicators();
        System.arraycopy(v, 0, out, 0, v.length);
    }
}
