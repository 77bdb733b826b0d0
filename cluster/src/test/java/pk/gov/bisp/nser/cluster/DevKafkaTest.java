package pk.gov.bisp.nser.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development broker as a developer runs it: its command in a child JVM, then a plain client against it. */
class DevKafkaTest {

    static {
        DevKafkaMain.quiet(); // the clients' INFO lines drown the test's output
    }

    @TempDir
    Path dir;

    @Test
    void printsReadyThenTakesAndServesARecordWithAcksAll() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                DevKafkaMain.class.getName(), "--dir", dir.resolve("kafka").toString(), "--port", "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine(); // blocks until the broker answers clients (or the child dies: null)
            assertTrue(line != null && line.startsWith("ready 127.0.0.1:"), "first line: " + line);
            String bootstrap = line.substring("ready ".length());

            Properties pp = new Properties();
            pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            pp.put(ProducerConfig.ACKS_CONFIG, "all");
            pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            RecordMetadata written;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(),
                    new StringSerializer())) {
                written = producer.send(new ProducerRecord<>("dev-test", "household-1", "roster change"))
                        .get(60, TimeUnit.SECONDS);
            }
            assertEquals(0, written.offset());

            Properties cp = new Properties();
            cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp, new StringDeserializer(),
                    new StringDeserializer())) {
                TopicPartition tp = new TopicPartition("dev-test", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                ConsumerRecord<String, String> got = null;
                for (int i = 0; i < 60 && got == null; i++) { // bounded: the record is there, fetching it takes polls
                    var records = consumer.poll(Duration.ofSeconds(1));
                    got = records.isEmpty() ? null : records.iterator().next();
                }
                assertTrue(got != null, "the record produced was not fetched");
                assertEquals("household-1", got.key());
                assertEquals("roster change", got.value());
                assertEquals(0, got.offset());
            }
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
