package pk.gov.bisp.nser.server.metering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.http.Today;

/** Records are counted on their day and month in Pakistan time, at the edges of days and months too. */
class LedgerDaysTest {

    private static long pkt(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(Today.PAKISTAN).toInstant().toEpochMilli();
    }

    private static AccessRecord billed(long millis, String org, long rows) {
        return new AccessRecord("r", millis, "127.0.0.1", "u", "U", org, "government", "power", "lookup", "GET",
                "/p", null, null, rows, 0, 200, 10, false, rows, rows * 300, null);
    }

    @Test
    void eachRecordShouldCountOnItsPakistanDayAndMonth() {
        Ledger l = new Ledger();
        l.apply(AccessRecord.REQUEST, billed(pkt("2026-10-31T23:59:59.999"), "a", 1));
        l.apply(AccessRecord.REQUEST, billed(pkt("2026-11-01T00:00:00"), "a", 2)); // next month
        l.apply(AccessRecord.REQUEST, billed(pkt("2026-11-01T23:59:59.999"), "b", 4));
        l.apply(AccessRecord.REQUEST, billed(pkt("2026-11-02T00:00:00"), "a", 8)); // next day
        l.apply(AccessRecord.REQUEST, billed(pkt("2026-11-01T12:00:00"), "a", 16)); // replayed out of order
        l.apply(AccessRecord.STREAM_END, billed(pkt("2026-10-31T05:00:00"), "a", 32)); // back a month
        l.apply(AccessRecord.REQUEST, billed(pkt("2026-11-30T23:59:59"), "a", 64));

        Ledger.Usage october = l.usage("a", YearMonth.of(2026, 10));
        assertArrayEquals(new long[] {1, 33, 9_900}, october.total); // a stream's end is not a request
        assertArrayEquals(new long[] {1, 33, 9_900}, october.byDay[31]);
        Ledger.Usage november = l.usage("a", YearMonth.of(2026, 11));
        assertArrayEquals(new long[] {4, 90, 27_000}, november.total);
        assertArrayEquals(new long[] {2, 18, 5_400}, november.byDay[1]);
        assertArrayEquals(new long[] {1, 8, 2_400}, november.byDay[2]);
        assertArrayEquals(new long[] {1, 64, 19_200}, november.byDay[30]);
        assertArrayEquals(new long[] {1, 4, 1_200}, l.usage("b", YearMonth.of(2026, 11)).byDay[1]);
        Map<String, Ledger.Usage> month = l.month(YearMonth.of(2026, 11));
        assertEquals(2, month.size());
    }
}
