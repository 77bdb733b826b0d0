package pk.gov.bisp.nser.server.clusteraudit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import pk.gov.bisp.nser.server.cluster.KafkaLog;
import pk.gov.bisp.nser.server.config.ClusterOptions;
import pk.gov.bisp.nser.server.config.ConfigException;

/**
 * The access topic ({@code cluster.kafka.access_topic}): one partition, every replica's access records, each keyed
 * {@code NODE/SEQUENCE} (the replica and its journal sequence: a resend is recognised by it) with headers
 * {@code node}, {@code seq} and {@code kind} (1 request, 2 stream end), its value the record's JSON exactly as the
 * journal holds it; or, of kind {@value #LOST}, a run of records the replica's journal lost to damage, keyed by its
 * first sequence, its value {@code {"first":F,"last":L,"records":N,"found":EPOCH_MS}} ({@link #lost}). Kept forever:
 * the sink may be away, and a new sink reads it from the start.
 */
final class AccessTopic {

    static final String NODE = "node";
    static final String SEQ = "seq";
    static final String KIND = "kind";
    /** The kind of a record telling of records lost to damage in a replica's journal. */
    static final int LOST = 3;

    private AccessTopic() {
    }

    /** Creates the topic if missing (one partition, on up to three brokers) and checks it has one partition. */
    static TopicPartition ensure(ClusterOptions cluster, String topic) throws IOException {
        try (Admin admin = Admin.create(common(cluster))) {
            int brokers;
            try {
                brokers = admin.describeCluster().nodes().get(15, TimeUnit.SECONDS).size();
            } catch (ExecutionException | TimeoutException e) {
                throw new ConfigException("cluster.kafka.bootstrap_servers (--kafka): Kafka at "
                        + cluster.bootstrapServers() + " does not answer: " + e);
            }
            KafkaLog.ensureTopic(admin, topic, "cluster.kafka.access_topic", brokers);
            return new TopicPartition(topic, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to Kafka", e);
        }
    }

    static Properties common(ClusterOptions o) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        return p;
    }

    /**
     * A consumer of the access topic that commits nothing by itself, named {@code nser-NODE-ROLE}, reading up to
     * {@code maxPoll} records a poll and waiting at most {@code fetchWaitMillis} for them; in consumer group
     * {@code group} (from the earliest record when the group has committed nothing), or in none when it is null.
     */
    static KafkaConsumer<byte[], byte[]> consumer(ClusterOptions cluster, String role, String group, int maxPoll,
                                                  int fetchWaitMillis) {
        Properties p = common(cluster);
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPoll));
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.toString(fetchWaitMillis));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "nser-" + cluster.nodeId() + "-" + role);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The value of a {@link #LOST} record: records {@code first..last} lost, found at {@code foundMillis}. */
    static byte[] lost(long first, long last, long foundMillis) {
        return ("{\"first\":" + first + ",\"last\":" + last + ",\"records\":" + (last - first + 1) + ",\"found\":"
                + foundMillis + "}").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] key(String node, long seq) {
        return (node + "/" + seq).getBytes(StandardCharsets.UTF_8);
    }

    static RecordHeaders headers(String node, long seq, int kind) {
        RecordHeaders h = new RecordHeaders();
        h.add(new RecordHeader(NODE, node.getBytes(StandardCharsets.UTF_8)));
        h.add(new RecordHeader(SEQ, Long.toString(seq).getBytes(StandardCharsets.US_ASCII)));
        h.add(new RecordHeader(KIND, Integer.toString(kind).getBytes(StandardCharsets.US_ASCII)));
        return h;
    }

    /** The record's replica, or null when it has no node header (not an access record). */
    static String node(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(NODE);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static long seq(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(SEQ);
        return h == null ? -1 : Long.parseLong(new String(h.value(), StandardCharsets.US_ASCII));
    }

    static int kind(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(KIND);
        return h == null ? 1 : Integer.parseInt(new String(h.value(), StandardCharsets.US_ASCII));
    }
}
