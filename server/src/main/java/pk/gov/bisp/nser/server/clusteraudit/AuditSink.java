package pk.gov.bisp.nser.server.clusteraudit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.config.ClusterOptions;

/**
 * Writes the access topic into the audit database: a component of every replica started with
 * {@code audit.postgres}. The replicas' sinks form one Kafka consumer group ({@value #GROUP}), so the topic's one
 * partition is written by one of them at a time, and another takes over when it goes. Each batch polled is
 * inserted in one transaction, idempotently on (node, sequence), and only then is its offset committed: a crash
 * between the two writes the batch again, to no effect. While PostgreSQL does not answer, the batch is retried
 * (from 100 ms up to 5 s apart) with the partition paused, and the replicas serve and ship on: when it is back
 * the sink catches up from where it stopped.
 */
public final class AuditSink implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AuditSink.class.getName());
    /** The sinks' consumer group. */
    public static final String GROUP = "nser-audit-sink";

    private final AuditDatabase db;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Thread thread;
    private final List<AuditDatabase.Row> pending = new ArrayList<>();
    /** Runs of records lost to damage in a replica's journal, read with {@link #pending}. */
    private final List<AuditDatabase.Lost> pendingLost = new ArrayList<>();
    private volatile boolean closing;
    private volatile long written;
    private volatile boolean schema;

    private AuditSink(AuditDatabase db, KafkaConsumer<byte[], byte[]> consumer, String topic) {
        this.db = db;
        this.consumer = consumer;
        this.topic = topic;
        this.thread = new Thread(this::run, "nser-audit-sink");
        this.thread.setDaemon(true);
    }

    public static AuditSink start(AuditDatabase db, ClusterOptions cluster, String topic) throws IOException {
        AccessTopic.ensure(cluster, topic);
        KafkaConsumer<byte[], byte[]> c = AccessTopic.consumer(cluster, "audit-sink", GROUP, 5000, 100);
        AuditSink s = new AuditSink(db, c, topic);
        s.thread.start();
        return s;
    }

    /** Rows this sink has written (a row already there not counted). */
    public long written() {
        return written;
    }

    private void run() {
        long backoff = 100;
        boolean down = false;
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    pending.clear(); // whoever takes the partition reads them again from the committed offset
                    pendingLost.clear();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            while (!closing) {
                if (pending.isEmpty() && pendingLost.isEmpty()) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        take(r);
                    }
                    if (pending.isEmpty() && pendingLost.isEmpty() && !records.isEmpty()) {
                        consumer.commitSync();
                    }
                } else { // paused: stays in the group, fetches nothing
                    ConsumerRecords<byte[], byte[]> meanwhile = consumer.poll(Duration.ofMillis(backoff));
                    // ...unless the group took the partition and gave it back during this poll: then pending was
                    // dropped, the partition comes back unpaused and its records from the committed offset arrive
                    // here. They are read again from there, not passed over (that lost them for the database).
                    for (TopicPartition tp : meanwhile.partitions()) {
                        consumer.seek(tp, meanwhile.records(tp).get(0).offset());
                    }
                }
                if (pending.isEmpty() && pendingLost.isEmpty()) {
                    continue;
                }
                try {
                    if (!schema) {
                        db.applySchema();
                        schema = true;
                    }
                    written += db.insert(pending);
                    db.insertLost(pendingLost);
                    consumer.commitSync();
                    pending.clear();
                    pendingLost.clear();
                    consumer.resume(consumer.paused());
                    if (down) {
                        LOG.info("the audit database answers again: catching up");
                        down = false;
                    }
                    backoff = 100;
                } catch (SQLException | IOException e) {
                    if (!down) {
                        LOG.warning("the audit database cannot take access records (the replicas serve and ship on;"
                                + " retrying): " + e.getMessage());
                        down = true;
                    }
                    consumer.pause(consumer.assignment());
                    backoff = Math.min(5_000, backoff * 2);
                } catch (KafkaException e) {
                    if (e instanceof WakeupException) {
                        throw e;
                    }
                    LOG.warning("audit sink: the offset was not committed (the batch will be written again, to no "
                            + "effect): " + e.getMessage());
                    pending.clear();
                    pendingLost.clear();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "the audit sink stopped: " + e, e);
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Adds an access record, or a run of lost ones, to what is to be written. */
    private void take(ConsumerRecord<byte[], byte[]> r) {
        String node = AccessTopic.node(r);
        if (node == null) {
            return;
        }
        try {
            if (AccessTopic.kind(r) == AccessTopic.LOST) {
                JsonNode j = LOST_READER.readTree(r.value());
                pendingLost.add(new AuditDatabase.Lost(node, j.path("first").asLong(), j.path("last").asLong(),
                        j.path("records").asLong(), j.path("found").asLong()));
            } else {
                pending.add(new AuditDatabase.Row(node, AccessTopic.seq(r), AccessTopic.kind(r),
                        AccessRecord.decode(r.value(), 0, r.value().length)));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning("access topic offset " + r.offset() + " is not an access record, skipped: " + e);
        }
    }

    private static final ObjectMapper LOST_READER = new ObjectMapper();

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
