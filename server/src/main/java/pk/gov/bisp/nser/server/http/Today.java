package pk.gov.bisp.nser.server.http;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.function.Supplier;

/**
 * Today's date in Pakistan, for ages. Recomputed only when the day rolls over, so reading it on the hot path
 * costs one clock read; thread-safe.
 */
public final class Today implements Supplier<LocalDate> {

    public static final ZoneId PAKISTAN = ZoneId.of("Asia/Karachi");

    private volatile LocalDate date;
    private volatile long nextDayMillis;

    @Override
    public LocalDate get() {
        long now = System.currentTimeMillis();
        if (now >= nextDayMillis) {
            LocalDate d = LocalDate.now(PAKISTAN);
            date = d;
            nextDayMillis = d.plusDays(1).atStartOfDay(PAKISTAN).toInstant().toEpochMilli();
        }
        return date;
    }
}
