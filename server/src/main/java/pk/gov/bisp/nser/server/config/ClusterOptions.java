package pk.gov.bisp.nser.server.config;

import java.util.regex.Pattern;

/**
 * Replicas sharing one ordered update log on Kafka (the {@code cluster:} section; issue 27). Off unless
 * {@code cluster.kafka.bootstrap_servers} (or {@code --kafka}) is given: the server then runs on its local journals
 * exactly as without this section.
 *
 * @param bootstrapServers       Kafka's bootstrap servers, {@code host:port[,host:port...]}; null = off
 * @param nodeId                 this replica's name, unique among the replicas ({@code cluster.node_id} or
 *                               {@code --node-id}); required with Kafka
 * @param updatesTopic           the one-partition topic of update commands (default {@code nser.updates})
 * @param minPositionWaitMillis  how long a request with {@code Registry-Min-Position} may wait for this replica to
 *                               apply that position before it is answered 503 (default 5,000)
 * @param maxReadyLag            {@code /health/ready} is 200 only while this replica is fewer than this many update
 *                               log records behind the log's end ({@code cluster.max_ready_lag}, default 1,000)
 */
public record ClusterOptions(String bootstrapServers, String nodeId, String updatesTopic, int minPositionWaitMillis,
                             int maxReadyLag) {

    public static final String DEFAULT_UPDATES_TOPIC = "nser.updates";
    public static final IntSetting MIN_POSITION_WAIT_MILLIS = new IntSetting("cluster.min_position_wait_ms", 5_000,
            0, 60_000);
    public static final IntSetting MAX_READY_LAG = new IntSetting("cluster.max_ready_lag", 1_000, 0,
            Integer.MAX_VALUE);

    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.\\-]{1,253}:[0-9]{1,5}|\\[[0-9A-Fa-f:.]+\\]"
            + ":[0-9]{1,5}");
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}");
    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._\\-]{1,249}");

    /** No cluster: the local journals (after the patterns, which its constructor uses). */
    public static final ClusterOptions OFF = new ClusterOptions(null, null, DEFAULT_UPDATES_TOPIC,
            MIN_POSITION_WAIT_MILLIS.defaultValue(), MAX_READY_LAG.defaultValue());

    public ClusterOptions {
        if (bootstrapServers != null) {
            for (String s : bootstrapServers.split(",", -1)) {
                String hp = s.trim();
                int port = hp.lastIndexOf(':') < 0 ? -1 : parsePort(hp.substring(hp.lastIndexOf(':') + 1));
                if (!HOST_PORT.matcher(hp).matches() || port < 1 || port > 65_535) {
                    throw new ConfigException("cluster.kafka.bootstrap_servers (--kafka): '" + s + "' is not "
                            + "HOST:PORT (a list is comma-separated, e.g. 127.0.0.1:9092,127.0.0.1:9093)");
                }
            }
            if (nodeId == null) {
                throw new ConfigException("cluster.node_id (--node-id) is required with "
                        + "cluster.kafka.bootstrap_servers: each replica names itself, uniquely");
            }
        } else if (nodeId != null) {
            throw new ConfigException("cluster.node_id (--node-id) is given but cluster.kafka.bootstrap_servers "
                    + "(--kafka) is not: a replica needs the Kafka cluster that orders its updates");
        }
        if (nodeId != null && !NODE_ID.matcher(nodeId).matches()) {
            throw new ConfigException("cluster.node_id (--node-id): '" + nodeId + "' must be 1 to 64 letters, digits,"
                    + " dots, dashes and underscores, starting with a letter or digit");
        }
        if (updatesTopic == null || !TOPIC.matcher(updatesTopic).matches() || updatesTopic.equals(".")
                || updatesTopic.equals("..")) {
            throw new ConfigException("cluster.kafka.updates_topic: '" + updatesTopic + "' is not a Kafka topic name "
                    + "(1 to 249 letters, digits, dots, dashes and underscores)");
        }
        MIN_POSITION_WAIT_MILLIS.check(minPositionWaitMillis);
        MAX_READY_LAG.check(maxReadyLag);
    }

    private static int parsePort(String p) {
        return p.matches("[0-9]{1,5}") ? Integer.parseInt(p) : -1;
    }

    /** True when updates go through Kafka. */
    public boolean enabled() {
        return bootstrapServers != null;
    }

    /** A copy with the command line's {@code --kafka} and {@code --node-id} (null: as configured). */
    public ClusterOptions with(String kafka, String node) {
        return new ClusterOptions(kafka != null ? kafka : bootstrapServers, node != null ? node : nodeId,
                updatesTopic, minPositionWaitMillis, maxReadyLag);
    }
}
