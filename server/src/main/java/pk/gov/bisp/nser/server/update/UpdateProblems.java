package pk.gov.bisp.nser.server.update;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import pk.gov.bisp.nser.core.json.FieldError;
import pk.gov.bisp.nser.server.http.Problem;

/** The problem+json answers of updates, as {@link Outcome}s; 422 lists every bad field. */
final class UpdateProblems {

    private static final JsonFactory JSON = new JsonFactory();

    private UpdateProblems() {
    }

    static Outcome of(int status, String slug, String title, String detail) {
        return new Outcome(status, Problem.CONTENT_TYPE, Problem.body(status, slug, title, detail).getBytes(), -1,
                false);
    }

    static Outcome unavailable(String detail) {
        return of(503, "updates-unavailable", "Service unavailable", detail);
    }

    /** 412, carrying the current version (sent as the ETag). */
    static Outcome stale(long current) {
        Outcome o = of(412, "version-mismatch", "Precondition failed", "the household is at version " + current
                + " (ETag \"" + current + "\"), not the one in If-Match; read it again and retry");
        return new Outcome(o.status(), o.contentType(), o.body(), current, false);
    }

    /** 422 with one entry per bad field. */
    static Outcome invalid(List<FieldError> errors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "https://nser.bisp.gov.pk/problems/invalid-fields");
            g.writeStringField("title", "Unprocessable update");
            g.writeNumberField("status", 422);
            g.writeStringField("detail", errors.size() + (errors.size() == 1 ? " field is" : " fields are")
                    + " invalid: " + errors.get(0));
            g.writeArrayFieldStart("errors");
            for (FieldError e : errors) {
                g.writeStartObject();
                g.writeStringField("field", e.field());
                g.writeStringField("detail", e.detail());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Outcome(422, Problem.CONTENT_TYPE, out.toByteArray(), -1, false);
    }
}
