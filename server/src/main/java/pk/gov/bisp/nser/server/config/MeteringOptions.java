package pk.gov.bisp.nser.server.config;

import java.nio.file.Path;
import java.util.Map;
import pk.gov.bisp.nser.server.caller.OrganisationType;
import pk.gov.bisp.nser.server.http.Tariff;

/**
 * The access log's journal and the metering tariff (the {@code journal:} and {@code metering:} sections).
 *
 * @param journalDir           where the journal lives; null = a directory beside the snapshot ({@code SNAPSHOT.journal})
 * @param enabled              false only to measure the server without logging; requests are then neither logged nor
 *                             billed (default true)
 * @param fsyncIntervalMicros  group-commit interval (default 10 ms; 0 = fsync before every release)
 * @param segmentBytes         journal segment size (default 64 MiB)
 * @param gatherMicros         under load (over 3 records a window), how long the journal thread, finding no record,
 *                             waits for more before blocking (default 300 µs): it then writes and releases a batch
 *                             per window instead of waking for every few records; a record waits at most this long
 * @param eventLoopWrites      whether event loops write their records to the journal themselves, once per turn,
 *                             instead of waking the journal thread for them and being woken back (default true;
 *                             no effect with fsync_interval_micros 0, which keeps every write on the journal thread)
 * @param operationRatesPaisa  per-operation prices per row, in paisa, overriding the organisation type's rate
 *                             (e.g. eligibility checks priced per check)
 */
public record MeteringOptions(Path journalDir, boolean enabled, long fsyncIntervalMicros, long segmentBytes,
                              long gatherMicros, boolean eventLoopWrites, Map<String, Long> operationRatesPaisa)
        implements Tariff {

    public static final MeteringOptions DEFAULTS = new MeteringOptions(null, true, 10_000, 64L << 20, 300, true,
            Map.of());

    public MeteringOptions withJournalDir(Path dir) {
        return new MeteringOptions(dir, enabled, fsyncIntervalMicros, segmentBytes, gatherMicros, eventLoopWrites,
                operationRatesPaisa);
    }

    /** The price of one row of {@code operation} for an organisation of {@code type}, in paisa. */
    @Override
    public long ratePaisa(String operation, OrganisationType type) {
        Long o = operationRatesPaisa.get(operation);
        return o != null ? o : type.ratePkr() * 100L;
    }
}
