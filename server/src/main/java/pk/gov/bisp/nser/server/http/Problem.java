package pk.gov.bisp.nser.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    public static void send(HttpServerResponse res, int status, String slug, String title, String detail) {
        if (res.headWritten() || res.ended() || res.closed()) {
            return;
        }
        res.setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).putHeader("Cache-Control", "no-store")
                .end(body(status, slug, title, detail));
    }

    public static Buffer body(int status, String slug, String title, String detail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", TYPE_BASE + slug);
            g.writeStringField("title", title);
            g.writeNumberField("status", status);
            g.writeStringField("detail", detail);
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

    public static void badRequest(HttpServerResponse res, String slug, String detail) {
        send(res, 400, slug, "Bad request", detail);
    }

    public static void notFound(HttpServerResponse res, String slug, String detail) {
        send(res, 404, slug, "Not found", detail);
    }

    public static void forbidden(HttpServerResponse res, String slug, String detail) {
        send(res, 403, slug, "Forbidden", detail);
    }
}
