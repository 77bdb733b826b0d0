package pk.gov.bisp.nser.server;

import java.util.List;
import pk.gov.bisp.nser.server.lookup.LadderRoutes;

/**
 * The server with the load test's ladder routes beside the API's ({@link LadderRoutes}): what
 * {@code loadtest/ladder.sh} runs, from the server's jar with the tests' classes added. Takes the server's options.
 */
public final class LadderMain {

    private LadderMain() {
    }

    public static void main(String[] args) {
        ServerMain.run(List.of(LadderRoutes::new), args);
    }
}
