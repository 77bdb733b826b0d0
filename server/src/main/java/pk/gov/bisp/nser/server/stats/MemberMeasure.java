package pk.gov.bisp.nser.server.stats;

import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Employment;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.schema.SchoolStatus;

/**
 * Member-level measures with the annual report's definitions, ages taken on the survey date: each counts, among
 * living members of a base population (optionally of one gender), those who meet it.
 */
enum MemberMeasure {
    /** Members aged 10+ (base) who can read and write (count). */
    LITERACY("literacy"),
    /** Children aged 4-18 (base) who never attended school or dropped out (count). */
    OUT_OF_SCHOOL("out_of_school"),
    /** Members aged 14-60, the workforce (base), who are employed (count). */
    EMPLOYMENT("employment");

    final String key;

    MemberMeasure(String key) {
        this.key = key;
    }

    static MemberMeasure ofKey(String key) {
        for (MemberMeasure m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        return null;
    }

    /** Adds the household's members to {@code acc}: [base, count]. {@code gender} null = every gender. */
    void add(HouseholdRecord r, Gender gender, long[] acc) {
        java.time.LocalDate on = r.surveyDate();
        for (int i = 0, n = r.memberCount(); i < n; i++) {
            if (r.deceased(i) || gender != null && r.gender(i) != gender) {
                continue;
            }
            int age = r.ageOn(i, on);
            switch (this) {
                case LITERACY -> {
                    if (age >= 10) {
                        acc[0]++;
                        acc[1] += r.literate(i) ? 1 : 0;
                    }
                }
                case OUT_OF_SCHOOL -> {
                    if (age >= 4 && age <= 18) {
                        acc[0]++;
                        SchoolStatus s = r.schoolStatus(i);
                        acc[1] += s == SchoolStatus.DROPPED_OUT || s == SchoolStatus.NEVER_ATTENDED ? 1 : 0;
                    }
                }
                default -> {
                    if (age >= 14 && age <= 60) {
                        acc[0]++;
                        acc[1] += r.employment(i) == Employment.EMPLOYED ? 1 : 0;
                    }
                }
            }
        }
    }
}
