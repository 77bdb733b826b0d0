package pk.gov.bisp.nser.cluster;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar cluster/target/nser-dev-kafka.jar --dir DIR --port PORT [--brokers N]}. */
@Command(name = "nser-dev-kafka", mixinStandardHelpOptions = true, version = "nser-dev-kafka 0.1",
        description = "A development Kafka cluster (KRaft, broker and controller in one process) for NSER replicas; "
                + "prints 'ready BOOTSTRAP' when it accepts clients.")
public final class DevKafkaMain implements Callable<Integer> {

    @Option(names = "--dir", required = true, description = "Data directory (kept: a restart keeps every record).")
    Path dir;

    @Option(names = "--port", required = true, description = "Client port of the first broker; broker N listens on "
            + "PORT+N-1 (0 = free ports).")
    int port;

    @Option(names = "--brokers", defaultValue = "1", description = "Brokers (each also a controller; default 1).")
    int brokers;

    @Option(names = "--verbose", description = "Kafka's own INFO log (default: warnings only).")
    boolean verbose;

    public static void main(String[] args) {
        int code = new CommandLine(new DevKafkaMain()).setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + ex.getMessage());
            return 1;
        }).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        if (!verbose) {
            quiet();
        }
        DevKafka kafka = DevKafka.start(dir, port, brokers);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "dev-kafka-stop"));
        System.out.println("ready " + kafka.bootstrap());
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** Held: java.util.logging keeps its loggers weakly, and a collected one forgets its level. */
    private static final java.util.List<Logger> QUIET = new java.util.ArrayList<>();

    /** Kafka logs every step at INFO; a developer's terminal wants its warnings only. */
    public static synchronized void quiet() {
        for (String name : new String[] {"kafka", "org.apache.kafka", "state.change.logger"}) {
            Logger l = Logger.getLogger(name);
            l.setLevel(Level.WARNING);
            QUIET.add(l);
        }
    }
}
