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
