package pk.gov.bisp.nser.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.TestServer;

/** Issue 27: the {@code cluster:} section and {@code --kafka}/{@code --node-id}, checked at start. */
class ClusterOptionsTest {

    @Test
    void withoutAClusterSectionTheServerTakesNoKafka() throws Exception {
        ServerConfig c = TestServer.demoConfig();
        assertFalse(c.cluster().enabled());
        assertEquals("nser.updates", c.cluster().updatesTopic());
        assertEquals(5_000, c.cluster().minPositionWaitMillis());
        assertEquals(1_000, c.cluster().maxReadyLag());
        assertFalse(c.describe().contains("cluster:"));
    }

    @Test
    void theYamlSectionAndTheCommandLineShouldGiveTheSameOptions() throws Exception {
        ServerConfig y = TestServer.config(TestServer.minimal(30, 10, "") + "cluster:\n  node_id: lahore-1\n"
                + "  min_position_wait_ms: 250\n  max_ready_lag: 20\n"
                + "  kafka:\n    bootstrap_servers: 127.0.0.1:9092,kafka-2:9093\n"
                + "    updates_topic: nser.updates.test\n");
        assertTrue(y.cluster().enabled());
        assertEquals("127.0.0.1:9092,kafka-2:9093", y.cluster().bootstrapServers());
        assertEquals("lahore-1", y.cluster().nodeId());
        assertEquals("nser.updates.test", y.cluster().updatesTopic());
        assertEquals(250, y.cluster().minPositionWaitMillis());
        assertEquals(20, y.cluster().maxReadyLag());
        assertTrue(y.describe().contains("cluster: replica lahore-1"), y.describe());

        ServerConfig flags = TestServer.config(TestServer.minimal(30, 10, "")).withCluster("127.0.0.1:9092", "k-2");
        assertEquals("127.0.0.1:9092", flags.cluster().bootstrapServers());
        assertEquals("k-2", flags.cluster().nodeId());
        assertEquals("nser.updates", flags.cluster().updatesTopic());
        assertEquals("k-3", y.withCluster(null, "k-3").cluster().nodeId(), "--node-id overrides cluster.node_id");
        assertEquals("127.0.0.1:9092,kafka-2:9093", y.withCluster(null, "k-3").cluster().bootstrapServers());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:9092|''|cluster.node_id (--node-id) is required",
        "''|r1|cluster.kafka.bootstrap_servers (--kafka) is not",
        "localhost|r1|'localhost' is not HOST:PORT",
        "127.0.0.1:9092,|r1|'' is not HOST:PORT",
        "127.0.0.1:99999|r1|'127.0.0.1:99999' is not HOST:PORT",
        "127.0.0.1:9092|-r1|cluster.node_id (--node-id): '-r1' must be",
        "127.0.0.1:9092|r 1|cluster.node_id (--node-id): 'r 1' must be",
    })
    void aBadFlagShouldStopTheStartNamingTheSetting(String kafka, String node, String message) throws Exception {
        ServerConfig c = TestServer.config(TestServer.minimal(30, 10, ""));
        ConfigException e = assertThrows(ConfigException.class, () -> c.withCluster(kafka.isEmpty() ? null : kafka,
                node.isEmpty() ? null : node));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aBadTopicOrWaitInTheYamlShouldStopTheStartNamingTheSetting() throws Exception {
        String base = TestServer.minimal(30, 10, "") + "cluster:\n  node_id: r1\n";
        ConfigException topic = assertThrows(ConfigException.class, () -> TestServer.config(base
                + "  kafka: {bootstrap_servers: '127.0.0.1:9092', updates_topic: 'nser updates'}\n"));
        assertTrue(topic.getMessage().contains("cluster.kafka.updates_topic: 'nser updates' is not a Kafka topic"),
                topic.getMessage());
        ConfigException wait = assertThrows(ConfigException.class, () -> TestServer.config(base
                + "  min_position_wait_ms: 600000\n  kafka: {bootstrap_servers: '127.0.0.1:9092'}\n"));
        assertTrue(wait.getMessage().contains("cluster.min_position_wait_ms: must be a whole number 0..60000"),
                wait.getMessage());
        ConfigException empty = assertThrows(ConfigException.class, () -> TestServer.config(base
                + "  kafka: {bootstrap_servers: ''}\n"));
        assertTrue(empty.getMessage().contains("cluster.kafka.bootstrap_servers: must be a non-empty string"),
                empty.getMessage());
    }
}
