package pk.gov.bisp.nser.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.TestServer;

/** Issue 28: {@code cluster.kafka.access_topic}, the {@code audit:} section and {@code --postgres}, checked at start. */
class AuditOptionsTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/nser?user=nser&password=s3cret";

    @Test
    void withoutTheSectionRecordsGoToTheDefaultTopicAndNoDatabase() throws Exception {
        ServerConfig c = TestServer.demoConfig();
        assertEquals(AuditOptions.DEFAULTS, c.audit());
        assertEquals("nser.access", c.audit().accessTopic());
        assertFalse(c.audit().database());
        assertEquals(4, c.audit().poolSize());
    }

    @Test
    void theYamlAndTheCommandLineShouldGiveTheSameOptionsAndThePasswordIsNeverLogged() throws Exception {
        ServerConfig y = TestServer.config(TestServer.minimal(30, 10, "") + "cluster:\n  node_id: r1\n"
                + "  kafka: {bootstrap_servers: '127.0.0.1:9092', access_topic: nser.access.test}\n"
                + "audit: {postgres: '" + URL + "', pool_size: 2, ship_batch: 100}\n");
        assertEquals(new AuditOptions("nser.access.test", URL, 2, 100), y.audit());
        assertTrue(y.describe().contains("audit: access records shipped to topic nser.access.test; database "
                + "jdbc:postgresql://127.0.0.1:5432/nser?user=nser&password=***"), y.describe());
        assertFalse(y.describe().contains("s3cret"));
        ServerConfig flags = TestServer.config(TestServer.minimal(30, 10, "")).withCluster("127.0.0.1:9092", "r2")
                .withAudit(URL);
        assertEquals(URL, flags.audit().postgres());
        flags.audit().checkWith(flags.cluster());
    }

    @Test
    void aBadSettingShouldStopTheStartNamingIt() throws Exception {
        String base = TestServer.minimal(30, 10, "");
        ConfigException url = assertThrows(ConfigException.class, () -> TestServer.config(base)
                .withAudit("postgres://x:y@host/db?password=hunter2"));
        assertTrue(url.getMessage().contains("audit.postgres (--postgres): 'postgres://x:y@host/db?password=***' is not"
                + " a PostgreSQL JDBC URL"), url.getMessage());
        ConfigException topic = assertThrows(ConfigException.class, () -> TestServer.config(base
                + "cluster:\n  kafka: {access_topic: 'nser access'}\n"));
        assertTrue(topic.getMessage().contains("cluster.kafka.access_topic: 'nser access' is not a Kafka topic"),
                topic.getMessage());
        ConfigException pool = assertThrows(ConfigException.class, () -> TestServer.config(base
                + "audit: {pool_size: 0}\n"));
        assertTrue(pool.getMessage().contains("audit.pool_size: must be a whole number 1..64"), pool.getMessage());
        ServerConfig noKafka = TestServer.config(base).withAudit(URL);
        ConfigException kafka = assertThrows(ConfigException.class, () -> noKafka.audit().checkWith(
                noKafka.cluster()));
        assertTrue(kafka.getMessage().contains("audit.postgres (--postgres) needs cluster.kafka.bootstrap_servers"),
                kafka.getMessage());
    }
}
