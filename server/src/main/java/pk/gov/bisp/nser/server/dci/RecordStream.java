package pk.gov.bisp.nser.server.dci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Records}' mapping, streamed: the household the role's native projection wrote is read token by token and
 * the DCI {@code Group} (or its {@code Member}s) written as it goes, with no tree in between; the answer embeds
 * the result as it is. The names and values are {@link Records}' (its Javadoc says which), so only what the
 * projection wrote can reach a DCI answer. One instance per event loop: its buffers are reused.
 */
final class RecordStream {

    private static final JsonFactory JSON = new JsonFactory();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(8_192);
    /** Set by {@link #members}: the index of the member marked searched, or -1. */
    int searched;

    /** The household in {@code a[off, off + len)} (native projection) as a Group's JSON text. */
    String group(byte[] a, int off, int len) {
        out.reset();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            group(g, a, off, len);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The household in {@code a[off, off + len)} (native projection) as a Group, written to {@code g}. */
    void group(JsonGenerator g, byte[] a, int off, int len) throws IOException {
        try (JsonParser p = JSON.createParser(a, off, len)) {
            p.nextToken();
            g.writeStartObject();
            g.writeStringField("@type", Records.GROUP);
            int members = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "household_id", "id" -> {
                        if (t != JsonToken.VALUE_NULL) {
                            identifier(g, "group_identifier", name.equals("id") ? "PSEUDONYM" : "HOUSEHOLD_ID",
                                    p.getText());
                        }
                    }
                    case "pmt_score" -> {
                        if (t != JsonToken.VALUE_NULL) {
                            g.writeFieldName("poverty_score");
                            g.copyCurrentEvent(p);
                            g.writeStringField("poverty_score_type", "PMT");
                        }
                    }
                    case "members" -> {
                        g.writeArrayFieldStart("member_list");
                        members = 0;
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            member(p, g, null, null);
                            members++;
                        }
                        g.writeEndArray();
                    }
                    case "name" -> { // Basic's lookup: the searched person's name, not the roster
                        if (t != JsonToken.VALUE_NULL) {
                            g.writeArrayFieldStart("member_list");
                            person(g, p.getText(), null, null);
                            g.writeEndArray();
                        }
                    }
                    default -> {
                        g.writeFieldName(name);
                        g.copyCurrentStructure(p);
                    }
                }
            }
            if (members >= 0) {
                g.writeNumberField("group_size", members);
            }
            g.writeEndObject();
        }
    }

    /**
     * The people of the household in {@code a[off, off + len)} as Member JSON texts, each with the household's
     * identifier; {@link #searched} tells which was looked up. A projection without members (Basic's lookup) gives
     * one Member, the searched person, by name.
     */
    List<String> members(byte[] a, int off, int len) {
        List<String> list = new ArrayList<>();
        searched = -1;
        String idType = null;
        String id = null;
        try (JsonParser p = JSON.createParser(a, off, len)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "household_id", "id" -> {
                        if (t != JsonToken.VALUE_NULL) {
                            idType = name.equals("id") ? "PSEUDONYM" : "HOUSEHOLD_ID";
                            id = p.getText();
                        }
                    }
                    case "members" -> {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            out.reset();
                            try (JsonGenerator g = JSON.createGenerator(out)) {
                                if (member(p, g, idType, id)) {
                                    searched = list.size();
                                }
                            }
                            list.add(out.toString(StandardCharsets.UTF_8));
                        }
                    }
                    case "name" -> {
                        out.reset();
                        try (JsonGenerator g = JSON.createGenerator(out)) {
                            person(g, t == JsonToken.VALUE_NULL ? null : p.getText(), idType, id);
                        }
                        list.add(out.toString(StandardCharsets.UTF_8));
                        searched = list.size() - 1;
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return list;
    }

    private static void identifier(JsonGenerator g, String field, String type, String value) throws IOException {
        g.writeArrayFieldStart(field);
        g.writeStartObject();
        g.writeStringField("@type", "Identifier");
        g.writeStringField("identifier_type", type);
        g.writeStringField("identifier_value", value);
        g.writeEndObject();
        g.writeEndArray();
    }

    /** Opens a Member object: its type, and the household's identifier when there is one. */
    private static void startMember(JsonGenerator g, String idType, String id) throws IOException {
        g.writeStartObject();
        g.writeStringField("@type", Records.MEMBER);
        if (id != null) {
            identifier(g, "group_identifier", idType, id);
        }
    }

    /** A Member of only a name (Basic's lookup). */
    private static void person(JsonGenerator g, String name, String idType, String id) throws IOException {
        startMember(g, idType, id);
        g.writeObjectFieldStart("demographic_info");
        g.writeStringField("@type", "SRPerson");
        if (name != null) {
            g.writeObjectFieldStart("name");
            g.writeStringField("@type", "Name");
            g.writeStringField("given_name", name);
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** One native member object (the parser on its start) as a Member; true when it is the searched one. */
    private static boolean member(JsonParser p, JsonGenerator g, String idType, String id) throws IOException {
        startMember(g, idType, id);
        String name = null;
        String gender = null;
        String dob = null;
        String age = null;
        boolean searched = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            boolean isNull = t == JsonToken.VALUE_NULL;
            switch (f) {
                case "cnic" -> {
                    if (!isNull) {
                        identifier(g, "member_identifier", "CNIC", p.getText());
                    }
                }
                case "name" -> name = isNull ? null : p.getText();
                case "gender" -> gender = isNull ? null : p.getText();
                case "date_of_birth" -> dob = isNull ? null : p.getText();
                case "age" -> age = isNull ? null : p.getText();
                default -> {
                    if (f.equals("searched")) {
                        searched = t == JsonToken.VALUE_TRUE;
                    }
                    g.writeFieldName(f);
                    g.copyCurrentStructure(p);
                }
            }
        }
        g.writeObjectFieldStart("demographic_info");
        g.writeStringField("@type", "SRPerson");
        if (name != null) {
            g.writeObjectFieldStart("name");
            g.writeStringField("@type", "Name");
            g.writeStringField("given_name", name);
            g.writeEndObject();
        }
        if (gender != null) {
            g.writeStringField("sex", gender);
        }
        if (dob != null) {
            g.writeStringField("birth_date", dob);
        }
        if (age != null) {
            g.writeFieldName("age");
            g.writeNumber(age);
        }
        g.writeEndObject();
        g.writeEndObject();
        return searched;
    }
}
