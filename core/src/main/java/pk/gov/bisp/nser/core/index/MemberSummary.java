package pk.gov.bisp.nser.core.index;

import java.time.LocalDate;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.schema.Disability;
import pk.gov.bisp.nser.core.schema.Employment;
import pk.gov.bisp.nser.core.schema.Gender;
import pk.gov.bisp.nser.core.schema.MaritalStatus;
import pk.gov.bisp.nser.core.schema.Relationship;
import pk.gov.bisp.nser.core.stats.MemberMeasure;

/** Household-level facts derived from the living members in one pass, ages taken on an as-of date. Reusable. */
public final class MemberSummary {

    public int living;
    /** Bit {@code d.ordinal()} set when a member has disability {@code d} (NONE excluded). */
    public int disabilityMask;
    public boolean elderly;
    public boolean widow;
    public boolean childUnder5;
    /** A child aged 4 to 18 who never attended or dropped out (the annual report's definition). */
    public boolean outOfSchool;
    public boolean employed;
    public boolean chronic;
    public boolean femaleHead;

    public MemberSummary of(HouseholdRecord r, LocalDate asOf) {
        living = 0;
        disabilityMask = 0;
        elderly = widow = childUnder5 = outOfSchool = employed = chronic = femaleHead = false;
        for (int i = 0, n = r.memberCount(); i < n; i++) {
            if (r.deceased(i)) {
                continue;
            }
            living++;
            int age = r.ageOn(i, asOf);
            Disability d = r.disability(i);
            if (d != Disability.NONE) {
                disabilityMask |= 1 << d.ordinal();
            }
            elderly |= age >= 65;
            widow |= r.gender(i) == Gender.FEMALE && r.maritalStatus(i) == MaritalStatus.WIDOWED;
            childUnder5 |= age < 5;
            outOfSchool |= MemberMeasure.OUT_OF_SCHOOL.inBase(age) && MemberMeasure.OUT_OF_SCHOOL.meets(r, i);
            employed |= r.employment(i) == Employment.EMPLOYED;
            chronic |= r.chronicDisease(i);
            femaleHead |= r.relationship(i) == Relationship.HEAD && r.gender(i) == Gender.FEMALE;
        }
        return this;
    }
}
