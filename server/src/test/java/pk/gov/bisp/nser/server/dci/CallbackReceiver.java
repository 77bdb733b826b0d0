package pk.gov.bisp.nser.server.dci;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A DCI subscriber's or client's callback receiver on loopback (the JDK's HTTP server, a port of its own): it takes
 * every POST, answers 200 and keeps its path and body, in arrival order.
 */
final class CallbackReceiver implements AutoCloseable {

    private final HttpServer server;
    /** Every callback taken: {path, body}. */
    private final List<String[]> received = new CopyOnWriteArrayList<>();

    private CallbackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(new String[] {ex.getRequestURI().getPath(), new String(body, StandardCharsets.UTF_8)});
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    static CallbackReceiver start() throws IOException {
        return new CallbackReceiver();
    }

    /** {@code http://127.0.0.1:PORT}, the origin to configure as the organisation's callback origin. */
    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * The demo configuration with every demo organisation's callback origin (ports 9000 to 9003) this receiver's,
     * callbacks retried 20 ms apart, and {@code dci} settings added under {@code dci:} (e.g.
     * {@code "journal_compact_slack: 16"}).
     */
    String demoYaml(String... dci) throws IOException {
        String yaml = new String(pk.gov.bisp.nser.server.TestServer.class.getResourceAsStream("/demo.yaml")
                .readAllBytes(), StandardCharsets.UTF_8);
        for (int port = 9000; port <= 9003; port++) {
            String demo = "http://127.0.0.1:" + port;
            if (!yaml.contains(demo)) {
                throw new AssertionError("demo.yaml has no callback origin " + demo);
            }
            yaml = yaml.replace(demo, origin());
        }
        StringBuilder settings = new StringBuilder("  max_page_size: 1000\n  callback_backoff_ms: 20");
        for (String d : dci) {
            settings.append("\n  ").append(d);
        }
        if (!yaml.contains("\n  max_page_size: 1000\n")) {
            throw new AssertionError("demo.yaml's dci section has moved");
        }
        return yaml.replace("  max_page_size: 1000", settings);
    }

    /** Every callback taken so far: {path, body}. */
    List<String[]> received() {
        return received;
    }

    int size() {
        return received.size();
    }

    /** The first callback from index {@code from} on that {@code matches}; fails after 30 s. */
    String[] await(int from, Predicate<String[]> matches) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            for (int k = from; k < received.size(); k++) {
                if (matches.test(received.get(k))) {
                    return received.get(k);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing arrived; received: " + received.stream().map(r -> r[0]).toList());
    }

    /** The first callback at {@code path} from index {@code from} on; fails after 30 s. */
    String[] await(int from, String path) throws InterruptedException {
        return await(from, r -> r[0].equals(path));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
