package pk.gov.bisp.nser.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import pk.gov.bisp.nser.core.schema.Coded;

/**
 * Field writes with pre-encoded names and values: constant strings (field names, enum keys) are encoded to
 * UTF-8 once, so the hot path copies bytes instead of escaping characters.
 */
public final class Json {

    private Json() {
    }

    public static SerializedString name(String s) {
        return new SerializedString(s);
    }

    /** Pre-encoded keys of an enum, indexed by ordinal. */
    public static SerializedString[] keys(Coded[] values) {
        SerializedString[] out = new SerializedString[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = new SerializedString(values[i].key());
        }
        return out;
    }

    public static void string(JsonGenerator g, SerializableString field, String value) throws IOException {
        g.writeFieldName(field);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value);
        }
    }

    public static void string(JsonGenerator g, SerializableString field, SerializableString value)
            throws IOException {
        g.writeFieldName(field);
        g.writeString(value);
    }

    public static void number(JsonGenerator g, SerializableString field, long value) throws IOException {
        g.writeFieldName(field);
        g.writeNumber(value);
    }

    public static void bool(JsonGenerator g, SerializableString field, boolean value) throws IOException {
        g.writeFieldName(field);
        g.writeBoolean(value);
    }

    public static void object(JsonGenerator g, SerializableString field) throws IOException {
        g.writeFieldName(field);
        g.writeStartObject();
    }

    public static void array(JsonGenerator g, SerializableString field) throws IOException {
        g.writeFieldName(field);
        g.writeStartArray();
    }
}
