package pk.gov.bisp.nser.server.config;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import pk.gov.bisp.nser.server.caller.Role;

/**
 * Lists and statistics settings (the {@code search:} section).
 *
 * @param rowLimits        most rows one request may return, per role; 0 = no limit. Defaults: Power and
 *                         Standard none (the data-sharing plan gives Standard "no row limit"), Basic 1,000
 * @param defaultPageRows  rows in a JSON page when {@code limit} is not given (default 100)
 * @param pseudonymKey     secret for the Basic role's pseudonymous household ids ({@code search.pseudonym_key}, at
 *                         least 16 characters). Required unless the server listens on loopback only (the demo);
 *                         there, when absent, a random key per process (pseudonyms then change at each start).
 *                         Never derived from the snapshot, whose contents are not secret
 * @param minCell          statistics: the smallest count published (k, default 10)
 * @param streamBatchRows  rows encoded per event-loop turn when streaming (default 256)
 * @param cursorKey        secret that seals paging cursors ({@code search.cursor_key}, at least 16 characters; the
 *                         AES-256 key is its SHA-256); null = a random key per process (cursors then end at a
 *                         restart). Replicas that share clients must share it
 * @param cellKeySecret    statistics: the secret of the households' record keys for the cell-key perturbation
 *                         ({@code search.cell_key_secret}); required unless the server listens on loopback only,
 *                         where null = derived from the snapshot manifest (every new snapshot then re-keys them)
 */
public record SearchOptions(Map<Role, Integer> rowLimits, int defaultPageRows, String pseudonymKey, int minCell,
                            int streamBatchRows, String cursorKey, String cellKeySecret) {

    /** Most rows per request: none for Power and Standard, 1,000 for Basic (the data-sharing plan). */
    public static final Map<Role, Integer> DEFAULT_ROW_LIMITS = Map.of(Role.POWER, 0, Role.STANDARD, 0,
            Role.BASIC, 1_000);
    public static final int DEFAULT_PAGE_ROWS = 100;
    public static final int DEFAULT_MIN_CELL = 10;
    public static final int DEFAULT_STREAM_BATCH_ROWS = 256;
    /** The shortest secret accepted for {@code pseudonym_key}, {@code cursor_key} and {@code cell_key_secret}. */
    public static final int MIN_SECRET_LENGTH = 16;
    public static final IntSetting PAGE_ROWS = new IntSetting("search.default_page_rows", DEFAULT_PAGE_ROWS, 1,
            100_000);
    public static final IntSetting MIN_CELL = new IntSetting("search.min_cell", DEFAULT_MIN_CELL, 1, 1_000_000);
    public static final IntSetting STREAM_BATCH_ROWS = new IntSetting("search.stream_batch_rows",
            DEFAULT_STREAM_BATCH_ROWS, 1, 100_000);
    public static final SearchOptions DEFAULTS = new SearchOptions(DEFAULT_ROW_LIMITS, DEFAULT_PAGE_ROWS, null,
            DEFAULT_MIN_CELL, DEFAULT_STREAM_BATCH_ROWS, null, null);

    public SearchOptions {
        Map<Role, Integer> limits = new EnumMap<>(Role.class);
        limits.putAll(rowLimits);
        rowLimits = Collections.unmodifiableMap(limits);
        for (Map.Entry<Role, Integer> e : rowLimits.entrySet()) {
            if (!DEFAULT_ROW_LIMITS.containsKey(e.getKey()) || e.getValue() < 0) {
                throw new ConfigException("search.row_limits." + e.getKey().name().toLowerCase(Locale.ROOT)
                        + ": a role with lists (power, standard, basic) and 0 or more rows");
            }
        }
        PAGE_ROWS.check(defaultPageRows);
        MIN_CELL.check(minCell);
        STREAM_BATCH_ROWS.check(streamBatchRows);
        checkSecret("search.pseudonym_key", pseudonymKey);
        checkSecret("search.cursor_key", cursorKey);
        checkSecret("search.cell_key_secret", cellKeySecret);
    }

    /** A secret is absent or at least {@value #MIN_SECRET_LENGTH} characters. */
    static void checkSecret(String path, String secret) {
        if (secret != null && secret.length() < MIN_SECRET_LENGTH) {
            throw new ConfigException(path + ": must be at least " + MIN_SECRET_LENGTH + " characters");
        }
    }

    /** The row limit of a role, or {@link Long#MAX_VALUE} when it has none. */
    public long rowLimit(Role role) {
        int l = rowLimits.getOrDefault(role, 0);
        return l == 0 ? Long.MAX_VALUE : l;
    }
}
