package pk.gov.bisp.nser.server.dci;

/**
 * A DCI request or one of its search criteria refused, with the contract's reason code (a header code such as
 * {@code rjct.action.invalid}, or an item code such as {@code rjct.search_criteria.invalid}) and a message naming
 * the problem. Thrown while a request is read and compiled, caught where the answer is written.
 */
final class Rejection extends RuntimeException {

    private final String code;

    Rejection(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }

    /** {@code rjct.search_criteria.invalid}: an unknown attribute, operator or value. */
    static Rejection criteria(String message) {
        return new Rejection(Codes.CRITERIA, message);
    }
}
