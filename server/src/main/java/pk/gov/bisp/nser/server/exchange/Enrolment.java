package pk.gov.bisp.nser.server.exchange;

import java.time.LocalDate;
import java.util.List;

/**
 * A partner programme's word about one household: enrolled, exited or graduated, as of a date.
 *
 * @param householdId the NSER household id (resolved from a CNIC at the post)
 * @param cnic        the CNIC the partner named, or -1 when it named the household id
 */
public record Enrolment(long householdId, long cnic, String programme, String status, LocalDate date) {

    public static final String ENROLLED = "enrolled";
    public static final List<String> STATUSES = List.of(ENROLLED, "exited", "graduated");

    public boolean enrolled() {
        return ENROLLED.equals(status);
    }
}
