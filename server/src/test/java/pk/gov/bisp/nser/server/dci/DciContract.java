package pk.gov.bisp.nser.server.dci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DCI contract, {@code ../shared/dci/social_api_v1.0.0.yaml}, as JSON Schemas (OpenAPI 3.0 dialect of the
 * networknt validator): a body is checked against the schema the contract gives for it, found by JSON pointer in
 * the document, with every {@code $ref} resolved by the library.
 */
final class DciContract {

    static final String URI = "https://spdci.org/social_api_v1.0.0.json";
    /** The answer of POST /registry/sync/search (and the on-search callback body). */
    static final String SYNC_SEARCH = "#/paths/~1registry~1sync~1search/post/responses/default/content/"
            + "application~1json/schema";
    static final String SYNC_SEARCH_REQUEST = "#/paths/~1registry~1sync~1search/post/requestBody/content/"
            + "application~1json/schema";
    /** The answer of POST /registry/sync/txn/status. */
    static final String SYNC_TXN_STATUS = "#/paths/~1registry~1sync~1txn~1status/post/responses/default/content/"
            + "application~1json/schema";
    static final String SYNC_TXN_STATUS_REQUEST = "#/paths/~1registry~1sync~1txn~1status/post/requestBody/content/"
            + "application~1json/schema";
    /** The body of a callback to /registry/on-search, and of one to /registry/txn/on-status. */
    static final String ON_SEARCH_REQUEST = "#/paths/~1registry~1on-search/post/requestBody/content/"
            + "application~1json/schema";
    static final String TXN_ON_STATUS_REQUEST = "#/paths/~1registry~1txn~1on-status/post/requestBody/content/"
            + "application~1json/schema";
    /** The bodies of the subscription paths' requests and callbacks, and of /registry/notify. */
    static final String SUBSCRIBE_REQUEST = "#/paths/~1registry~1subscribe/post/requestBody/content/"
            + "application~1json/schema";
    static final String UNSUBSCRIBE_REQUEST = "#/paths/~1registry~1unsubscribe/post/requestBody/content/"
            + "application~1json/schema";
    static final String ON_SUBSCRIBE_REQUEST = "#/paths/~1registry~1on-subscribe/post/requestBody/content/"
            + "application~1json/schema";
    static final String ON_UNSUBSCRIBE_REQUEST = "#/paths/~1registry~1on-unsubscribe/post/requestBody/content/"
            + "application~1json/schema";
    static final String NOTIFY_REQUEST = "#/paths/~1registry~1notify/post/requestBody/content/"
            + "application~1json/schema";
    /** The body of 401 and 403 ({@code HttpErrorResponse}). */
    static final String HTTP_ERROR = "#/components/responses/HttpErrorResponse/content/application~1json/schema";
    /** The ACK/NACK/ERR acknowledgement of the asynchronous paths. */
    static final String ACK = "#/components/responses/Response/content/application~1json/schema";

    private static SchemaRegistry registry;
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private DciContract() {
    }

    /** The contract file: {@code ../shared/dci} beside the project (the worktree's parent holds {@code shared}). */
    static Path file() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path f = p.resolve("shared/dci/social_api_v1.0.0.yaml");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("shared/dci/social_api_v1.0.0.yaml not found above " + here);
    }

    static synchronized Schema schema(String pointer) {
        if (registry == null) {
            try {
                JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(file().toFile());
                String json = new ObjectMapper().writeValueAsString(doc);
                registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30(),
                        b -> b.schemas(Map.of(URI, json)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return SCHEMAS.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(URI + p)));
    }

    /** The validator's complaints about {@code body} against the schema at {@code pointer} (empty: valid). */
    static List<String> errors(String pointer, String body) {
        List<Error> errors = schema(pointer).validate(body, InputFormat.JSON);
        return errors.stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    /** Fails unless {@code body} is valid against the schema at {@code pointer}. */
    static void assertValid(String pointer, String body) {
        assertEquals(List.of(), errors(pointer, body), () -> "not valid against " + pointer + ": " + body);
    }
}
