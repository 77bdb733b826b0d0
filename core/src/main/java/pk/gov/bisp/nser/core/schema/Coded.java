package pk.gov.bisp.nser.core.schema;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An enum stored by ordinal and named in the API by a stable lower-case key. */
public interface Coded {

    /** The stable key used in JSON, CSV, query parameters and configuration. */
    String key();

    /** The stored code: the ordinal. */
    int ordinal();

    static <E extends Enum<E> & Coded> E byCode(E[] values, int code, String type) {
        if (code < 0 || code >= values.length) {
            throw new IllegalArgumentException(type + " code=" + code + " is out of range 0.." + (values.length - 1));
        }
        return values[code];
    }

    static <E extends Enum<E> & Coded> E byKey(E[] values, String key, String type) {
        for (E e : values) {
            if (e.key().equals(key)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + type + " '" + key + "'; valid: " + keys(values));
    }

    static String keys(Coded[] values) {
        return Arrays.stream(values).map(Coded::key).collect(Collectors.joining(", "));
    }
}
