package pk.gov.bisp.nser.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;

/**
 * Writes JSON with Jackson's streaming generator into a buffer reused by one event loop (an instance per
 * verticle), then sends it: no tree, no reflection.
 */
public final class JsonResponse {

    /** What to write. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static final JsonFactory JSON = new JsonFactory();
    private final ByteArrayBuilder buf = new ByteArrayBuilder(4_096);

    public void send(RoutingContext ctx, int status, Body body) {
        buf.reset();
        try (JsonGenerator g = JSON.createGenerator(buf)) {
            body.write(g);
        } catch (IOException e) {
            Problem.send(ctx, 500, "internal-error", "Internal error", "the response could not be written");
            return;
        }
        Exchange.end(ctx, status, "application/json", Buffer.buffer(buf.toByteArray()));
    }
}
