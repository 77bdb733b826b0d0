package pk.gov.bisp.nser.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A development Kafka cluster in one process: {@code brokers} KRaft nodes, each broker and controller at once
 * ({@code process.roles=broker,controller}), on loopback, with a static controller quorum of all of them. It is
 * Kafka's own server ({@code kafka.server.KafkaRaftServer}), started as {@code kafka-server-start.sh} would start it
 * after {@code kafka-storage.sh format} ({@link StorageTool}); nothing of Kafka is re-implemented here.
 *
 * <p>The data lives in {@code dir/node-N}; the cluster id in {@code dir/cluster.id}, so a restart on the same
 * directory keeps every topic and record. Node N (from 1) listens for clients on {@code port + N - 1} ({@code port}
 * 0: free ports), its controller on a free port.
 */
public final class DevKafka implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DevKafka.class.getName());

    private final List<KafkaRaftServer> nodes;
    private final List<Integer> clientPorts;
    private final String bootstrap;

    private DevKafka(List<KafkaRaftServer> nodes, List<Integer> clientPorts) {
        this.nodes = nodes;
        this.clientPorts = clientPorts;
        this.bootstrap = String.join(",", clientPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    }

    /**
     * Formats (once) and starts {@code brokers} nodes under {@code dir}, and returns when every broker has
     * registered and answers clients.
     */
    public static DevKafka start(Path dir, int port, int brokers) throws Exception {
        if (brokers < 1 || brokers > 9) {
            throw new IllegalArgumentException("--brokers must be 1 to 9, got " + brokers);
        }
        if (port < 0 || port > 65535 - brokers) {
            throw new IllegalArgumentException("--port must be 0 (free ports) or a port with room for " + brokers
                    + " brokers, got " + port);
        }
        Files.createDirectories(dir);
        String clusterId = clusterId(dir);
        List<Integer> clientPorts = new ArrayList<>();
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < brokers; i++) {
            clientPorts.add(port == 0 ? freePort() : port + i);
            controllerPorts.add(freePort());
        }
        StringBuilder voters = new StringBuilder();
        for (int i = 0; i < brokers; i++) {
            voters.append(i == 0 ? "" : ",").append(i + 1).append("@127.0.0.1:").append(controllerPorts.get(i));
        }
        List<KafkaRaftServer> started = new ArrayList<>();
        DevKafka cluster = new DevKafka(started, clientPorts);
        try {
            for (int i = 0; i < brokers; i++) {
                Properties p = properties(dir.resolve("node-" + (i + 1)), i + 1, brokers, clientPorts.get(i),
                        controllerPorts.get(i), voters.toString());
                format(dir, i + 1, clusterId, p);
                KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
                started.add(server);
            }
            // the controllers need a quorum before any of them finishes starting: start them side by side
            List<Thread> starters = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (KafkaRaftServer s : started) {
                Thread t = new Thread(() -> {
                    try {
                        s.startup();
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }, "dev-kafka-start");
                t.start();
                starters.add(t);
            }
            for (Thread t : starters) {
                t.join(TimeUnit.MINUTES.toMillis(2));
            }
            if (!failures.isEmpty()) {
                throw new IOException("a Kafka node did not start: " + failures.get(0), failures.get(0));
            }
            cluster.awaitBrokers(brokers, Duration.ofMinutes(2));
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The bootstrap servers ({@code 127.0.0.1:PORT,...}), for {@code bootstrap.servers}. */
    public String bootstrap() {
        return bootstrap;
    }

    /** The client port of each node, node 1 first. */
    public List<Integer> clientPorts() {
        return List.copyOf(clientPorts);
    }

    private void awaitBrokers(int brokers, Duration timeout) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    int seen = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
                    if (seen >= brokers) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("only some of the " + brokers + " Kafka brokers registered in " + timeout);
                }
                Thread.sleep(100);
            }
        }
    }

    /** The cluster id of {@code dir}: made on first start, kept in {@code dir/cluster.id}. */
    private static String clusterId(Path dir) throws IOException {
        Path f = dir.resolve("cluster.id");
        if (Files.exists(f)) {
            return Files.readString(f, StandardCharsets.US_ASCII).trim();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(f, id + "\n", StandardCharsets.US_ASCII);
        return id;
    }

    /** {@code kafka-storage.sh format --ignore-formatted}: a node's directory once, kept on a restart. */
    private static void format(Path dir, int node, String clusterId, Properties p) throws IOException {
        Path file = dir.resolve("node-" + node + ".properties");
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "nser-dev-kafka node " + node + " (written at every start)");
        }
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int code = StorageTool.execute(new String[] {"format", "--cluster-id", clusterId, "--config", file.toString(),
            "--ignore-formatted"}, new PrintStream(said, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IOException("kafka-storage format of node " + node + " failed (" + code + "): "
                    + said.toString(StandardCharsets.UTF_8));
        }
    }

    /** One node's server.properties: small and quick to start, for a machine shared with the replicas. */
    static Properties properties(Path logDir, int node, int brokers, int clientPort, int controllerPort,
                                 String voters) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(node));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        String replicas = Integer.toString(Math.min(3, brokers));
        p.put("default.replication.factor", replicas);
        p.put("offsets.topic.replication.factor", replicas);
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", Integer.toString(Math.min(2, brokers)));
        p.put("min.insync.replicas", Integer.toString(brokers >= 3 ? 2 : 1));
        p.put("num.partitions", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.network.threads", "1");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 << 20));
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops node {@code node} (from 1), as a broker's crash would; the others go on. */
    public void stopNode(int node) {
        KafkaRaftServer s = nodes.get(node - 1);
        s.shutdown();
        s.awaitShutdown();
    }

    /**
     * Stops every node at once: one by one, the last would wait minutes for a controller quorum that has gone
     * (broker and controller share each process).
     */
    @Override
    public void close() {
        List<Thread> stopping = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            KafkaRaftServer s = nodes.get(i);
            int node = i + 1;
            Thread t = new Thread(() -> {
                try {
                    s.shutdown();
                    s.awaitShutdown();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Kafka node " + node + " did not stop cleanly: " + e, e);
                }
            }, "dev-kafka-stop-" + node);
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
