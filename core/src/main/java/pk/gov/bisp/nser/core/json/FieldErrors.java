package pk.gov.bisp.nser.core.json;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the bad fields of one input: each field is read through {@link #read}, which records a failure and
 * returns a fallback, so parsing goes on and names every problem. Fields are named under a prefix
 * (e.g. {@code members[2].}).
 */
public final class FieldErrors {

    /** Reads one field; throws {@link Bad} naming the field (relative to the current prefix). */
    @FunctionalInterface
    public interface Reader<T> {
        T read() throws Bad;
    }

    /** A bad field, thrown by a {@link Reader}. */
    public static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        public Bad(String field, String detail) {
            super(detail, null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    private final List<FieldError> errors;
    private final String prefix;

    public FieldErrors() {
        this(new ArrayList<>(), "");
    }

    private FieldErrors(List<FieldError> errors, String prefix) {
        this.errors = errors;
        this.prefix = prefix;
    }

    /** The same collector naming fields under {@code prefix} (appended to this one's). */
    public FieldErrors under(String prefix) {
        return new FieldErrors(errors, this.prefix + prefix);
    }

    /** The field's value, or {@code fallback} after recording why it is bad. */
    public <T> T read(Reader<T> reader, T fallback) {
        try {
            return reader.read();
        } catch (Bad b) {
            add(b.field(), b.getMessage());
            return fallback;
        }
    }

    public void add(String field, String detail) {
        errors.add(new FieldError(prefix + field, detail));
    }

    public boolean any() {
        return !errors.isEmpty();
    }

    public List<FieldError> list() {
        return List.copyOf(errors);
    }

    /** Throws when any field was bad. */
    public void throwIfAny() throws InvalidFieldsException {
        if (any()) {
            throw new InvalidFieldsException(errors);
        }
    }
}
