package pk.gov.bisp.nser.server;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import pk.gov.bisp.nser.builder.cli.GenerateCommand;
import pk.gov.bisp.nser.builder.generate.SyntheticRegistry;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.ChronicleMaps;
import pk.gov.bisp.nser.core.stats.Marginals;
import pk.gov.bisp.nser.server.caller.ApiKeys;
import pk.gov.bisp.nser.server.config.ConfigException;
import pk.gov.bisp.nser.server.config.ServerConfig;

/** {@code java -jar nser-server.jar --config FILE --snapshot DIR} or {@code --demo}. */
@Command(name = "nser-server", mixinStandardHelpOptions = true, version = "nser-server 0.1",
        description = "The NSER lookup and scoring server.")
public final class ServerMain implements Callable<Integer> {

    /** Households in the demo snapshot, built on first run. */
    public static final int DEMO_HOUSEHOLDS = 100_000;

    @Option(names = "--config", description = "Server configuration (YAML).")
    Path config;

    @Option(names = "--snapshot", description = "Snapshot directory (from nser-index-builder).")
    Path snapshot;

    @Option(names = "--demo", description = "Use config/demo.yaml and a 100k-household demo snapshot in "
            + "./demo-data (built on first run).")
    boolean demo;

    @Option(names = "--journal", description = "Access-log journal directory, overriding the configuration "
            + "(default: SNAPSHOT.journal beside the snapshot).")
    Path journal;

    @Option(names = "--updates", description = "Update journal and checkpoint directory, overriding the configuration "
            + "(default: SNAPSHOT.updates beside the snapshot).")
    Path updates;

    @Option(names = "--fold-every", paramLabel = "HOUSEHOLDS", description = "Changed households held in memory "
            + "that start an online fold into a new snapshot generation (0 = only on POST /admin/compact), overriding "
            + "updates.fold_every (default 500000).")
    Integer foldEvery;

    @Option(names = "--feedback", description = "Purchase journal directory, overriding the configuration "
            + "(default: SNAPSHOT.feedback beside the snapshot).")
    Path feedback;

    @Option(names = "--agreements", description = "Agreement journal directory (data-sharing agreements and API keys "
            + "as changed at run time), overriding the configuration (default: SNAPSHOT.agreements beside the "
            + "snapshot).")
    Path agreements;

    @Option(names = "--exchange", description = "Partner exchange journal directory (enrolments and benefits posted "
            + "by partner programmes), overriding the configuration (default: SNAPSHOT.exchange beside the snapshot).")
    Path exchange;

    @Option(names = "--port", description = "Listen port, overriding the configuration (0 = any free port).")
    Integer port;

    @Option(names = "--event-loops", description = "Event loops (one verticle instance each), overriding the "
            + "configuration's server.event_loops (default: one per core). Fewer than the cores when something else "
            + "shares the machine, e.g. a load generator on the same cores.")
    Integer eventLoops;

    @Option(names = "--kafka", description = "Kafka bootstrap servers (HOST:PORT[,HOST:PORT...]): this server is a "
            + "replica whose updates are ordered by the Kafka topic cluster.kafka.updates_topic, overriding "
            + "cluster.kafka.bootstrap_servers. Needs --node-id (or cluster.node_id).")
    String kafka;

    @Option(names = "--node-id", description = "This replica's name, unique among the replicas, overriding "
            + "cluster.node_id.")
    String nodeId;

    @Option(names = "--postgres", description = "The audit database (issue 28), a PostgreSQL JDBC URL "
            + "(jdbc:postgresql://HOST:PORT/DB?user=...), overriding audit.postgres: this replica also writes the "
            + "cluster's access records into it, and the admin access log and usage answer from it. Needs --kafka.")
    String postgres;

    @Option(names = "--lock-memory", description = "Lock the snapshot's files in memory once open (mlock), so the "
            + "kernel never pages them out: needs the RAM and the right to lock it (root, CAP_IPC_LOCK or "
            + "RLIMIT_MEMLOCK); a failure is logged and the snapshot served unlocked.")
    boolean lockMemory;

    /** Routes beside the API's: none in the product ({@link Experiment}). */
    private final List<Experiment> experiments;

    public ServerMain() {
        this(List.of());
    }

    private ServerMain(List<Experiment> experiments) {
        this.experiments = List.copyOf(experiments);
    }

    public static void main(String[] args) {
        run(List.of(), args);
    }

    /** As {@link #main}, the server serving the routes of {@code experiments} too (the load test's ladder). */
    public static void run(List<Experiment> experiments, String[] args) {
        ChronicleMaps.disableAnalytics();
        int code = new CommandLine(new ServerMain(experiments)).setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + ex.getMessage());
            return 1;
        }).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig cfg;
        if (demo) {
            try (InputStream in = ServerMain.class.getResourceAsStream("/demo.yaml")) {
                cfg = ServerConfig.parse(in, "config/demo.yaml");
            }
        } else if (config == null) {
            throw new ConfigException("give --config FILE (or --demo)");
        } else {
            cfg = ServerConfig.load(config);
        }
        if (eventLoops != null) {
            cfg = cfg.withEventLoops(eventLoops);
        }
        if (port != null) {
            cfg = cfg.withPort(port);
        }
        if (foldEvery != null) {
            cfg = cfg.withFoldEvery(foldEvery);
        }
        if (updates != null) {
            cfg = cfg.withUpdatesDir(updates);
        }
        if (kafka != null || nodeId != null) {
            cfg = cfg.withCluster(kafka, nodeId);
        }
        if (postgres != null) {
            cfg = cfg.withAudit(postgres);
        }
        if (feedback != null) {
            cfg = cfg.withFeedbackDir(feedback);
        }
        if (journal != null) {
            cfg = cfg.withJournalDir(journal);
        }
        if (exchange != null) {
            cfg = cfg.withExchangeDir(exchange);
        }
        if (agreements != null) {
            cfg = cfg.withAgreementsDir(agreements);
        }
        Path snap = snapshot;
        if (snap == null && demo) {
            snap = Path.of("demo-data", "snapshot-" + DEMO_HOUSEHOLDS);
            if (!Files.exists(snap.resolve("manifest.json"))) {
                System.out.println("building the demo snapshot (" + DEMO_HOUSEHOLDS + " households) in " + snap);
                GenerateCommand.generate(new SyntheticRegistry(DEMO_HOUSEHOLDS, 1, Marginals.builtIn()),
                        PmtModel.builtIn(), snap, GenerateCommand.DEFAULT_AS_OF, false, 1);
            }
        }
        if (snap == null) {
            throw new ConfigException("give --snapshot DIR (or --demo)");
        }
        System.out.print(cfg.describe());
        NserServer server = NserServer.start(cfg, snap, lockMemory, experiments);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "nser-shutdown"));
        String base = (cfg.tlsCert() == null ? "http" : "https") + "://" + cfg.host() + ":" + server.port();
        System.out.println("listening on " + base + " (port " + server.port() + "); verifying and warming " + snap);
        server.awaitReady(Duration.ofHours(2));
        System.out.println("ready: " + server.registry().snapshot().householdCount() + " households");
        if (demo) {
            System.out.println("demo API keys (loopback only): " + String.join(", ", ApiKeys.DEMO_KEYS.stream()
                    .sorted().toList()));
            System.out.println("try: curl -H 'Authorization: Bearer demo-power-key' " + base
                    + "/v1/households/by-cnic/$(java -jar index-builder/target/nser-index-builder.jar sample-ids "
                    + snap + " --count 1)");
            System.out.println("public page: " + base + "/");
        }
        Thread.currentThread().join();
        return 0;
    }
}
