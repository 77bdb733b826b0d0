package pk.gov.bisp.nser.server.clusteraudit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import pk.gov.bisp.nser.cluster.DevKafka;
import pk.gov.bisp.nser.cluster.DevKafkaMain;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.config.AuditOptions;
import pk.gov.bisp.nser.server.config.ClusterOptions;

/**
 * Issue 28's benchmark, run on demand ({@code -Dnser.bench=true -Dtest=ClusterAuditBenchmark}; it measures, it
 * asserts nothing): the records per second the sink writes from the access topic into PostgreSQL, and the lookup
 * throughput of a server without shipping against a replica that ships every record, alternated in rounds in one
 * run. Prints its figures; BENCHMARKS.md holds them.
 */
@EnabledIfSystemProperty(named = "nser.bench", matches = "true")
class ClusterAuditBenchmark {

    @Test
    void sinkRateAndLookupsWithShippingOnAndOff() throws Exception {
        DevKafkaMain.quiet();
        int records = Integer.getInteger("nser.bench.records", 200_000);
        try (DevKafka kafka = DevKafka.start(Files.createTempDirectory("nser-bench-kafka"), 0, 1);
             Postgres pg = Postgres.start()) {
            ClusterOptions cluster = TestServer.demoConfig().withCluster(kafka.bootstrap(), "bench").cluster();
            AccessTopic.ensure(cluster, AuditOptions.DEFAULT_ACCESS_TOPIC);
            Properties p = AccessTopic.common(cluster);
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
            AccessRecord.Encoder enc = new AccessRecord.Encoder();
            long t0 = System.currentTimeMillis();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (int i = 1; i <= records; i++) {
                    AccessRecord r = new AccessRecord(Long.toHexString(i), t0 + i, "10.1.2.3", "power-1",
                            "Demo Power User", "punjab-social-protection", "government_federal_provincial", "power",
                            "lookup", "GET", "/v1/households/by-cnic/[redacted]", null, Cnic.format(35202_0000000_1L + i * 10L),
                            1, 7, 200, 420, false, 1, 300, null, "DSA-2026-001");
                    producer.send(new ProducerRecord<>(AuditOptions.DEFAULT_ACCESS_TOPIC, 0, null,
                            AccessTopic.key("bench", i), enc.encode(r), AccessTopic.headers("bench", i, 1)));
                }
            }
            try (AuditDatabase db = new AuditDatabase(AuditOptions.DEFAULTS.withPostgres(pg.url()))) {
                db.applySchema();
                long start = System.nanoTime();
                try (AuditSink sink = AuditSink.start(db, cluster, AuditOptions.DEFAULT_ACCESS_TOPIC)) {
                    while (sink.written() < records) {
                        Thread.sleep(20);
                    }
                    double s = (System.nanoTime() - start) / 1e9;
                    System.out.printf(Locale.ROOT, "BENCH sink: %,d records into PostgreSQL in %.2f s: %,.0f records/s"
                            + " (from the topic's start, the consumer group's first join included)%n", records, s,
                            records / s);
                }
            }

            try (NserServer off = TestServer.start(TestServer.demoConfig());
                 NserServer on = TestServer.start(TestServer.demoConfig().withCluster(kafka.bootstrap(), "ship"))) {
                List<String> cnics = new ArrayList<>();
                for (long c : TestServer.headCnics(1, 37, 200)) {
                    cnics.add(Cnic.format(c));
                }
                int rounds = Integer.getInteger("nser.bench.rounds", 4);
                int seconds = Integer.getInteger("nser.bench.seconds", 8);
                long[] totals = new long[2];
                for (int round = 0; round < rounds; round++) {
                    for (int k = 0; k < 2; k++) {
                        int which = (round + k) % 2; // off first, then on first, and so on
                        NserServer s = which == 0 ? off : on;
                        double rate = load(s.port(), cnics, seconds);
                        totals[which] += (long) (rate * seconds);
                        System.out.printf(Locale.ROOT, "BENCH round %d, shipping %s: %,.0f lookups/s%n", round + 1,
                                which == 0 ? "off" : "on", rate);
                    }
                }
                System.out.printf(Locale.ROOT, "BENCH lookups: shipping off %,.0f/s, on %,.0f/s, on/off %.3f "
                        + "(shipped through sequence %d)%n", totals[0] / (double) (rounds * seconds),
                        totals[1] / (double) (rounds * seconds), totals[1] / (double) totals[0],
                        on.clusterAudit().shipper().shipped());
            }
        }
    }

    /** A closed loop of 16 clients for {@code seconds}: Power lookups by CNIC; returns requests per second. */
    private static double load(int port, List<String> cnics, int seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder done = new LongAdder();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int seed = t;
            Thread c = new Thread(() -> {
                int i = seed;
                while (!stop.get()) {
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/v1/households/by-cnic/" + cnics.get(i++ % cnics.size())))
                                .header("Authorization", "Bearer demo-power-key").timeout(Duration.ofSeconds(10))
                                .build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 200) {
                            done.increment();
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            c.start();
            clients.add(c);
        }
        Thread.sleep(1_000); // warm
        long before = done.sum();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1_000L);
        long n = done.sum() - before;
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        stop.set(true);
        for (Thread c : clients) {
            c.join(10_000);
        }
        return rate;
    }
}
