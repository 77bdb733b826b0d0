package pk.gov.bisp.nser.server.clusteraudit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.cluster.DevKafka;
import pk.gov.bisp.nser.cluster.DevKafkaMain;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.journal.JournalReader;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.ServerProcess;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.AuditOptions;

/**
 * Issue 28's proof: two replicas under load, one (a process of its own) killed with SIGKILL and restarted over its
 * access journal. Afterwards every response any client received is in PostgreSQL exactly once, the topic holds each
 * (node, sequence) of both replicas exactly once from 1 without a gap (the shipper resumed where the topic ended),
 * and the bill in PostgreSQL is the logged rows times the organisation's rate.
 */
class ClusterKillNineTest {

    @Test
    void everyResponseReceivedIsInPostgresOnceAfterAReplicaIsKilledAndRestarted() throws Exception {
        DevKafkaMain.quiet();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Path journal = Files.createTempDirectory("nser-kill9-k2-journal");
        List<String> cnics = new ArrayList<>();
        for (long c : TestServer.headCnics(3, 71, 40)) {
            cnics.add(Cnic.format(c));
        }
        try (DevKafka kafka = DevKafka.start(Files.createTempDirectory("nser-kill9-kafka"), 0, 1);
             Postgres pg = Postgres.start();
             NserServer k1 = TestServer.start(TestServer.demoConfig().withCluster(kafka.bootstrap(), "k1")
                     .withAudit(pg.url()))) {
            String[] args = {"--kafka", kafka.bootstrap(), "--node-id", "k2", "--postgres", pg.url(), "--journal",
                    journal.toString()};
            AtomicReference<ServerProcess> k2 = new AtomicReference<>(ServerProcess.start(http, args));
            URI k1Base = URI.create("http://127.0.0.1:" + k1.port());
            ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                Thread c = new Thread(() -> {
                    int i = seed;
                    while (!stop.get()) {
                        URI base = seed % 2 == 0 ? k1Base : k2.get().base;
                        String path = i % 5 == 0 ? "/v1/households?province=6&limit=3"
                                : "/v1/households/by-cnic/" + cnics.get(i % cnics.size());
                        i += 3;
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path))
                                    .header("Authorization", "Bearer demo-power-key").timeout(Duration.ofSeconds(5))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            received.add(r.headers().firstValue("X-Request-Id").orElseThrow());
                        } catch (Exception e) {
                            try {
                                Thread.sleep(20); // the replica is down: try again shortly
                            } catch (InterruptedException x) {
                                return;
                            }
                        }
                    }
                });
                c.start();
                clients.add(c);
            }
            try {
                awaitAnswers(received, 300);
                k2.get().kill();
                int atKill = received.size();
                Thread.sleep(300); // k1 serves on alone
                k2.set(ServerProcess.start(http, args));
                awaitAnswers(received, atKill + 300);
            } finally {
                stop.set(true);
                for (Thread c : clients) {
                    c.join(10_000);
                }
            }
            long k2Records = journalRecords(journal);
            long deadline = System.nanoTime() + 90_000_000_000L;
            // the sink creates the access table with its first batch: until then a count is -1, not an error
            while (ClusterAuditTest.count(pg, "SELECT count(*) FROM access WHERE node_id = 'k1'") != k1.ledger().through()
                    || ClusterAuditTest.count(pg, "SELECT count(*) FROM access WHERE node_id = 'k2'") != k2Records) {
                assertTrue(System.nanoTime() < deadline, "PostgreSQL never held both journals: k1 "
                        + k1.ledger().through() + ", k2 " + k2Records);
                Thread.sleep(50);
                k2Records = journalRecords(journal);
            }
            k2.get().kill();

            // every response received is in PostgreSQL exactly once (a list, streamed, adds its end as kind 2)
            Map<String, Long> inPg = new HashMap<>();
            try (Connection c = DriverManager.getConnection(pg.url()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT request_id, count(*) FROM access WHERE kind = 1 "
                         + "GROUP BY request_id")) {
                while (rs.next()) {
                    inPg.put(rs.getString(1), rs.getLong(2));
                }
            }
            Set<String> got = new HashSet<>(received);
            assertEquals(received.size(), got.size(), "request ids are unique");
            for (String id : got) {
                assertEquals(1L, inPg.getOrDefault(id, 0L), "response " + id + " in PostgreSQL");
            }
            assertTrue(got.size() >= 600, "answers: " + got.size());

            // both replicas' records: sequences 1..n, each once, in PostgreSQL and on the topic
            for (String node : List.of("k1", "k2")) {
                long n = pg.queryLong("SELECT count(*) FROM access WHERE node_id = '" + node + "'");
                assertEquals(n, pg.queryLong("SELECT max(sequence) FROM access WHERE node_id = '" + node + "'"));
                assertEquals(n, pg.queryLong("SELECT count(DISTINCT sequence) FROM access WHERE node_id = '" + node
                        + "'"));
            }
            Map<String, List<Long>> topic = topic(kafka.bootstrap());
            for (String node : List.of("k1", "k2")) {
                List<Long> seqs = topic.get(node);
                for (int i = 0; i < seqs.size(); i++) {
                    assertEquals(i + 1, seqs.get(i), node + ": the topic's record " + i + " (no gap, no duplicate)");
                }
                assertEquals(pg.queryLong("SELECT count(*) FROM access WHERE node_id = '" + node + "'"), seqs.size());
            }

            // the bill in PostgreSQL is the logged rows times the rate (government 3 PKR a row; the admin gratis)
            assertEquals(pg.queryLong("SELECT sum(billed_rows) * 300 FROM access WHERE organisation = "
                    + "'punjab-social-protection'"), pg.queryLong("SELECT sum(amount_paisa) FROM access WHERE "
                    + "organisation = 'punjab-social-protection'"));
            // rows returned are the rows billed (a stream's are billed at its end, its first record planned them)
            assertEquals(pg.queryLong("SELECT sum(rows) FILTER (WHERE NOT (stream AND kind = 1)) FROM access WHERE "
                    + "organisation = 'punjab-social-protection'"),
                    pg.queryLong("SELECT sum(billed_rows) FROM access WHERE organisation = 'punjab-social-protection'"));
            HttpResponse<String> usage = TestServer.get(k1, "/admin/usage", TestServer.key("admin"));
            assertEquals(200, usage.statusCode(), usage.body());
            long paisa = pg.queryLong("SELECT sum(amount_paisa) FROM access WHERE organisation = "
                    + "'punjab-social-protection' AND ts >= date_trunc('month', now() AT TIME ZONE 'Asia/Karachi') "
                    + "AT TIME ZONE 'Asia/Karachi'");
            for (var o : TestServer.json(usage).get("organisations")) {
                if (o.get("organisation").asText().equals("punjab-social-protection")) {
                    assertEquals(0, java.math.BigDecimal.valueOf(paisa, 2).compareTo(o.get("charge_pkr")
                            .decimalValue()), o.toString());
                }
            }
        }
    }

    private static void awaitAnswers(ConcurrentLinkedQueue<String> received, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (received.size() < n) {
            assertTrue(System.nanoTime() < deadline, "only " + received.size() + " answers in 2 minutes");
            Thread.sleep(5);
        }
    }

    private static long journalRecords(Path dir) throws Exception {
        return JournalReader.read(dir, (seq, kind, data, off, len) -> { }).records();
    }

    /** Every node's sequences on the access topic, in topic order. */
    private static Map<String, List<Long>> topic(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Map<String, List<Long>> out = new HashMap<>();
        TopicPartition tp = new TopicPartition(AuditOptions.DEFAULT_ACCESS_TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.computeIfAbsent(AccessTopic.node(r), k -> new ArrayList<>()).add(AccessTopic.seq(r));
                }
            }
        }
        return out;
    }
}
