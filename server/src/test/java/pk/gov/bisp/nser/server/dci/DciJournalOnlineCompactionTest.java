package pk.gov.bisp.nser.server.dci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * The DCI journal compacted while the server runs: a subscription told of 60 household changes (a change and a
 * delivery record each) leaves a journal of a few records, not 120, with {@code dci.journal_compact_slack} at 16;
 * every change is notified once, in order, across the compactions; and after a restart the subscription is still
 * there, told of a new change and of none of the old ones again (but the last, whose delivery record may not have
 * been written before the stop: at least once).
 */
class DciJournalOnlineCompactionTest {

    private static final int CHANGES = 60;

    @TempDir
    Path tmp;
    private CallbackReceiver receiver;

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    /** Every notified household id, in arrival order. */
    private List<Long> notified() throws IOException {
        List<Long> ids = new ArrayList<>();
        for (String[] r : receiver.received()) {
            if (r[0].endsWith("/registry/notify")) {
                for (JsonNode e : TestServer.JSON.readTree(r[1]).path("message").path("notify_event")) {
                    ids.add(e.path("data").path("reg_records").path("group_identifier").get(0)
                            .path("identifier_value").asLong());
                }
            }
        }
        return ids;
    }

    private ServerConfig config() throws IOException {
        String yaml = receiver.demoYaml("journal_compact_slack: 16");
        assertTrue(yaml.contains("journal_compact_slack: 16"));
        return TestServer.config(yaml)
                .withJournalDir(Files.createDirectories(tmp.resolve("journal")))
                .withUpdatesDir(Files.createDirectories(tmp.resolve("updates")));
    }

    private static long records(Path dir) throws IOException {
        long[] n = {0};
        JournalReader.read(dir, (seq, kind, data, off, len) -> n[0]++);
        return n[0];
    }

    private static void contact(NserServer s, long household, int i) throws Exception {
        HttpResponse<String> r = TestServer.send(s, "PATCH", "/v1/households/" + household + "/members",
                "{\"changes\":[{\"change\":\"contact\",\"phone\":\"9230012" + String.format("%05d", i) + "\"}]}",
                "Content-Type", "application/json", "Authorization", "Bearer demo-power-key");
        assertEquals(200, r.statusCode(), r.body());
    }

    private void awaitNotified(long household) throws Exception {
        for (int i = 0; i < 1_200 && !notified().contains(household); i++) {
            Thread.sleep(50);
        }
        assertTrue(notified().contains(household), "household " + household + " was never notified: " + notified());
    }

    @Test
    void theJournalIsCompactedWhileRunningAndEveryChangeNotifiedOnce() throws Exception {
        receiver = CallbackReceiver.start();
        String origin = receiver.origin();
        ServerConfig cfg = config();
        Path dci = Subscriptions.dir(tmp.resolve("updates"));
        List<Long> households = new ArrayList<>();
        int before;
        try (NserServer s = TestServer.start(cfg)) {
            JsonNode first = TestServer.json(TestServer.get(s, "/v1/households?limit=1", TestServer.key("power")))
                    .path("items").get(0);
            String province = first.path("address").path("province").path("code").asText();
            for (JsonNode h : TestServer.json(TestServer.get(s, "/v1/households?province=" + province + "&limit="
                    + (CHANGES + 1), TestServer.key("power"))).path("items")) {
                households.add(h.path("household_id").asLong());
            }
            assertEquals(CHANGES + 1, households.size());
            ArrayNode filter = DciSyncSearchTest.M.createArrayNode();
            filter.addObject().put("seq_num", 1).set("expression1",
                    DciSyncSearchTest.predicate("province", "eq", province));
            HttpResponse<String> ack = TestServer.send(s, "POST", "/registry/subscribe", DciSubscribeTest.subscribe(
                    origin, "c1", "NewHouseHoldMember", "predicate", filter, "Group").toString(), "Content-Type",
                    "application/json", "Authorization", "Bearer demo-power-key");
            assertEquals(202, ack.statusCode(), ack.body());
            for (int i = 0; i < 600 && records(dci) == 0; i++) {
                Thread.sleep(50); // the subscription journaled
            }
            for (int i = 0; i < CHANGES; i++) {
                contact(s, households.get(i), i);
            }
            awaitNotified(households.get(CHANGES - 1));
            assertEquals(households.subList(0, CHANGES), notified(), "each change once, in order");
            before = notified().size();
        }
        long held = records(dci);
        // without compaction: the subscription, 60 changes and 60 deliveries; compacted: the state, the
        // subscription and what came after the last compaction, at most the slack and one more pair
        assertTrue(held <= 2 + 16 + 2, "the journal holds " + held + " records");
        assertTrue(Files.notExists(Compaction.temp(dci)) && Files.notExists(Compaction.old(dci)));

        try (NserServer s = TestServer.start(cfg)) {
            contact(s, households.get(CHANGES), CHANGES);
            awaitNotified(households.get(CHANGES));
        }
        List<Long> all = notified();
        List<Long> again = all.subList(before, all.size());
        assertEquals(households.get(CHANGES), again.get(again.size() - 1), again.toString());
        Map<Long, Integer> times = new HashMap<>();
        again.forEach(h -> times.merge(h, 1, Integer::sum));
        for (Map.Entry<Long, Integer> e : times.entrySet()) {
            assertEquals(1, e.getValue(), "notified once after the restart: " + again);
            assertTrue(e.getKey().equals(households.get(CHANGES)) || e.getKey().equals(households.get(CHANGES - 1)),
                    "only the new change (and at least once the last before the stop): " + again);
        }
    }
}
