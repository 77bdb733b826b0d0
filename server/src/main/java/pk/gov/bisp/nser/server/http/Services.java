package pk.gov.bisp.nser.server.http;

import pk.gov.bisp.nser.server.auth.Authenticator;
import pk.gov.bisp.nser.server.config.ServerConfig;
import pk.gov.bisp.nser.server.publicstatus.FairUsage;
import pk.gov.bisp.nser.server.registry.Registry;

/** What every verticle instance shares: configuration, the registry, authentication, fair-usage buckets. */
public record Services(ServerConfig config, Registry registry, Authenticator auth, FairUsage fairUsage,
                       ClientAddress clientAddress) {

    public static Services of(ServerConfig config, Registry registry) {
        return new Services(config, registry, new Authenticator(config.usersByKeyHash()),
                new FairUsage(config.publicPerMinute(), config.publicBurst()),
                new ClientAddress(config.trustedProxies()));
    }

    /** True when the registry can answer; otherwise sends 503 and returns false. */
    public boolean ready(io.vertx.core.http.HttpServerResponse res) {
        if (registry.ready()) {
            return true;
        }
        res.putHeader("Retry-After", "5");
        Problem.send(res, 503, "not-ready", "Not ready", "the registry snapshot is still being verified and warmed");
        return false;
    }
}
