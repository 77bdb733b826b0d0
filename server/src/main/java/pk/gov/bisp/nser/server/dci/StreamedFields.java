package pk.gov.bisp.nser.server.dci;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** The streaming request reader's walk over the fields of one JSON object (SearchRequest, SearchItem). */
final class StreamedFields {

    /** Reads one field, the parser on its value; false when the request is not in the common shape. */
    interface Field {
        boolean read(String name, JsonToken value) throws IOException;
    }

    /** The names a streamed read has seen in one object, one bit each. */
    abstract static class Seen {
        int seen;

        /** False when {@code field} was read before (a duplicate name: left to the tree reader). */
        boolean first(int field) {
            boolean was = (seen & field) != 0;
            seen |= field;
            return !was;
        }
    }

    private StreamedFields() {
    }

    /**
     * Calls {@code field} for each field of the object the parser is in, until its end or the first false (then
     * false).
     */
    static boolean each(JsonParser p, Field field) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (!field.read(name, p.nextToken())) {
                return false;
            }
        }
        return true;
    }

    /** Skips a field the reader does not need (the tree reader ignores it too); true. */
    static boolean skip(JsonParser p) throws IOException {
        p.skipChildren();
        return true;
    }
}
