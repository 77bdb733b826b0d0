package pk.gov.bisp.nser.server.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.ServerConfig;

/** An update directory that is not this snapshot's, or a damaged checkpoint, stops the start with its name. */
class UpdateDirectoryTest {

    @Test
    void anotherSnapshotsUpdateDirectoryIsRefusedByName() throws Exception {
        Path dir = Files.createTempDirectory("nser-foreign-updates");
        Files.writeString(dir.resolve("base.txt"), "2020-01-01T00:00:00Z/deadbeef\n");
        ServerConfig cfg = TestServer.demoConfig().withUpdatesDir(dir);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestServer.start(cfg));
        assertTrue(e.getMessage().contains("base.txt") && e.getMessage().contains("belongs to snapshot "
                + "2020-01-01T00:00:00Z/deadbeef"), e.getMessage());
    }

    @Test
    void aDamagedCheckpointIsRefusedByName() throws Exception {
        Path dir = Files.createTempDirectory("nser-damaged-checkpoint");
        ServerConfig cfg = TestServer.demoConfig().withUpdatesDir(dir);
        NserServer s = TestServer.start(cfg);
        String body = "{\"changes\":[{\"change\":\"contact\",\"phone\":\"923001112233\"}]}";
        long id;
        try (var snap = TestServer.openSnapshot()) {
            var r = new pk.gov.bisp.nser.core.record.HouseholdRecord();
            snap.read(77, r);
            id = r.householdId();
        }
        assertEquals(200, TestServer.send(s, "PATCH", "/v1/households/" + id + "/members", body,
                TestServer.key("power")).statusCode());
        s.close(); // writes a checkpoint at shutdown
        Path checkpoint;
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().endsWith(".ckpt")).toList();
            assertEquals(1, found.size(), "one checkpoint after a clean stop: " + found);
            checkpoint = found.get(0);
        }
        byte[] b = Files.readAllBytes(checkpoint);
        b[b.length / 2] ^= 0x40;
        Files.write(checkpoint, b);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestServer.start(cfg));
        assertTrue(e.getMessage().contains(checkpoint.getFileName().toString())
                && e.getMessage().contains("damaged"), e.getMessage());
    }
}
