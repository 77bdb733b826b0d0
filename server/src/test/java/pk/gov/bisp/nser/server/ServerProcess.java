package pk.gov.bisp.nser.server;

import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A demo server in a separate JVM (same class path and JVM flags), so a test can kill it with SIGKILL. */
public final class ServerProcess {

    public final Process process;
    public final URI base;
    public final Path output;
    /** The server's own copy of the shared snapshot: killed mid-read, it may leave a reader's lock in it. */
    public final Path snapshot;

    private ServerProcess(Process process, URI base, Path output, Path snapshot) {
        this.process = process;
        this.base = base;
        this.output = output;
        this.snapshot = snapshot;
    }

    /**
     * Starts {@code ServerMain --demo --snapshot COPY --port P args...}, over a copy of the shared snapshot, and
     * waits until it is ready.
     */
    public static ServerProcess start(HttpClient http, String... args) throws Exception {
        return start(http, List.of("--demo"), args);
    }

    /**
     * As {@link #start(HttpClient, String...)}, with the configuration {@code config} (YAML) instead of the demo's,
     * over a copy of the demo snapshot.
     */
    public static ServerProcess startWithConfig(HttpClient http, Path config, String... args) throws Exception {
        return start(http, List.of("--config", config.toString()), args);
    }

    private static ServerProcess start(HttpClient http, List<String> mode, String... args) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path out = Files.createTempFile("nser-server-process", ".log");
        Path snapshot = TestServer.copyOfSnapshot(Files.createTempDirectory("nser-server-process").resolve("snap"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-D") || a.startsWith("-Xmx")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ServerMain.class.getName()));
        cmd.addAll(mode);
        cmd.addAll(List.of("--snapshot", snapshot.toString(), "--port", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        ServerProcess s = new ServerProcess(p, URI.create("http://127.0.0.1:" + port), out, snapshot);
        s.awaitReady(http);
        return s;
    }

    private void awaitReady(HttpClient http) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited: " + Files.readString(output));
            }
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server not ready: " + Files.readString(output));
    }

    /** SIGKILL, and wait for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public boolean alive() {
        return process.isAlive();
    }
}
