package pk.gov.bisp.nser.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import pk.gov.bisp.nser.core.json.FieldError;
import pk.gov.bisp.nser.core.text.Printable;

/**
 * Errors as RFC 9457 {@code application/problem+json}: type, title, status, detail. Every error a caller sees
 * goes through here, so none carries a stack trace.
 */
public final class Problem {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://nser.bisp.gov.pk/problems/";
    private static final JsonFactory JSON = new JsonFactory();

    private Problem() {
    }

    /** Sends the problem unless a response was already started. */
    public static void send(RoutingContext ctx, int status, String slug, String title, String detail) {
        Exchange.end(ctx, status, CONTENT_TYPE, body(status, slug, title, detail));
    }

    /** Sends the problem at once (the router's error handlers, see {@link Exchange#endNow}). */
    public static void sendNow(RoutingContext ctx, int status, String slug, String title, String detail) {
        Exchange.endNow(ctx, status, CONTENT_TYPE, body(status, slug, title, detail));
    }

    /**
     * Sends a problem with extension members (RFC 9457, 3.2) that {@code extensions} writes after the standard
     * ones, e.g. the list of invalid fields of a 422.
     */
    public static void send(RoutingContext ctx, int status, String slug, String title, String detail,
                            JsonResponse.Body extensions) {
        Exchange.end(ctx, status, CONTENT_TYPE, body(status, slug, title, detail, extensions));
    }

    public static Buffer body(int status, String slug, String title, String detail) {
        return body(status, slug, title, detail, null);
    }

    /** The body of a 422 naming each bad field: {@code "errors": [{"field", "detail"}]} after the standard members. */
    public static Buffer invalidFields(String title, String detail, java.util.List<FieldError> errors) {
        return body(422, "invalid-fields", title, detail, g -> {
            g.writeArrayFieldStart("errors");
            for (FieldError e : errors) {
                g.writeStartObject();
                g.writeStringField("field", e.field());
                g.writeStringField("detail", e.detail());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private static Buffer body(int status, String slug, String title, String detail, JsonResponse.Body extensions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", TYPE_BASE + slug);
            g.writeStringField("title", title);
            g.writeNumberField("status", status);
            g.writeStringField("detail", detail);
            if (extensions != null) {
                extensions.write(g);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Buffer.buffer(out.toByteArray());
    }

    /** Caller input made safe to quote back in a detail: printable ASCII, at most 64 characters. */
    public static String printable(String s) {
        return Printable.of(s);
    }

    public static void badRequest(RoutingContext ctx, String slug, String detail) {
        send(ctx, 400, slug, "Bad request", detail);
    }

    public static void notFound(RoutingContext ctx, String slug, String detail) {
        send(ctx, 404, slug, "Not found", detail);
    }

    public static void forbidden(RoutingContext ctx, String slug, String detail) {
        send(ctx, 403, slug, "Forbidden", detail);
    }
}
