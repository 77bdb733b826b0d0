package pk.gov.bisp.nser.server.clusteraudit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import pk.gov.bisp.nser.core.journal.Journal;
import pk.gov.bisp.nser.core.journal.JournalDamage;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.core.journal.RecordVisitor;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.accesslog.JournalListener;
import pk.gov.bisp.nser.server.config.AuditOptions;
import pk.gov.bisp.nser.server.config.ClusterOptions;
import pk.gov.bisp.nser.server.config.ConfigException;

/**
 * Ships this replica's access journal to the access topic, in sequence order, on a thread of its own: nothing on
 * the request path waits for it. It takes each record as the journal writes it ({@link #apply}, after the ledger:
 * one non-blocking offer to a bounded queue) and sends it once the journal has fsynced it, so a sequence shipped
 * is never lost by a crash and never reused. Whatever the queue could not hold (Kafka away for a while), and
 * whatever was written before this process started, is read back from the journal files. Records the journal lost
 * to damage are shipped as one record of their count ({@link AccessTopic#LOST}), so the audit database counts them.
 *
 * <p>At start it asks the topic for the last sequence it holds from this node and ships from the one after: after
 * a kill -9, the records written but not yet shipped follow, none twice from this process (a send that failed is
 * resent from its first unacknowledged record, and readers drop a (node, sequence) they have seen).
 */
public final class AccessShipper implements JournalListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AccessShipper.class.getName());
    /** Records waiting in memory for their fsync and their shipment; beyond this they are read back from disk. */
    static final int QUEUE = 65_536;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private record Item(int kind, AccessRecord record, long sequence) {
    }

    private record Out(long sequence, int kind, byte[] json) {
    }

    private final JournalListener ledger;
    private final Journal journal;
    private final String node;
    private final String topic;
    private final int batch;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ArrayBlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AccessRecord.Encoder encoder = new AccessRecord.Encoder();
    private final Thread thread;
    /** The last sequence Kafka acknowledged (or the topic held at start). */
    private volatile long shipped;
    private volatile long readBack;
    private volatile boolean closing;

    private AccessShipper(ClusterOptions cluster, AuditOptions audit, Journal journal, JournalListener ledger,
                          KafkaProducer<byte[], byte[]> producer, long shipped) {
        this.ledger = ledger;
        this.journal = journal;
        this.node = cluster.nodeId();
        this.topic = audit.accessTopic();
        this.batch = audit.shipBatch();
        this.producer = producer;
        this.shipped = shipped;
        this.thread = new Thread(this::run, "nser-access-ship");
        this.thread.setDaemon(true);
    }

    /**
     * Connects, finds where this node's records in the topic end and starts shipping from there. A topic holding
     * more of this node than its journal has (the node id reused over another journal) refuses the start.
     *
     * @param ledger what bills each record, told before the shipper takes it
     */
    public static AccessShipper start(ClusterOptions cluster, AuditOptions audit, Journal journal,
                                      JournalListener ledger) throws IOException {
        TopicPartition tp = AccessTopic.ensure(cluster, audit.accessTopic());
        long last = lastShipped(cluster, tp);
        if (last > journal.writtenSequence()) {
            throw new ConfigException("cluster.node_id (--node-id) " + cluster.nodeId() + ": the access topic "
                    + tp.topic() + " holds this node's records up to sequence " + last + " but its access journal "
                    + journal.options().dir() + " ends at " + journal.writtenSequence() + ": each replica keeps its "
                    + "own journal under its own node id");
        }
        Properties p = AccessTopic.common(cluster);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "nser-" + cluster.nodeId() + "-access");
        AccessShipper s = new AccessShipper(cluster, audit, journal, ledger,
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer()), last);
        LOG.info("access shipping to " + tp.topic() + " from sequence " + (last + 1) + " (the topic holds this "
                + "node's records through " + last + "; the journal is written through " + journal.writtenSequence()
                + ")");
        s.thread.start();
        return s;
    }

    /**
     * The greatest sequence of {@code node} in the topic (0: none), read backwards from the end in growing windows:
     * this node's last record is near the end unless it was away while the others wrote a lot.
     */
    static long lastShipped(ClusterOptions cluster, TopicPartition tp) throws IOException {
        try (KafkaConsumer<byte[], byte[]> c = AccessTopic.consumer(cluster, "access-resume", null, 2000, 500)) {
            c.assign(List.of(tp));
            long begin = c.beginningOffsets(List.of(tp)).get(tp);
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            long window = 1_024;
            long last = 0;
            while (end > begin) {
                long from = Math.max(begin, end - window);
                c.seek(tp, from);
                while (c.position(tp) < end) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("the access topic " + tp.topic() + " could not be read back to find "
                                + "where this node's records end (2 minutes)");
                    }
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                        if (r.offset() < end && cluster.nodeId().equals(AccessTopic.node(r))) {
                            last = Math.max(last, AccessTopic.seq(r));
                        }
                    }
                }
                if (last > 0) {
                    return last;
                }
                end = from;
                window *= 4;
            }
            return last;
        }
    }

    /** On the journal's writing thread: the ledger bills it, then it waits here for its shipment. */
    @Override
    public void apply(int kind, AccessRecord r, long sequence) {
        ledger.apply(kind, r, sequence);
        queue.offer(new Item(kind, r, sequence)); // full: read back from the journal later
    }

    /** The last sequence the topic acknowledged. */
    public long shipped() {
        return shipped;
    }

    /** Records read back from the journal files rather than taken from memory, since start. */
    public long readBack() {
        return readBack;
    }

    private void run() {
        long backoff = 100;
        while (true) {
            long synced = journal.syncedSequence();
            long from = shipped + 1;
            if (synced < from) {
                if (closing) {
                    return;
                }
                LockSupport.parkNanos(IDLE_NANOS);
                continue;
            }
            long to = Math.min(synced, from + batch - 1);
            try {
                List<Out> out = new ArrayList<>();
                long through = collect(from, to, out);
                if (through < from) {
                    throw new IOException("journal records " + from + ".." + to + " were neither read nor lost");
                }
                long sent = send(out, through);
                shipped = sent;
                if (sent < through) {
                    throw new IOException("Kafka did not acknowledge sequence " + (sent + 1));
                }
                backoff = 100;
            } catch (IOException | RuntimeException e) {
                if (closing) {
                    LOG.warning("access records after sequence " + shipped + " not shipped at shutdown; the next "
                            + "start ships them: " + e.getMessage());
                    return;
                }
                LOG.log(Level.WARNING, "access shipping paused (retry in " + backoff + " ms): " + e.getMessage());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
                backoff = Math.min(5_000, backoff * 2);
            }
        }
    }

    /**
     * The records {@code from}..{@code to} (all fsynced) into {@code out}, from memory when the queue holds them
     * in order, else from the journal files; returns the last sequence covered (read, or lost to damage).
     */
    private long collect(long from, long to, List<Out> out) throws IOException {
        Item head;
        while ((head = queue.peek()) != null && head.sequence() < from) {
            queue.poll();
        }
        if (head != null && head.sequence() == from) {
            long expect = from;
            while ((head = queue.peek()) != null && head.sequence() == expect && expect <= to) {
                queue.poll();
                out.add(new Out(expect, head.kind(), encoder.encode(head.record())));
                expect++;
            }
            return expect - 1;
        }
        long upTo = head == null ? to : Math.min(to, head.sequence() - 1);
        long[] covered = {from - 1};
        JournalReader.read(journal.options().dir(), from, new RecordVisitor() {
            @Override
            public void record(long seq, int kind, byte[] data, int off, int len) {
                if (seq >= from && seq <= upTo) {
                    out.add(new Out(seq, kind, java.util.Arrays.copyOfRange(data, off, off + len)));
                    covered[0] = Math.max(covered[0], seq);
                }
            }

            @Override
            public void lost(JournalDamage d) {
                if (d.lastLost() >= from && d.firstLost() <= upTo) {
                    long first = Math.max(from, d.firstLost());
                    long last = Math.min(upTo, d.lastLost());
                    if (last >= first) {
                        LOG.warning("access records " + first + ".." + last + " were lost to damage in the journal: "
                                + "shipped as a count of lost records");
                        out.add(new Out(first, AccessTopic.LOST, AccessTopic.lost(first, last,
                                System.currentTimeMillis())));
                    }
                    covered[0] = Math.max(covered[0], last);
                }
            }
        });
        readBack += out.size();
        return covered[0];
    }

    /** Sends {@code out} and waits for the acknowledgements; returns the last sequence acknowledged in order. */
    private long send(List<Out> out, long through) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(out.size());
        for (Out o : out) {
            sent.add(producer.send(new ProducerRecord<>(topic, 0, null, AccessTopic.key(node, o.sequence()),
                    o.json(), AccessTopic.headers(node, o.sequence(), o.kind()))));
        }
        producer.flush();
        long acknowledged = out.isEmpty() ? through : out.get(0).sequence() - 1;
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get();
                acknowledged = i == sent.size() - 1 ? through : out.get(i + 1).sequence() - 1;
            } catch (ExecutionException e) {
                LOG.warning("Kafka refused access record " + out.get(i).sequence() + ": " + e.getCause());
                return acknowledged;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return acknowledged;
            }
        }
        return acknowledged;
    }

    /**
     * Ships what the journal has fsynced (for up to 10 s), then stops. Call after the journal is closed, so that
     * every record is fsynced.
     */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
