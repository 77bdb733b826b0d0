package pk.gov.bisp.nser.server.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * The statistics tables kept before a restart are counted again once the snapshot is served, before their first
 * request ({@link KeptShapes} in the update directory): after the restart the same tables are answered, equal to
 * those before, and none of them is counted whole again by its request.
 */
class KeptTablesRestartTest {

    private static final List<String> TABLES = List.of(
            "/v1/stats?group_by=province",
            "/v1/stats?group_by=district&province=2&measure=literacy:female",
            "/v1/stats?group_by=division&pmt_below=32&measure=house_type:kacha");

    @TempDir
    Path tmp;

    private static Map<String, JsonNode> ask(NserServer s) throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String t : TABLES) {
            HttpResponse<String> r = TestServer.get(s, t, TestServer.key("power"));
            assertEquals(200, r.statusCode(), t + ": " + r.body());
            out.put(t, TestServer.json(r).path("groups"));
        }
        return out;
    }

    @Test
    void theTablesKeptBeforeARestartAreCountedAgainBeforeTheirFirstRequest() throws Exception {
        ServerConfig cfg = TestServer.demoConfig().withUpdatesDir(Files.createDirectories(tmp.resolve("updates")));
        Map<String, JsonNode> before;
        try (NserServer s = TestServer.start(cfg)) {
            assertEquals(0, s.keptTables().warmFromFile(s.registry().snapshot()), "nothing kept yet");
            before = ask(s);
            assertEquals(TABLES.size(), s.keptTables().counted(s.registry().snapshot()));
            assertTrue(before.values().stream().allMatch(g -> g.size() > 0), before.toString());
        }
        JsonNode file = TestServer.JSON.readTree(tmp.resolve("updates").resolve(NserServer.KEPT_TABLES).toFile());
        assertEquals(TABLES.size(), file.path("tables").size(), file.toString());

        try (NserServer s = TestServer.start(cfg)) {
            for (int i = 0; i < 600 && s.keptTables().counted(s.registry().snapshot()) < TABLES.size(); i++) {
                Thread.sleep(50); // counted in the background once the snapshot is served
            }
            assertEquals(TABLES.size(), s.keptTables().counted(s.registry().snapshot()), "counted again at start");
            assertEquals(before, ask(s));
            assertEquals(TABLES.size(), s.keptTables().counted(s.registry().snapshot()),
                    "no request counted its table whole again");
        }
    }
}
