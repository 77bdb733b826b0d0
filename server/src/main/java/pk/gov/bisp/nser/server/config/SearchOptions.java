package pk.gov.bisp.nser.server.config;

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

    public static final SearchOptions DEFAULTS = new SearchOptions(
            Map.of(Role.POWER, 0, Role.STANDARD, 0, Role.BASIC, 1_000), 100, null, 10, 256, null, null);

    /** The row limit of a role, or {@link Long#MAX_VALUE} when it has none. */
    public long rowLimit(Role role) {
        int l = rowLimits.getOrDefault(role, 0);
        return l == 0 ? Long.MAX_VALUE : l;
    }
}
