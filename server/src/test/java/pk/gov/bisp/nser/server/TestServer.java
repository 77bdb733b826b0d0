package pk.gov.bisp.nser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import pk.gov.bisp.nser.builder.cli.GenerateCommand;
import pk.gov.bisp.nser.builder.generate.SyntheticRegistry;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.core.stats.Marginals;
import pk.gov.bisp.nser.server.config.ServerConfig;

/** A real server on a loopback port over a generated 20k snapshot, shared by the tests of one JVM. */
public final class TestServer {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static Path snapshotDir;
    private static NserServer demo;
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();

    private TestServer() {
    }

    public static synchronized Path snapshot() throws Exception {
        if (snapshotDir == null) {
            Path root = Files.createTempDirectory("nser-server-test");
            snapshotDir = root.resolve("snap");
            GenerateCommand.generate(new SyntheticRegistry(20_000, 5, Marginals.builtIn()), PmtModel.builtIn(),
                    snapshotDir, GenerateCommand.DEFAULT_AS_OF, false, 5);
        }
        return snapshotDir;
    }

    public static ServerConfig demoConfig() throws IOException {
        try (InputStream in = TestServer.class.getResourceAsStream("/demo.yaml")) {
            return ServerConfig.parse(in, "demo.yaml").withPort(0);
        }
    }

    /** A minimal configuration: one main programme, one admin user, the given fair usage and proxies. */
    public static String minimal(int perMinute, int burst, String trustedProxies) {
        return """
                server: {host: 127.0.0.1, trusted_proxies: [%s]}
                public: {programme: main, fair_usage: {requests_per_minute: %d, burst: %d}}
                programmes:
                  - {id: main, name: Main, rule: pmt_cutoff, cutoff: 32, cutoff_with_disabled_member: 37}
                organisations:
                  - id: o
                    name: O
                    type: gratis
                    users: [{id: u, name: U, role: admin, operations: [audit],
                             api_key_sha256: '0000000000000000000000000000000000000000000000000000000000000001'}]
                """.formatted(trustedProxies, perMinute, burst);
    }

    public static ServerConfig config(String yaml) throws IOException {
        return ServerConfig.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml")
                .withPort(0);
    }

    /** The shared demo-config server, ready. */
    public static synchronized NserServer demo() throws Exception {
        if (demo == null) {
            demo = start(demoConfig());
            NserServer s = demo;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        }
        return demo;
    }

    /**
     * A server over the shared snapshot, with its own access-log journal, update directory and purchase journal
     * unless the config names them (so its live updates and purchases are its own).
     */
    public static NserServer start(ServerConfig cfg) throws Exception {
        return start(cfg, snapshot());
    }

    /** As {@link #start(ServerConfig)}, over {@code snapshot} (e.g. a {@link #copyOfSnapshot}). */
    public static NserServer start(ServerConfig cfg, Path snapshot) throws Exception {
        return start(cfg, snapshot, java.time.Clock.systemUTC());
    }

    /** As {@link #start(ServerConfig, Path)}, agreements and keys valid by {@code clock}. */
    public static NserServer start(ServerConfig cfg, Path snapshot, java.time.InstantSource clock) throws Exception {
        ServerConfig c = cfg.metering().journalDir() != null ? cfg
                : cfg.withJournalDir(Files.createTempDirectory("nser-journal"));
        c = c.updates().dir() != null ? c : c.withUpdatesDir(Files.createTempDirectory("nser-updates"));
        c = c.feedback().dir() != null ? c : c.withFeedbackDir(Files.createTempDirectory("nser-feedback"));
        c = c.agreements().dir() != null ? c : c.withAgreementsDir(Files.createTempDirectory("nser-agreements"));
        c = c.exchange().dir() != null ? c : c.withExchangeDir(Files.createTempDirectory("nser-exchange"));
        NserServer s = NserServer.start(c, snapshot, false, java.util.List.of(), clock);
        try {
            s.awaitReady(Duration.ofSeconds(60));
        } catch (RuntimeException | InterruptedException e) {
            s.close(); // refused: nothing of it stays listening
            throw e;
        }
        return s;
    }

    /**
     * A copy of the shared snapshot in {@code dir} (created), for a test that damages it, or whose server is killed
     * and may leave a reader's lock in its Chronicle Map files, which no server in this JVM could then open while
     * the shared server holds the original.
     */
    public static Path copyOfSnapshot(Path dir) throws Exception {
        Files.createDirectories(dir);
        try (java.util.stream.Stream<Path> files = Files.list(snapshot())) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    public static Snapshot openSnapshot() throws Exception {
        return Snapshot.open(snapshot(), Snapshot.Verify.QUICK);
    }

    /**
     * The head's CNIC of households {@code first}, {@code first + step}, ... of the demo snapshot, at most
     * {@code count} of them.
     */
    public static java.util.List<Long> headCnics(int first, int step, int count) throws Exception {
        java.util.List<Long> out = new java.util.ArrayList<>();
        try (Snapshot s = openSnapshot()) {
            pk.gov.bisp.nser.core.record.HouseholdRecord r = new pk.gov.bisp.nser.core.record.HouseholdRecord();
            for (int o = first; o < s.householdCount() && out.size() < count; o += step) {
                s.read(o, r);
                out.add(r.cnic(0));
            }
        }
        return out;
    }

    public static HttpResponse<String> get(NserServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .timeout(Duration.ofSeconds(30)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> send(NserServer s, String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static String[] key(String role) {
        return new String[] {"Authorization", "Bearer demo-" + role + "-key"};
    }

    public static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** A problem answer: its status, its type ending in {@code slug}, a detail, and no stack trace. */
    public static void expectProblem(HttpResponse<String> r, int status, String slug) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode j = json(r);
        assertEquals(status, j.get("status").asInt());
        assertTrue(j.get("type").asText().endsWith("/" + slug), j.toString());
        assertFalse(j.get("detail").asText().isBlank());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), "no stack trace: " + r.body());
    }
}
