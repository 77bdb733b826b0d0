package pk.gov.bisp.nser.core.stats;

import java.time.LocalDate;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Employment;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.schema.SchoolStatus;

/**
 * The annual report's member-level measures, the one place their definitions live: each has a base population
 * by age and a condition that counts among it. The region table, the out-of-school bitmap and the statistics
 * endpoint all use these.
 */
public enum MemberMeasure {
    /** Members aged 10+ (base) who can read and write (count). */
    LITERACY("literacy", 10, Integer.MAX_VALUE),
    /** Children aged 4-18 (base) who never attended school or dropped out (count). */
    OUT_OF_SCHOOL("out_of_school", 4, 18),
    /** Members aged 14-60, the workforce (base), who are employed (count). */
    EMPLOYMENT("employment", 14, 60);

    private final String key;
    private final int minAge;
    private final int maxAge;

    MemberMeasure(String key, int minAge, int maxAge) {
        this.key = key;
        this.minAge = minAge;
        this.maxAge = maxAge;
    }

    public String key() {
        return key;
    }

    /** The measure with this key, or null. */
    public static MemberMeasure ofKey(String key) {
        for (MemberMeasure m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        return null;
    }

    /** True when a member of this age belongs to the measure's base population. */
    public boolean inBase(int age) {
        return age >= minAge && age <= maxAge;
    }

    /** True when member {@code i} meets the measure (literate, out of school, employed). */
    public boolean meets(HouseholdRecord r, int i) {
        return switch (this) {
            case LITERACY -> r.literate(i);
            case OUT_OF_SCHOOL -> {
                SchoolStatus s = r.schoolStatus(i);
                yield s == SchoolStatus.DROPPED_OUT || s == SchoolStatus.NEVER_ATTENDED;
            }
            case EMPLOYMENT -> r.employment(i) == Employment.EMPLOYED;
        };
    }

    /**
     * Adds the household's living members, ages taken on the survey date, to {@code acc}: [base, count].
     * {@code gender} null = every gender.
     */
    public void add(HouseholdRecord r, Gender gender, long[] acc) {
        LocalDate on = r.surveyDate();
        for (int i = 0, n = r.memberCount(); i < n; i++) {
            if (r.deceased(i) || gender != null && r.gender(i) != gender) {
                continue;
            }
            if (inBase(r.ageOn(i, on))) {
                acc[0]++;
                acc[1] += meets(r, i) ? 1 : 0;
            }
        }
    }
}
