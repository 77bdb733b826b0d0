package pk.gov.bisp.nser.core.schema;

import java.time.LocalDate;
import java.time.Period;
import java.util.Objects;

/**
 * One member of a household roster.
 *
 * @param cnic          13-digit CNIC or B-Form as a long, 0 when the member has none
 * @param name          full name
 * @param guardianName  father's name, or husband's name for a married woman
 */
public record Member(long cnic, String name, String guardianName, Gender gender, LocalDate dateOfBirth,
                     Relationship relationship, MaritalStatus maritalStatus, Disability disability,
                     EducationLevel education, boolean literate, SchoolStatus schoolStatus,
                     Employment employment, boolean chronicDisease, boolean deceased) {

    public Member {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(guardianName, "guardianName");
        Objects.requireNonNull(gender, "gender");
        Objects.requireNonNull(dateOfBirth, "dateOfBirth");
        Objects.requireNonNull(relationship, "relationship");
        Objects.requireNonNull(maritalStatus, "maritalStatus");
        Objects.requireNonNull(disability, "disability");
        Objects.requireNonNull(education, "education");
        Objects.requireNonNull(schoolStatus, "schoolStatus");
        Objects.requireNonNull(employment, "employment");
    }

    /** Age in whole years on {@code date}. */
    public int ageOn(LocalDate date) {
        return Period.between(dateOfBirth, date).getYears();
    }

    public boolean everMarried() {
        return maritalStatus != MaritalStatus.NEVER_MARRIED;
    }
}
