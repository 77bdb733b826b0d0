package pk.gov.bisp.nser.server.dci;

/**
 * How a household appears in a DCI answer: as the DCI's {@code Group} (or its people as {@code Member}s), made from
 * the household already projected for the caller's role by the native writer ({@code HouseholdWriter}), by
 * {@link RecordStream}: only what that projection wrote is read, so a field the role may not see cannot reach a DCI
 * answer either. Mapped names: the household id (or Basic's pseudonym) to {@code group_identifier} (identifier type
 * {@code HOUSEHOLD_ID} or {@code PSEUDONYM}), {@code pmt_score} to {@code poverty_score} (type {@code PMT}),
 * {@code members} to {@code member_list} (and their number to {@code group_size}); a member's CNIC to
 * {@code member_identifier} (identifier type {@code CNIC}); name, gender, date of birth and age to
 * {@code demographic_info} ({@code name.given_name}, {@code sex}, {@code birth_date}, {@code age}). Every other
 * field keeps its native name and value (the contract lets a registry extend the record). A Member carries its
 * household's {@code group_identifier}.
 */
final class Records {

    static final String GROUP = "Group";
    static final String MEMBER = "Member";

    private Records() {
    }
}
