package pk.gov.bisp.nser.server;

import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.http.RouteGroup;
import pk.gov.bisp.nser.server.registry.Registry;

/**
 * Routes an experiment adds beside the API's, never part of the product: the load test's ladder
 * ({@code loadtest/ladder.sh}) starts the server with one ({@link ServerMain#run}). Made once per event loop, and
 * mounted right after the lookup by CNIC, so that it is matched after the same routes as the lookup.
 */
@FunctionalInterface
public interface Experiment {

    RouteGroup routes(Registry registry, Authenticator auth);
}
