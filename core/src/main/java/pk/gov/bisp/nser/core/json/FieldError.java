package pk.gov.bisp.nser.core.json;

/**
 * One bad field of a JSON input.
 *
 * @param field  its path, e.g. {@code members[2].date_of_birth}
 * @param detail what is wrong, e.g. {@code '2030-01-01' is outside 1900-01-01..2079-06-06}
 */
public record FieldError(String field, String detail) {

    @Override
    public String toString() {
        return field + ": " + detail;
    }
}
