package pk.gov.bisp.nser.core.record;

/** A record whose bytes do not match {@link RecordLayout}; the message names the field and value. */
public final class CorruptRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message) {
        super(message);
    }
}
