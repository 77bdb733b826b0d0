package pk.gov.bisp.nser.server.clusteraudit;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.auth.Bills;
import pk.gov.bisp.nser.server.config.ClusterOptions;
import pk.gov.bisp.nser.server.http.Today;

/**
 * What each organisation has been billed in the whole cluster, for its monthly budget and row quota: this replica's
 * own ledger (exact, as each record is journaled) plus every other replica's records as they arrive on the access
 * topic (read on a consumer thread of its own, from the start of the previous month; a (node, sequence) seen
 * before is not counted again).
 *
 * <p>The overshoot bound. A replica admits a request while its view of the total is under the limit; its view
 * lacks only the other replicas' records served in the last {@link #maxLagMillis() L} (the journal's fsync, the
 * shipper, Kafka and this consumer). So the rows served beyond a quota Q are at most
 * <pre>
 *   overshoot  <=  sum over replicas j of ( r_j * L  +  c_j * R )
 * </pre>
 * where r_j is replica j's rate of billed rows for the organisation, c_j its requests in flight at once, and R the
 * most rows one request may bill (1 for a lookup; the page or batch size for lists and eligibility batches). The
 * second term is there on one server too: requests admitted together are billed after they are answered. The
 * budget's bound is the same in paisa (rows times the organisation's rate).
 */
public final class ClusterBills implements Bills, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterBills.class.getName());

    private final Bills local;
    private final String node;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    /** [rows, paisa] by organisation and month, of the other replicas. */
    private final Map<String, Map<YearMonth, long[]>> remote = new HashMap<>();
    /** The last sequence counted per other replica. */
    private final Map<String, Long> seen = new HashMap<>();
    private volatile long maxLagMillis;
    private volatile long counted;
    private volatile boolean closing;

    private ClusterBills(Bills local, String node, KafkaConsumer<byte[], byte[]> consumer) {
        this.local = local;
        this.node = node;
        this.consumer = consumer;
        this.thread = new Thread(this::run, "nser-access-quota");
        this.thread.setDaemon(true);
    }

    /** Starts reading the access topic from the start of the previous month (Pakistan time). */
    public static ClusterBills start(Bills local, ClusterOptions cluster, String topic) throws IOException {
        TopicPartition tp = AccessTopic.ensure(cluster, topic);
        KafkaConsumer<byte[], byte[]> c = AccessTopic.consumer(cluster, "access-quota", null, 5000, 50);
        c.assign(List.of(tp));
        long since = YearMonth.now(Today.PAKISTAN).minusMonths(1).atDay(1).atStartOfDay(Today.PAKISTAN).toInstant()
                .toEpochMilli();
        OffsetAndTimestamp at = c.offsetsForTimes(Map.of(tp, since)).get(tp);
        if (at != null) {
            c.seek(tp, at.offset());
        } else {
            c.seekToEnd(List.of(tp));
        }
        ClusterBills b = new ClusterBills(local, cluster.nodeId(), c);
        b.thread.start();
        return b;
    }

    private void run() {
        try {
            while (!closing) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    count(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "the access topic cannot be read any more: monthly limits count this replica's "
                    + "own rows and the others' read so far: " + e, e);
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void count(ConsumerRecord<byte[], byte[]> r) {
        String from = AccessTopic.node(r);
        if (from == null || from.equals(node) || AccessTopic.kind(r) == AccessTopic.LOST) {
            return; // this replica's own (in its ledger already), or a count of records lost (no bill to read)
        }
        long seq = AccessTopic.seq(r);
        AccessRecord a;
        try {
            a = AccessRecord.decode(r.value(), 0, r.value().length);
        } catch (IOException e) {
            LOG.warning("access topic offset " + r.offset() + " is not an access record: " + e.getMessage());
            return;
        }
        synchronized (this) {
            if (seq <= seen.getOrDefault(from, 0L)) {
                return; // a resend
            }
            seen.put(from, seq);
            if (a.organisation() != null) {
                YearMonth m = YearMonth.from(Instant.ofEpochMilli(a.epochMillis()).atZone(Today.PAKISTAN));
                long[] c = remote.computeIfAbsent(a.organisation(), o -> new HashMap<>()).computeIfAbsent(m,
                        k -> new long[2]);
                c[0] += a.billedRows();
                c[1] += a.amountPaisa();
            }
        }
        counted++;
        long lag = System.currentTimeMillis() - a.epochMillis();
        if (lag > maxLagMillis && a.epochMillis() >= startMillis) {
            maxLagMillis = lag;
        }
    }

    /** Records older than this (read back at start) do not count towards the lag. */
    private final long startMillis = System.currentTimeMillis();

    @Override
    public long[] billed(String organisation, YearMonth month) {
        long[] own = local.billed(organisation, month);
        long[] others;
        synchronized (this) {
            others = remote.getOrDefault(organisation, Map.of()).getOrDefault(month, new long[2]).clone();
        }
        return new long[] {own[0] + others[0], own[1] + others[1]};
    }

    /** The greatest time between a record of another replica being served and counted here (L above). */
    public long maxLagMillis() {
        return maxLagMillis;
    }

    /** Records of other replicas counted. */
    public long counted() {
        return counted;
    }

    /** The {@code /metrics} lines. */
    public String gauges() {
        return "# HELP nser_quota_view_lag_max_ms The longest a record of another replica took to count here.\n"
                + "# TYPE nser_quota_view_lag_max_ms gauge\nnser_quota_view_lag_max_ms " + maxLagMillis + "\n"
                + "# HELP nser_quota_remote_records Records of other replicas counted for the monthly limits.\n"
                + "# TYPE nser_quota_remote_records counter\nnser_quota_remote_records " + counted + "\n";
    }

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
