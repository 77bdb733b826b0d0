package pk.gov.bisp.nser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import pk.gov.bisp.nser.server.audit.AccessRecord;
import pk.gov.bisp.nser.core.journal.JournalReader;

/** Reads an access-log journal back for tests. */
final class AccessLogs {

    private AccessLogs() {
    }

    /** Every record by request id: [0] the request record, [1] a stream's end record; at most one of each. */
    static Map<String, AccessRecord[]> read(Path dir) throws IOException {
        Map<String, AccessRecord[]> out = new HashMap<>();
        JournalReader.read(dir, (seq, kind, data, off, len) -> {
            try {
                AccessRecord r = AccessRecord.decode(data, off, len);
                AccessRecord[] slot = out.computeIfAbsent(r.requestId(), k -> new AccessRecord[2]);
                int i = kind == AccessRecord.REQUEST ? 0 : 1;
                assertEquals(null, slot[i], "one record of each kind per request: " + r.requestId());
                slot[i] = r;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return out;
    }
}
