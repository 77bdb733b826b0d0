package pk.gov.bisp.nser.server.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import pk.gov.bisp.nser.server.config.ClusterOptions;
import pk.gov.bisp.nser.server.config.ConfigException;

/**
 * One Kafka topic of one partition: the total order of every replica's state changes. {@link #append} produces a
 * record with {@code acks=all} and idempotence (so a retried send is never written twice and never reordered),
 * on a thread of its own: a send can block on metadata, and its caller may be an event loop. {@link #read} reads
 * the topic in order from an offset on a consumer thread of its own and hands each record to the reader; there is no
 * consumer group: every replica reads everything.
 *
 * <p>A record's position is its offset + 1: the count of records up to and including it, so position 0 is "nothing
 * applied" (a snapshot's origin).
 */
public final class KafkaLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaLog.class.getName());
    /** How long a send may take before its caller is told the log cannot take it. */
    static final int DELIVERY_TIMEOUT_MS = 10_000;

    /** The kind of record an update command is: also every record without a kind header (the first slice's). */
    public static final String UPDATE = "update";
    /** The record headers that say what a record holds and which process sent it. */
    static final String KIND_HEADER = "nser-kind";
    static final String ORIGIN_HEADER = "nser-origin";

    /**
     * Told each record of the topic, in order, on the consumer thread: its kind ({@link #UPDATE}, or what
     * {@link #append(String, String, byte[], Appended)} was given) and origin (null when none was given).
     */
    public interface Reader {
        void record(long position, String kind, String origin, byte[] value, long timestampMillis);
    }

    /** Told once whether a record was appended: its position, or why not (on a Kafka thread). */
    public interface Appended {
        void done(long position, Exception failure);
    }

    private final ClusterOptions options;
    private final TopicPartition partition;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> daemon(r, "nser-kafka-send"));
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Thread reading;
    private volatile boolean closing;
    /** The position after the log's last record as last fetched (-1: not known yet). */
    private volatile long end = -1;

    private KafkaLog(ClusterOptions options, KafkaProducer<byte[], byte[]> producer) {
        this.options = options;
        this.partition = new TopicPartition(options.updatesTopic(), 0);
        this.producer = producer;
    }

    /**
     * Connects to Kafka, creates the topic with one partition if it does not exist (replicated on up to three
     * brokers) and checks that it has one partition: a start with a Kafka that does not answer, or a topic of
     * several partitions (no total order), fails here with a message naming the setting.
     */
    public static KafkaLog open(ClusterOptions options) throws IOException {
        Properties a = common(options);
        try (Admin admin = Admin.create(a)) {
            int brokers;
            try {
                brokers = admin.describeCluster().nodes().get(15, TimeUnit.SECONDS).size();
            } catch (ExecutionException | TimeoutException e) {
                throw new ConfigException("cluster.kafka.bootstrap_servers (--kafka): Kafka at "
                        + options.bootstrapServers() + " does not answer: " + cause(e));
            }
            ensureTopic(admin, options.updatesTopic(), "cluster.kafka.updates_topic", brokers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to Kafka", e);
        }
        Properties p = common(options);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5"); // ordered: idempotence keeps the order
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(DELIVERY_TIMEOUT_MS));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "nser-" + options.nodeId() + "-updates");
        return new KafkaLog(options, new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /**
     * Creates {@code topic} if missing, with one partition on up to three of the {@code brokers} and every record
     * kept, and checks it has exactly one partition. A topic just created may be unknown to the broker asked next
     * for a while: it is asked again, with growing pauses, for up to about 15 s. Problems name {@code option}.
     */
    public static void ensureTopic(Admin admin, String topic, String option, int brokers)
            throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS)
                        .get(topic);
                if (d.partitions().size() != 1) {
                    throw new ConfigException(option + ": topic " + topic + " has " + d.partitions().size()
                            + " partitions; it needs exactly one (one total order of its records)");
                }
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt >= 12) {
                    throw new ConfigException(option + ": topic " + topic + " cannot be read: " + cause(e));
                }
            }
            if (attempt > 0) {
                Thread.sleep(100L * Math.min(attempt, 20)); // created, not yet known everywhere
            }
            short replicas = (short) Math.min(3, brokers);
            NewTopic t = new NewTopic(topic, 1, replicas).configs(Map.of(
                    "min.insync.replicas", Integer.toString(replicas >= 3 ? 2 : 1),
                    "retention.ms", "-1", // a replica joins from its snapshot's origin: keep every record
                    "unclean.leader.election.enable", "false"));
            try {
                admin.createTopics(List.of(t)).all().get(15, TimeUnit.SECONDS);
                LOG.info("created topic " + topic + ": 1 partition, " + replicas + " replicas");
            } catch (ExecutionException | TimeoutException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // another replica created it first
                    throw new ConfigException(option + ": topic " + topic + " cannot be created: " + cause(e));
                }
            }
        }
    }

    private static Properties common(ClusterOptions o) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        return p;
    }

    private static String cause(Exception e) {
        Throwable c = e.getCause() != null ? e.getCause() : e;
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }

    /** Appends an update command; never blocks the caller. {@code done} is told once, on a Kafka thread. */
    public void append(byte[] value, Appended done) {
        append(null, null, value, done);
    }

    /**
     * Appends {@code value} as a record of {@code kind} (null: an update) sent by {@code origin} (who waits for it
     * to be applied; may be null), in the same order as every other record; never blocks the caller. {@code done}
     * is told once, on a Kafka thread.
     */
    public void append(String kind, String origin, byte[] value, Appended done) {
        ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(partition.topic(), 0, null, value);
        if (kind != null) {
            rec.headers().add(KIND_HEADER, kind.getBytes(StandardCharsets.UTF_8));
        }
        if (origin != null) {
            rec.headers().add(ORIGIN_HEADER, origin.getBytes(StandardCharsets.UTF_8));
        }
        try {
            sender.execute(() -> {
                try {
                    producer.send(rec, (meta, e) ->
                            done.done(e == null ? meta.offset() + 1 : -1, e));
                } catch (RuntimeException e) { // metadata not fetched in max.block.ms, closed, too large
                    done.done(-1, e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.done(-1, e);
        }
    }

    /** Reads the topic from {@code position} (0: its start) on a thread of its own, handing each record to r. */
    public synchronized void read(long position, Reader r) {
        if (reading != null) {
            throw new IllegalStateException("the update log is already being read");
        }
        Properties p = common(options);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "nser-" + options.nodeId() + "-apply");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        c.assign(List.of(partition));
        c.seek(partition, position);
        consumer = c;
        Thread t = daemon(() -> poll(c, r), "nser-kafka-apply");
        reading = t;
        t.start();
    }

    private void poll(KafkaConsumer<byte[], byte[]> c, Reader r) {
        try {
            while (!closing) {
                var records = c.poll(Duration.ofMillis(500));
                var behind = c.currentLag(partition); // from the last fetch: no request of its own
                if (behind.isPresent()) {
                    end = c.position(partition) + behind.getAsLong(); // the high watermark
                }
                for (ConsumerRecord<byte[], byte[]> rec : records) {
                    String kind = header(rec, KIND_HEADER);
                    r.record(rec.offset() + 1, kind == null ? UPDATE : kind, header(rec, ORIGIN_HEADER), rec.value(),
                            rec.timestamp());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "the update log cannot be read any more; this replica applies no further update: "
                    + e, e);
        } finally {
            c.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> rec, String name) {
        Header h = rec.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The position after the log's last record, as this replica last fetched it; -1 before the first fetch. */
    public long end() {
        return end;
    }

    /** The topic, for messages. */
    public String topic() {
        return partition.topic();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        closing = true;
        sender.shutdown();
        try {
            if (!sender.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warning("updates still being sent to Kafka at shutdown were not sent");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
        KafkaConsumer<byte[], byte[]> c = consumer;
        Thread t = reading;
        if (c != null) {
            c.wakeup();
        }
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
