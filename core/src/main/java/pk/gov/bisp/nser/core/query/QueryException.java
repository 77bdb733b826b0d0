package pk.gov.bisp.nser.core.query;

/** A filter that cannot be understood; the message names it and lists what is valid. */
public final class QueryException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public QueryException(String message) {
        super(message);
    }
}
