package pk.gov.bisp.nser.server.clusteraudit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real, throwaway PostgreSQL for tests: {@code cluster/postgres.sh} (the script {@code cluster/demo.sh} uses too)
 * runs Debian's {@code initdb} and {@code pg_ctl} on a free loopback port in a temporary directory; {@link #stop}
 * and {@link #start} again keep its data (the test of a database that was away), {@link #close} deletes it.
 */
public final class Postgres implements AutoCloseable {

    private static final Path SCRIPT = locate();
    private final Path dir;
    private final int port;
    private String url;

    private Postgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a new cluster (initdb) and waits until it answers. */
    public static Postgres start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("nser-postgres");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Postgres pg = new Postgres(dir, port);
        pg.startAgain();
        return pg;
    }

    private static Path locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path s = p.resolve("cluster/postgres.sh");
            if (Files.isRegularFile(s)) {
                return s;
            }
        }
        throw new IllegalStateException("cluster/postgres.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** Starts it again after {@link #stop}, same port, same data. */
    public void startAgain() throws IOException, InterruptedException {
        String out = run("start", dir.toString(), Integer.toString(port));
        url = out.lines().filter(l -> l.startsWith("ready ")).map(l -> l.substring(6)).findFirst()
                .orElseThrow(() -> new IOException("postgres.sh start printed no 'ready' line: " + out));
    }

    /** Stops it (fast shutdown: connections are cut). */
    public void stop() throws IOException, InterruptedException {
        run("stop", dir.toString());
    }

    private String run(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = SCRIPT.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("cluster/postgres.sh " + String.join(" ", args) + " failed: "
                    + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The JDBC URL ({@code audit.postgres}). */
    public String url() {
        return url;
    }

    /** The single long value {@code sql} selects. */
    public long queryLong(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs {@code sql}. */
    public void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            stop();
        } catch (IOException e) {
            // already stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
