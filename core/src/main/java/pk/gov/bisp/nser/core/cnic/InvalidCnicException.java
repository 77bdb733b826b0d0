package pk.gov.bisp.nser.core.cnic;

/** A CNIC or B-Form number that is not 13 digits in an accepted written form; the message says what is wrong. */
public final class InvalidCnicException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidCnicException(String message) {
        super(message);
    }
}
