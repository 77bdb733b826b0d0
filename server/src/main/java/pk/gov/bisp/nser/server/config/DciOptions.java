package pk.gov.bisp.nser.server.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DCI Social Registry API's settings (issue 32), the configuration's top-level {@code dci} section, kept apart
 * from the organisations themselves: per organisation id, whether its searches must state a purpose, the callback
 * origins its asynchronous requests may name as {@code sender_uri} (scheme, host and port, e.g.
 * {@code http://127.0.0.1:9000}), and the PEM file of its Ed25519 public key (null: its requests are not signed).
 *
 * <pre>
 * dci:
 *   max_page_size: 1000
 *   organisations:
 *     punjab-social-protection: {purpose_required: true, callback_origins: ["http://127.0.0.1:9000"]}
 * </pre>
 *
 * @param maxPageSize the largest {@code pagination.page_size} (also bounded by the role's row limit)
 * @param partners    the settings of each organisation named, by organisation id
 * @param callbackAttempts      attempts to deliver a callback ({@code callback_attempts}, default 6)
 * @param callbackBackoffMillis the wait before the first retry, doubled after each ({@code callback_backoff_ms})
 * @param signingKey  the PEM file of the registry's Ed25519 private key, which signs its callbacks
 *                    ({@code signing_key}; null: unsigned)
 * @param journalCompactSlack records the DCI journal may hold beyond what its state needs before it is compacted
 *                    while the server runs ({@code journal_compact_slack}, default 65,536; at start it is compacted
 *                    beyond 256)
 */
public record DciOptions(int maxPageSize, Map<String, Partner> partners, int callbackAttempts,
                         long callbackBackoffMillis, java.nio.file.Path signingKey, int journalCompactSlack) {

    public static final int DEFAULT_MAX_PAGE_SIZE = 1_000;
    public static final int DEFAULT_CALLBACK_ATTEMPTS = 6;
    public static final int DEFAULT_CALLBACK_BACKOFF_MS = 1_000;
    public static final IntSetting MAX_PAGE_SIZE = new IntSetting("dci.max_page_size", DEFAULT_MAX_PAGE_SIZE, 1,
            100_000);
    public static final IntSetting CALLBACK_ATTEMPTS = new IntSetting("dci.callback_attempts",
            DEFAULT_CALLBACK_ATTEMPTS, 1, 100);
    public static final IntSetting CALLBACK_BACKOFF_MS = new IntSetting("dci.callback_backoff_ms",
            DEFAULT_CALLBACK_BACKOFF_MS, 1, 3_600_000);
    public static final int DEFAULT_JOURNAL_COMPACT_SLACK = 65_536;
    public static final IntSetting JOURNAL_COMPACT_SLACK = new IntSetting("dci.journal_compact_slack",
            DEFAULT_JOURNAL_COMPACT_SLACK, 16, 100_000_000);
    public static final DciOptions DEFAULTS = new DciOptions(DEFAULT_MAX_PAGE_SIZE, Map.of(),
            DEFAULT_CALLBACK_ATTEMPTS, DEFAULT_CALLBACK_BACKOFF_MS, null, DEFAULT_JOURNAL_COMPACT_SLACK);

    public DciOptions {
        MAX_PAGE_SIZE.check(maxPageSize);
        CALLBACK_ATTEMPTS.check(callbackAttempts);
        CALLBACK_BACKOFF_MS.check(callbackBackoffMillis);
        JOURNAL_COMPACT_SLACK.check(journalCompactSlack);
    }

    /** No settings: no purpose required, no callback origin, no key. */
    public static final Partner NONE = new Partner(false, Set.of(), null);

    /** One organisation's DCI settings. */
    public record Partner(boolean purposeRequired, Set<String> callbackOrigins, java.nio.file.Path publicKey) {
    }

    /** The settings of organisation {@code id} ({@link #NONE} when it has none). */
    public Partner partner(String id) {
        return partners.getOrDefault(id, NONE);
    }

    /** The origins the organisation's callbacks may go to, in configuration order. */
    public List<String> origins(String id) {
        return List.copyOf(partner(id).callbackOrigins());
    }
}
