package pk.gov.bisp.nser.server.config;

import java.util.regex.Pattern;

/**
 * The cluster's one access log (issue 28): every replica ships its access journal's records to a Kafka topic
 * ({@code cluster.kafka.access_topic}), from which every replica counts the others' billed rows for the monthly
 * limits, and, with {@code audit.postgres}, a sink writes them into PostgreSQL, which then answers the admin access
 * log and usage for the whole cluster. Shipping runs on every replica (with {@code cluster.kafka}); the database is
 * optional.
 *
 * @param accessTopic      the topic of access records ({@code cluster.kafka.access_topic}, default {@code nser.access})
 * @param postgres         the audit database's JDBC URL ({@code audit.postgres} or {@code --postgres}), e.g.
 *                         {@code jdbc:postgresql://127.0.0.1:5432/nser?user=nser&password=...}; null = none
 * @param poolSize         connections to it ({@code audit.pool_size}, default 4)
 * @param shipBatch        most records one shipment to Kafka holds ({@code audit.ship_batch}, default 5,000)
 */
public record AuditOptions(String accessTopic, String postgres, int poolSize, int shipBatch) {

    public static final String DEFAULT_ACCESS_TOPIC = "nser.access";
    public static final IntSetting POOL_SIZE = new IntSetting("audit.pool_size", 4, 1, 64);
    public static final IntSetting SHIP_BATCH = new IntSetting("audit.ship_batch", 5_000, 1, 100_000);
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._\\-]{1,249}");
    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://[^/?#\\s]+/[A-Za-z0-9_\\-]+(\\?\\S*)?");

    /** Shipping to the default topic, no database. */
    public static final AuditOptions DEFAULTS = new AuditOptions(DEFAULT_ACCESS_TOPIC, null,
            POOL_SIZE.defaultValue(), SHIP_BATCH.defaultValue());

    public AuditOptions {
        if (accessTopic == null || !TOPIC.matcher(accessTopic).matches() || accessTopic.equals(".")
                || accessTopic.equals("..")) {
            throw new ConfigException("cluster.kafka.access_topic: '" + accessTopic + "' is not a Kafka topic name "
                    + "(1 to 249 letters, digits, dots, dashes and underscores)");
        }
        if (postgres != null && !JDBC.matcher(postgres).matches()) {
            throw new ConfigException("audit.postgres (--postgres): '" + masked(postgres) + "' is not a PostgreSQL "
                    + "JDBC URL (jdbc:postgresql://HOST[:PORT]/DATABASE[?user=...&password=...])");
        }
        POOL_SIZE.check(poolSize);
        SHIP_BATCH.check(shipBatch);
    }

    /** Whether the audit database is configured. */
    public boolean database() {
        return postgres != null;
    }

    /** A copy with the command line's {@code --postgres} (null: as configured). */
    public AuditOptions withPostgres(String url) {
        return url == null ? this : new AuditOptions(accessTopic, url, poolSize, shipBatch);
    }

    /** Checked once the cluster is known: the database is fed from the access topic, so it needs Kafka. */
    public void checkWith(ClusterOptions cluster) {
        if (postgres != null && !cluster.enabled()) {
            throw new ConfigException("audit.postgres (--postgres) needs cluster.kafka.bootstrap_servers (--kafka): "
                    + "the audit database is fed from the replicas' access topic");
        }
    }

    /** {@code url} with any password replaced by {@code ***}, for messages and the start-up log. */
    public static String masked(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
