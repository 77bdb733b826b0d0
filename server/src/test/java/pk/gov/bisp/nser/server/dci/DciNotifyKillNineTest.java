package pk.gov.bisp.nser.server.dci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.ServerProcess;
import pk.gov.bisp.nser.server.TestServer;

/**
 * The outbox's durability: a server process whose subscriber refuses the notification of an acknowledged update is
 * killed with SIGKILL before delivering it; restarted over the same directories, it delivers the notification (the
 * subscription and the change both replayed from the DCI journal), valid against the contract.
 */
class DciNotifyKillNineTest {

    @Test
    void aNotificationNotDeliveredBeforeKillNineShouldBeDeliveredAfterRestart() throws Exception {
        List<String[]> received = new CopyOnWriteArrayList<>();
        AtomicBoolean refuseNotify = new AtomicBoolean(true);
        AtomicInteger refused = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            if (path.endsWith("/notify") && refuseNotify.get()) {
                refused.incrementAndGet();
                ex.sendResponseHeaders(503, -1);
            } else {
                received.add(new String[] {path, new String(body, StandardCharsets.UTF_8)});
                ex.sendResponseHeaders(200, -1);
            }
            ex.close();
        });
        receiver.start();
        String origin = "http://127.0.0.1:" + receiver.getAddress().getPort();
        String yaml = new String(TestServer.class.getResourceAsStream("/demo.yaml").readAllBytes(),
                StandardCharsets.UTF_8).replace("http://127.0.0.1:9000", origin)
                .replace("  max_page_size: 1000", "  max_page_size: 1000\n  callback_backoff_ms: 20");
        Path dir = Files.createTempDirectory("nser-dci-kill9");
        Path config = Files.writeString(dir.resolve("config.yaml"), yaml);
        Path updates = Files.createDirectories(dir.resolve("updates"));
        long householdId;
        try (Snapshot s = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            assertTrue(s.read(4_321, r));
            householdId = r.householdId();
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ServerProcess server = ServerProcess.startWithConfig(http, config, "--updates", updates.toString());
        NserServer restarted = null;
        try {
            ObjectNode sub = DciSubscribeTest.subscribe(origin + "/k", "k1", "NewHouseHoldMember", "idtype-value",
                    DciSyncSearchTest.M.createObjectNode().put("type", "HOUSEHOLD_ID").put("value",
                            Long.toString(householdId)), "Group");
            HttpResponse<String> ack = send(http, server, "POST", "/registry/subscribe", sub.toString());
            assertEquals(202, ack.statusCode(), ack.body());
            await(() -> received.stream().anyMatch(r -> r[0].equals("/k/registry/on-subscribe")), "on-subscribe");
            HttpResponse<String> update = send(http, server, "PATCH", "/v1/households/" + householdId + "/members",
                    "{\"changes\":[{\"change\":\"contact\",\"phone\":\"923004445566\"}]}");
            assertEquals(200, update.statusCode(), update.body());
            await(() -> refused.get() > 0, "a first, refused, notification");
            server.kill();
            refuseNotify.set(false);
            // over the killed server's own snapshot and update directory (which holds the DCI journal)
            restarted = TestServer.start(TestServer.config(yaml).withUpdatesDir(updates), server.snapshot);
            await(() -> received.stream().anyMatch(r -> r[0].equals("/k/registry/notify")), "the notification");
            String body = received.stream().filter(r -> r[0].equals("/k/registry/notify")).findFirst().orElseThrow()[1];
            DciContract.assertValid(DciContract.NOTIFY_REQUEST, body);
            JsonNode event = TestServer.JSON.readTree(body).path("message").path("notify_event").get(0);
            assertEquals("k1", event.path("reference_id").asText());
            assertEquals(Long.toString(householdId), event.path("data").path("reg_records").path("group_identifier")
                    .get(0).path("identifier_value").asText(), body);
            assertEquals("roster_update", event.path("data").path("update_type").asText());
        } finally {
            server.kill();
            if (restarted != null) {
                restarted.close();
            }
            receiver.stop(0);
        }
    }

    private static HttpResponse<String> send(HttpClient http, ServerProcess server, String method, String path,
                                             String body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.base.resolve(path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Authorization",
                        "Bearer demo-power-key").header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        for (int i = 0; i < 1_200 && !done.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertTrue(done.getAsBoolean(), what + " did not arrive");
    }
}
