package pk.gov.bisp.nser.server.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pk.gov.bisp.nser.server.TestServer.expectProblem;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;

/** A damaged snapshot is refused by name: never ready, lookups answer 503, and the start-up wait fails. */
class DamagedSnapshotTest {

    @TempDir
    Path tmp;

    @Test
    void aFlippedByteShouldBeRefusedNamingTheFile() throws Exception {
        Path copy = TestServer.copyOfSnapshot(tmp.resolve("snap"));
        try (RandomAccessFile f = new RandomAccessFile(copy.resolve("bitmaps.bin").toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xFF);
        }
        try (NserServer s = NserServer.start(TestServer.demoConfig(), copy)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> s.awaitReady(Duration.ofSeconds(60)));
            assertTrue(e.getMessage().contains("bitmaps.bin") && e.getMessage().contains("checksum"), e.getMessage());
            assertEquals(200, TestServer.get(s, "/health/live").statusCode());
            var ready = TestServer.get(s, "/health/ready");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("FAILED"), ready.body());
            expectProblem(TestServer.get(s, "/v1/households/by-cnic/3520212345671", TestServer.key("power")), 503,
                    "not-ready");
        }
    }
}
