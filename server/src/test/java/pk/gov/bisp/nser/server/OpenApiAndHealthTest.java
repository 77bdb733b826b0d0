package pk.gov.bisp.nser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.http.PrefixRoutes;
import pk.gov.bisp.nser.server.registry.Registry;

class OpenApiAndHealthTest {

    @Test
    void everyRouteShouldBeInTheOpenApiDocumentAndServed() throws Exception {
        NserServer s = TestServer.demo();
        HttpResponse<String> doc = TestServer.get(s, "/openapi.yaml");
        assertEquals(200, doc.statusCode());
        JsonNode paths = new ObjectMapper(new YAMLFactory()).readTree(doc.body()).get("paths");
        Vertx vertx = Vertx.vertx();
        try {
            Router router = ApiVerticle.router(vertx, Wiring.of(TestServer.demoConfig(), new Registry()));
            List<String> missing = new ArrayList<>();
            int routes = 0;
            for (Route r : router.getRoutes()) {
                if (r.getPath() == null) {
                    continue;
                }
                routes++;
                String openApiPath = PrefixRoutes.template(r)
                        .replaceAll(":([a-z_]+)", "{$1}");
                if (!paths.has(openApiPath)) {
                    missing.add(openApiPath);
                }
            }
            assertEquals(List.of(), missing, "routes missing from openapi.yaml");
            assertTrue(routes >= 9, "routes: " + routes);
        } finally {
            vertx.close();
        }
    }

    @Test
    void liveShouldAnswerAtOnceAndReadyAfterWarming() throws Exception {
        NserServer s = TestServer.demo();
        assertEquals("{\"status\":\"UP\"}", TestServer.get(s, "/health/live").body());
        JsonNode ready = TestServer.json(TestServer.get(s, "/health/ready"));
        assertEquals("READY", ready.get("status").asText());
        assertEquals(20_000, ready.get("households").asInt());
        assertTrue(ready.get("warmed_bytes").asLong() > 1_000_000);
    }

    @Test
    void metricsShouldCountRequestsPerRoute() throws Exception {
        NserServer s = TestServer.demo();
        for (int i = 0; i < 3; i++) {
            TestServer.get(s, "/v1/households/by-cnic/1", TestServer.key("power"));
        }
        String m = TestServer.get(s, "/metrics").body();
        assertTrue(m.contains("nser_errors_total{route=\"/v1/households/by-cnic/:cnic\",class=\"4xx\"}"), m);
        assertTrue(m.contains("nser_latency_microseconds{route=\"/v1/households/by-cnic/:cnic\",quantile=\"0.99\"}"),
                m);
    }
}
