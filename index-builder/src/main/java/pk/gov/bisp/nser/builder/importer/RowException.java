package pk.gov.bisp.nser.builder.importer;

/** A bad field in one input row; the message names the field and what is wrong. */
public final class RowException extends Exception {

    private static final long serialVersionUID = 1L;

    public RowException(String message) {
        super(message);
    }
}
