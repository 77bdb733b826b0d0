package pk.gov.bisp.nser.core.json;

import java.util.List;
import java.util.stream.Collectors;

/** A JSON input with one or more bad fields; {@link #errors()} names each. */
public final class InvalidFieldsException extends Exception {

    private static final long serialVersionUID = 1L;
    private final transient List<FieldError> errors;

    public InvalidFieldsException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid input has at least one bad field");
        }
        this.errors = List.copyOf(errors);
    }

    public InvalidFieldsException(String field, String detail) {
        this(List.of(new FieldError(field, detail)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
