package pk.gov.bisp.nser.server.config;

import java.nio.file.Path;
import java.util.Map;
import pk.gov.bisp.nser.core.journal.JournalOptions;
import pk.gov.bisp.nser.server.caller.OrganisationType;
import pk.gov.bisp.nser.server.http.Tariff;

/**
 * The access log's journal and the metering tariff (the {@code journal:} and {@code metering:} sections).
 *
 * @param journalDir           where the journal lives; null = a directory beside the snapshot ({@code SNAPSHOT.journal})
 * @param enabled              false only to measure the server without logging; requests are then neither logged nor
 *                             billed (default true)
 * @param fsyncIntervalMicros  group-commit interval (default 10 ms, the journal's; 0 = fsync before every release)
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

    public static final boolean DEFAULT_ENABLED = true;
    /** Group commit every 10 ms: the journal's own default ({@link JournalOptions#DEFAULT_FSYNC_INTERVAL_MICROS}). */
    public static final int DEFAULT_FSYNC_INTERVAL_MICROS = (int) JournalOptions.DEFAULT_FSYNC_INTERVAL_MICROS;
    public static final int DEFAULT_SEGMENT_MB = (int) (JournalOptions.DEFAULT_SEGMENT_BYTES >> 20);
    /**
     * The access log's gather window. The journal's own default is 0 (block at once): its other users, the update
     * and purchase journals, fsync every batch and are never under the access log's load.
     */
    public static final int DEFAULT_GATHER_MICROS = 300;
    public static final boolean DEFAULT_EVENT_LOOP_WRITES = true;
    public static final IntSetting FSYNC_INTERVAL_MICROS = new IntSetting("journal.fsync_interval_micros",
            DEFAULT_FSYNC_INTERVAL_MICROS, 0, 10_000_000);
    /** Every journal's segment size in MiB (the access log's here; updates and feedback use it under their own keys). */
    public static final IntSetting SEGMENT_MB = new IntSetting("journal.segment_mb", DEFAULT_SEGMENT_MB, 1, 4_096);
    public static final IntSetting GATHER_MICROS = new IntSetting("journal.gather_micros", DEFAULT_GATHER_MICROS, 0,
            (int) JournalOptions.MAX_GATHER_MICROS);
    public static final MeteringOptions DEFAULTS = new MeteringOptions(null, DEFAULT_ENABLED,
            DEFAULT_FSYNC_INTERVAL_MICROS, (long) DEFAULT_SEGMENT_MB << 20, DEFAULT_GATHER_MICROS,
            DEFAULT_EVENT_LOOP_WRITES, Map.of());

    public MeteringOptions {
        FSYNC_INTERVAL_MICROS.check(fsyncIntervalMicros);
        SEGMENT_MB.check(segmentBytes >> 20);
        GATHER_MICROS.check(gatherMicros);
    }

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
