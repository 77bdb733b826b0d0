package pk.gov.bisp.nser.server.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;

/** Tests' plain HTTP servers on loopback: started on a free port, and Vert.x closed, each waited for (10 s at most). */
public final class Loopback {

    private Loopback() {
    }

    /** Serves {@code handler} (e.g. a router) on a free port of 127.0.0.1 and returns the port. */
    public static int serve(Vertx vertx, Handler<HttpServerRequest> handler) throws Exception {
        return vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1").toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    /** Closes {@code vertx} and everything it serves. */
    public static void close(Vertx vertx) throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
