package pk.gov.bisp.nser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.http.Today;
import pk.gov.bisp.nser.server.metering.Ledger;

/** Reads an access-log journal back for tests. */
public final class AccessLogs {

    private AccessLogs() {
    }

    /**
     * Rows and paisa {@code organisation} was billed in the month now (Pakistan time) and the months either side: a
     * test's traffic that crosses midnight at a month's end is still counted whole.
     */
    public static long[] billedAroundNow(Ledger ledger, String organisation) {
        YearMonth now = YearMonth.from(ZonedDateTime.now(Today.PAKISTAN));
        long[] sum = new long[2];
        for (YearMonth m : new YearMonth[] {now.minusMonths(1), now, now.plusMonths(1)}) {
            long[] b = ledger.billed(organisation, m);
            sum[0] += b[0];
            sum[1] += b[1];
        }
        return sum;
    }

    /** Every record by request id: [0] the request record, [1] a stream's end record; at most one of each. */
    public static Map<String, AccessRecord[]> read(Path dir) throws IOException {
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
