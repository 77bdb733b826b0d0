package pk.gov.bisp.nser.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import pk.gov.bisp.nser.core.geo.GeoLevel;
import pk.gov.bisp.nser.core.scoring.PmtModel;
import pk.gov.bisp.nser.server.caller.ApiKeys;
import pk.gov.bisp.nser.server.caller.AreaScope;
import pk.gov.bisp.nser.server.caller.Operation;
import pk.gov.bisp.nser.server.caller.Organisation;
import pk.gov.bisp.nser.server.caller.OrganisationType;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;
import pk.gov.bisp.nser.server.eligibility.Programme;
import pk.gov.bisp.nser.server.eligibility.ProgrammeRule;

/**
 * The validated, immutable server configuration. {@link #load} reads YAML and stops at the first bad value
 * with a {@link ConfigException} naming it; there are no silent defaults for anything that is present.
 *
 * @param host             listen address (default 127.0.0.1)
 * @param port             listen port (default 8080; 0 = any free port)
 * @param eventLoops       verticle instances, one per event loop (default: cores)
 * @param maxBatch         largest eligibility batch (default 1000)
 * @param maxBodyBytes     largest request body (default 256 KiB)
 * @param publicProgramme  the programme the public status page answers for
 * @param publicPerMinute  fair usage: public requests per minute per client IP (token refill rate)
 * @param publicBurst      fair usage: bucket size
 * @param trustedProxies   addresses whose X-Forwarded-For is believed
 * @param tlsCert          PEM certificate chain, or null for plain HTTP
 * @param tlsKey           PEM private key, or null
 * @param search           lists and statistics settings
 * @param metering         the access-log journal and the tariff
 * @param updates          live registry updates: their journal, checkpoints and PMT model
 * @param feedback         the journal of purchases posted back by points of sale
 * @param pmtModels        candidate PMT models for what-if statistics, by id ({@code pmt_models}; none by default)
 * @param connections      idle and header-read timeouts
 * @param dci              the DCI Social Registry API's settings per organisation (the {@code dci} section)
 * @param agreements       the data-sharing agreements' journal and the agreements this configuration seeds
 * @param cluster          replicas sharing one update log on Kafka; {@link ClusterOptions#OFF} by default
 * @param exchange         the exchange with partner programmes: its journal, who posts for which programme, who sees
 * @param audit            the access topic and the audit database (issue 28); {@link AuditOptions#DEFAULTS}
 */
public record ServerConfig(String host, int port, int eventLoops, int maxBatch, int maxBodyBytes,
                           String publicProgramme, int publicPerMinute, int publicBurst, Set<String> trustedProxies,
                           Path tlsCert, Path tlsKey, Map<String, Organisation> organisations,
                           Map<String, User> usersByKeyHash, Map<String, Programme> programmes,
                           SearchOptions search, MeteringOptions metering, UpdateOptions updates,
                           FeedbackOptions feedback, Map<String, PmtModel> pmtModels, ConnectionOptions connections,
                           DciOptions dci, AgreementOptions agreements, ClusterOptions cluster,
                           ExchangeOptions exchange, AuditOptions audit) {

    /** The what-if model id that names the snapshot's own model. */
    public static final String CURRENT_MODEL = "current";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final IntSetting PORT = new IntSetting("server.port", 8080, 0, 65_535);
    public static final IntSetting MAX_BATCH = new IntSetting("server.max_batch", 1_000, 1, 100_000);
    public static final IntSetting MAX_BODY_BYTES = new IntSetting("server.max_body_bytes", 256 * 1024, 1_024,
            64 << 20);
    public static final String DEFAULT_PUBLIC_PROGRAMME = "bisp-kafaalat";
    public static final IntSetting PUBLIC_PER_MINUTE = new IntSetting("public.fair_usage.requests_per_minute", 30,
            1, 1_000_000);
    public static final IntSetting PUBLIC_BURST = new IntSetting("public.fair_usage.burst", 10, 1, 1_000_000);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static ServerConfig load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file " + file + " does not exist");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        }
    }

    public static ServerConfig parse(InputStream in, String source) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (IOException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(source + ": expected a YAML mapping at the top");
        }
        return new Parser(source).parse(root);
    }

    /** A copy listening on another port (the --port option). */
    public ServerConfig withPort(int newPort) {
        if (newPort < 0 || newPort > 65_535) {
            throw new ConfigException("--port=" + newPort + " must be 0..65535");
        }
        return copy(newPort, eventLoops, metering, updates, feedback, cluster);
    }

    /** A copy with {@code loops} event loops (the --event-loops option). */
    public ServerConfig withEventLoops(int loops) {
        if (loops < 1 || loops > 256) {
            throw new ConfigException("--event-loops=" + loops + " must be 1..256");
        }
        return copy(port, loops, metering, updates, feedback, cluster);
    }

    /** A copy with the journal in {@code dir} (the --journal option, or the default beside the snapshot). */
    public ServerConfig withJournalDir(Path dir) {
        return copy(port, eventLoops, metering.withJournalDir(dir), updates, feedback, cluster);
    }

    /** A copy with the update journal in {@code dir} (the --updates option). */
    public ServerConfig withUpdatesDir(Path dir) {
        return copy(port, eventLoops, metering, updates.withDir(dir), feedback, cluster);
    }

    /** A copy whose online fold starts at {@code households} changed households (the --fold-every option). */
    public ServerConfig withFoldEvery(int households) {
        return copy(port, eventLoops, metering, updates.withFoldEvery(households), feedback, cluster);
    }

    /** A copy with the purchase journal in {@code dir}. */
    public ServerConfig withFeedbackDir(Path dir) {
        return copy(port, eventLoops, metering, updates, feedback.withDir(dir), cluster);
    }

    /** A copy with the command line's {@code --kafka} and {@code --node-id} (null: as configured), checked. */
    public ServerConfig withCluster(String kafka, String nodeId) {
        return copy(port, eventLoops, metering, updates, feedback, cluster.with(kafka, nodeId));
    }

    /** A copy with the exchange journal in {@code dir}. */
    public ServerConfig withExchangeDir(Path dir) {
        return new ServerConfig(host, port, eventLoops, maxBatch, maxBodyBytes, publicProgramme, publicPerMinute,
                publicBurst, trustedProxies, tlsCert, tlsKey, organisations, usersByKeyHash, programmes, search,
                metering, updates, feedback, pmtModels, connections, dci, agreements, cluster, exchange.withDir(dir),
                audit);
    }

    /** A copy with the command line's {@code --postgres} (null: as configured), checked. */
    public ServerConfig withAudit(String postgres) {
        return new ServerConfig(host, port, eventLoops, maxBatch, maxBodyBytes, publicProgramme, publicPerMinute,
                publicBurst, trustedProxies, tlsCert, tlsKey, organisations, usersByKeyHash, programmes, search,
                metering, updates, feedback, pmtModels, connections, dci, agreements, cluster, exchange,
                audit.withPostgres(postgres));
    }

    /** A copy with the agreement journal in {@code dir} (the --agreements option). */
    public ServerConfig withAgreementsDir(Path dir) {
        return new ServerConfig(host, port, eventLoops, maxBatch, maxBodyBytes, publicProgramme, publicPerMinute,
                publicBurst, trustedProxies, tlsCert, tlsKey, organisations, usersByKeyHash, programmes, search,
                metering, updates, feedback, pmtModels, connections, dci, agreements.withDir(dir), cluster, exchange,
                audit);
    }

    /** This configuration with the values the command line may override (the with... methods). */
    private ServerConfig copy(int newPort, int loops, MeteringOptions newMetering, UpdateOptions newUpdates,
                              FeedbackOptions newFeedback, ClusterOptions newCluster) {
        return new ServerConfig(host, newPort, loops, maxBatch, maxBodyBytes, publicProgramme, publicPerMinute,
                publicBurst, trustedProxies, tlsCert, tlsKey, organisations, usersByKeyHash, programmes, search,
                newMetering, newUpdates, newFeedback, pmtModels, connections, dci, agreements, newCluster, exchange,
                audit);
    }

    /**
     * The origin of {@code uri} ({@code scheme://host:port}, the port always written), or null when it is not an
     * absolute http(s) URI with a host. What a DCI {@code sender_uri} is compared by with {@code callback_origins}.
     */
    public static String origin(String uri) {
        try {
            java.net.URI u = new java.net.URI(uri);
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
            if (!"http".equals(scheme) && !"https".equals(scheme) || u.getHost() == null || u.getUserInfo() != null) {
                return null;
            }
            int port = u.getPort() >= 0 ? u.getPort() : "https".equals(scheme) ? 443 : 80;
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** True when the listen address is a loopback address only. */
    public boolean loopbackOnly() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Refuses demo keys, and a missing pseudonym key or cell-key secret ({@code search.pseudonym_key},
     * {@code search.cell_key_secret}), unless the server listens on loopback only.
     */
    public void checkDemoKeys() {
        if (loopbackOnly()) {
            return;
        }
        for (User u : usersByKeyHash.values()) {
            if (ApiKeys.isDemoHash(u.apiKeySha256())) {
                throw new ConfigException("user '" + u.id() + "' has a public demo API key; demo keys are refused "
                        + "unless server.host is a loopback address (host is " + host + ")");
            }
        }
        if (search.pseudonymKey() == null) {
            throw new ConfigException("search.pseudonym_key is required unless server.host is a loopback address "
                    + "(host is " + host + "): Basic's pseudonyms must not be derivable from the snapshot");
        }
        if (search.cellKeySecret() == null) {
            throw new ConfigException("search.cell_key_secret is required unless server.host is a loopback address "
                    + "(host is " + host + "): the statistics' noise must not be derivable from the snapshot");
        }
    }

    /** The effective configuration for the start-up log, key hashes masked. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "listen %s:%d (%s), event loops %d, max batch %d, max body %d bytes, "
                + "idle timeout %d s, header timeout %d s%n", host, port, tlsCert == null ? "plain HTTP" : "TLS "
                + tlsCert, eventLoops, maxBatch, maxBodyBytes, connections.idleTimeoutSeconds(),
                connections.headerTimeoutSeconds()));
        b.append(String.format(Locale.ROOT, "public status: programme %s, %d requests/min per IP, burst %d, "
                + "trusted proxies %s%n", publicProgramme, publicPerMinute, publicBurst, trustedProxies));
        b.append(String.format(Locale.ROOT, "search: row limits %s (0 = none), default page %d rows, stats k=%d, "
                + "pseudonym key %s, cell-key secret %s%n", search.rowLimits(), search.defaultPageRows(),
                search.minCell(), search.pseudonymKey() == null ? "random for this process (loopback only)"
                        : "set (masked)",
                search.cellKeySecret() == null ? "derived from the snapshot (loopback only)" : "set (masked)"));
        b.append(String.format(Locale.ROOT, "access log: %s, journal %s, fsync every %d us, written by %s; "
                + "per-operation rates (paisa) %s%n",
                metering.enabled() ? "on" : "OFF (requests are neither logged nor billed)",
                metering.journalDir() == null ? "beside the snapshot" : metering.journalDir(),
                metering.fsyncIntervalMicros(),
                metering.eventLoopWrites() && metering.fsyncIntervalMicros() > 0 ? "the event loops" : "its thread",
                metering.operationRatesPaisa()));
        b.append(String.format(Locale.ROOT, "updates: journal %s (fsync every batch), PMT model %s, checkpoint every "
                + "%d updates, online fold at %d changed households%n", updates.dir() == null ? "beside the snapshot"
                : updates.dir(), updates.pmtModel() == null ? "built in" : updates.pmtModel(), updates.checkpointEvery(),
                updates.foldEvery()));
        if (cluster.enabled()) {
            b.append(String.format(Locale.ROOT, "cluster: replica %s; updates ordered by Kafka %s on topic %s%n",
                    cluster.nodeId(), cluster.bootstrapServers(), cluster.updatesTopic()));
            b.append(String.format(Locale.ROOT, "audit: access records shipped to topic %s; database %s%n",
                    audit.accessTopic(), audit.database() ? AuditOptions.masked(audit.postgres())
                            : "none (admin access log and usage from this replica's journal)"));
        }
        b.append(String.format(Locale.ROOT, "purchase feedback: journal %s, fsynced before each answer%n",
                feedback.dir() == null ? "beside the snapshot" : feedback.dir()));
        b.append(String.format(Locale.ROOT, "exchange: journal %s, partner programmes %s%n",
                exchange.dir() == null ? "beside the snapshot" : exchange.dir(), exchange.programmes()));
        b.append(String.format(Locale.ROOT, "agreements: journal %s, %d seeded by this configuration%n",
                agreements.dir() == null ? "beside the snapshot" : agreements.dir(), agreements.seeds().size()));
        for (Programme p : programmes.values()) {
            b.append(String.format(Locale.ROOT, "programme %s: %s%n", p.id(), p.rule()));
        }
        for (Map.Entry<String, PmtModel> m : pmtModels.entrySet()) {
            b.append(String.format(Locale.ROOT, "candidate PMT model %s: %s v%d%n", m.getKey(), m.getValue().name(),
                    m.getValue().version()));
        }
        for (Organisation o : organisations.values()) {
            b.append(String.format(Locale.ROOT, "organisation %s (%s, %s, %d PKR/row, scope %s)%n", o.id(), o.name(),
                    o.type().key(), o.type().ratePkr(), o.scope()));
            for (User u : usersByKeyHash.values()) {
                if (u.organisation() == o) {
                    b.append(String.format(Locale.ROOT, "  user %s (%s): role %s, operations %s, key sha256:%s...%n",
                            u.id(), u.name(), u.role().name().toLowerCase(Locale.ROOT), u.operations(),
                            u.apiKeySha256().substring(0, 6)));
                }
            }
        }
        return b.toString();
    }

    /** Walks the YAML tree, naming each setting it rejects. */
    private static final class Parser {
        private final String source;

        Parser(String source) {
            this.source = source;
        }

        private ConfigException bad(String path, String why) {
            return new ConfigException(source + ": " + path + ": " + why);
        }

        ServerConfig parse(JsonNode root) {
            JsonNode server = root.path("server");
            String host = text(server, "server.host", "host", DEFAULT_HOST);
            int port = PORT.read(server, source);
            int loops = integer(server, "server.event_loops", "event_loops",
                    Runtime.getRuntime().availableProcessors(), 1, 256);
            int maxBatch = MAX_BATCH.read(server, source);
            int maxBody = MAX_BODY_BYTES.read(server, source);
            Set<String> proxies = new java.util.LinkedHashSet<>();
            for (JsonNode p : server.path("trusted_proxies")) {
                String ip = pk.gov.bisp.nser.server.http.ClientAddress.normalise(p.asText());
                if (ip == null) {
                    throw bad("server.trusted_proxies", "'" + p.asText() + "' is not an IP address (IPv4 as four "
                            + "numbers 0-255 without leading zeros, or IPv6; no names or ranges)");
                }
                proxies.add(ip);
            }
            Path cert = null;
            Path key = null;
            JsonNode tls = server.path("tls");
            if (!tls.isMissingNode()) {
                cert = existing("server.tls.cert", tls.path("cert"));
                key = existing("server.tls.key", tls.path("key"));
            }
            Map<String, Programme> programmes = programmes(root.path("programmes"));
            JsonNode pub = root.path("public");
            String publicProgramme = text(pub, "public.programme", "programme", DEFAULT_PUBLIC_PROGRAMME);
            if (!programmes.containsKey(publicProgramme)) {
                throw bad("public.programme", "'" + publicProgramme + "' is not a configured programme "
                        + programmes.keySet());
            }
            int perMinute = PUBLIC_PER_MINUTE.read(pub.path("fair_usage"), source);
            int burst = PUBLIC_BURST.read(pub.path("fair_usage"), source);
            Map<String, Organisation> orgs = new LinkedHashMap<>();
            Map<String, User> users = new LinkedHashMap<>();
            Map<String, String> userIds = new HashMap<>();
            JsonNode os = root.path("organisations");
            if (!os.isArray() || os.isEmpty()) {
                throw bad("organisations", "at least one organisation is required");
            }
            List<pk.gov.bisp.nser.server.caller.Agreement> seeds = new ArrayList<>();
            for (int i = 0; i < os.size(); i++) {
                seeds.add(organisation(os.get(i), "organisations[" + i + "]", orgs, users, userIds));
            }
            return new ServerConfig(host, port, loops, maxBatch, maxBody, publicProgramme, perMinute, burst,
                    Collections.unmodifiableSet(proxies), cert, key, Collections.unmodifiableMap(orgs),
                    Collections.unmodifiableMap(users), Collections.unmodifiableMap(programmes),
                    search(root.path("search")), metering(root.path("journal"), root.path("metering")),
                    updates(root.path("updates")), feedback(root.path("feedback")),
                    pmtModels(root.path("pmt_models")), new ConnectionOptions(
                            ConnectionOptions.IDLE_TIMEOUT_SECONDS.read(server, source),
                            ConnectionOptions.HEADER_TIMEOUT_SECONDS.read(server, source)),
                    dci(root.path("dci"), orgs.keySet()), agreements(root.path("agreements"), seeds),
                    cluster(root.path("cluster")), exchange(root.path("exchange"), os, programmes.keySet()),
                    audit(root.path("cluster").path("kafka"), root.path("audit")));
        }

        /** The {@code dci} section: {@code max_page_size}, and {@code organisations} by configured organisation id. */
        private DciOptions dci(JsonNode d, Set<String> orgIds) {
            if (d.isMissingNode() || d.isNull()) {
                return DciOptions.DEFAULTS;
            }
            int maxPage = DciOptions.MAX_PAGE_SIZE.read(d, source);
            Map<String, DciOptions.Partner> partners = new LinkedHashMap<>();
            JsonNode os = d.path("organisations");
            if (!os.isMissingNode() && !os.isObject()) {
                throw bad("dci.organisations", "must map organisation ids to their DCI settings");
            }
            for (Map.Entry<String, JsonNode> e : os.properties()) {
                String at = "dci.organisations." + e.getKey();
                if (!orgIds.contains(e.getKey())) {
                    throw bad(at, "not a configured organisation " + orgIds);
                }
                JsonNode o = e.getValue();
                JsonNode required = o.path("purpose_required");
                if (!required.isMissingNode() && !required.isBoolean()) {
                    throw bad(at + ".purpose_required", "must be true or false");
                }
                Set<String> origins = new java.util.LinkedHashSet<>();
                for (JsonNode u : o.path("callback_origins")) {
                    String origin = origin(u.asText());
                    if (origin == null) {
                        throw bad(at + ".callback_origins", "'" + u.asText() + "' is not an origin "
                                + "(http or https, a host and an optional port, no path), e.g. http://127.0.0.1:9000");
                    }
                    origins.add(origin);
                }
                Path key = o.has("public_key") ? existing(at + ".public_key", o.path("public_key")) : null;
                partners.put(e.getKey(), new DciOptions.Partner(required.asBoolean(false),
                        Collections.unmodifiableSet(origins), key));
            }
            int attempts = DciOptions.CALLBACK_ATTEMPTS.read(d, source);
            int backoff = DciOptions.CALLBACK_BACKOFF_MS.read(d, source);
            Path signing = d.has("signing_key") ? existing("dci.signing_key", d.path("signing_key")) : null;
            int slack = DciOptions.JOURNAL_COMPACT_SLACK.read(d, source);
            return new DciOptions(maxPage, Collections.unmodifiableMap(partners), attempts, backoff, signing, slack);
        }

        /** {@code agreements: {dir}}, and the organisations' seed agreements, whose ids may not repeat. */
        private AgreementOptions agreements(JsonNode a, List<pk.gov.bisp.nser.server.caller.Agreement> seeds) {
            Set<String> ids = new java.util.HashSet<>();
            for (int i = 0; i < seeds.size(); i++) {
                if (!ids.add(seeds.get(i).id())) {
                    throw bad("organisations[" + i + "].agreement.id", "'" + seeds.get(i).id() + "' repeats");
                }
            }
            String dir = text(a, "agreements.dir", "dir", null);
            return new AgreementOptions(dir == null ? null : Path.of(dir), seeds);
        }

        private ClusterOptions cluster(JsonNode c) {
            JsonNode k = c.path("kafka");
            String bootstrap = text(k, "cluster.kafka.bootstrap_servers", "bootstrap_servers", null);
            String node = text(c, "cluster.node_id", "node_id", null);
            String topic = text(k, "cluster.kafka.updates_topic", "updates_topic",
                    ClusterOptions.DEFAULT_UPDATES_TOPIC);
            int wait = ClusterOptions.MIN_POSITION_WAIT_MILLIS.read(c, source);
            int lag = ClusterOptions.MAX_READY_LAG.read(c, source);
            try {
                return new ClusterOptions(bootstrap, node, topic, wait, lag);
            } catch (ConfigException e) {
                throw new ConfigException(source + ": " + e.getMessage());
            }
        }

        /** {@code cluster.kafka.access_topic} and the {@code audit} section. */
        private AuditOptions audit(JsonNode kafka, JsonNode a) {
            String topic = text(kafka, "cluster.kafka.access_topic", "access_topic", AuditOptions.DEFAULT_ACCESS_TOPIC);
            String url = text(a, "audit.postgres", "postgres", null);
            try {
                return new AuditOptions(topic, url, AuditOptions.POOL_SIZE.read(a, source),
                        AuditOptions.SHIP_BATCH.read(a, source));
            } catch (ConfigException e) {
                throw new ConfigException(source + ": " + e.getMessage());
            }
        }

        private UpdateOptions updates(JsonNode u) {
            String dir = text(u, "updates.dir", "dir", null);
            String model = text(u, "updates.pmt_model", "pmt_model", null);
            Path modelPath = null;
            if (model != null) {
                modelPath = Path.of(model);
                try {
                    pk.gov.bisp.nser.core.scoring.PmtModel.load(modelPath);
                } catch (IOException | RuntimeException e) {
                    throw bad("updates.pmt_model", "cannot load " + model + ": " + e.getMessage());
                }
            }
            int every = UpdateOptions.CHECKPOINT_EVERY.read(u, source);
            int segmentMb = UpdateOptions.SEGMENT_MB.read(u, source);
            return new UpdateOptions(dir == null ? null : Path.of(dir), modelPath, every, (long) segmentMb << 20,
                    UpdateOptions.FOLD_EVERY.read(u, source));
        }

        /** Candidate models for what-if statistics: {@code [{id, file}]}, each file loaded and validated now. */
        private Map<String, PmtModel> pmtModels(JsonNode ms) {
            if (ms.isMissingNode() || ms.isNull()) {
                return Map.of();
            }
            if (!ms.isArray()) {
                throw bad("pmt_models", "must be a list of {id, file}");
            }
            Map<String, PmtModel> out = new LinkedHashMap<>();
            for (int i = 0; i < ms.size(); i++) {
                String at = "pmt_models[" + i + "]";
                String id = required(ms.get(i), at + ".id");
                if (!id.matches("[a-z0-9][a-z0-9.-]{0,62}") || id.equals(CURRENT_MODEL)) {
                    throw bad(at + ".id", "'" + id + "' must be lower-case letters, digits, dots and dashes, and "
                            + "not '" + CURRENT_MODEL + "' (which names the snapshot's own model)");
                }
                String file = required(ms.get(i), at + ".file");
                if (!Files.isRegularFile(Path.of(file))) {
                    throw bad(at + ".file", "'" + file + "' is not a file");
                }
                PmtModel m;
                try {
                    m = PmtModel.load(Path.of(file));
                } catch (IOException | IllegalArgumentException e) {
                    throw bad(at + ".file", "not a PMT model: " + e.getMessage());
                }
                if (out.put(id, m) != null) {
                    throw bad(at + ".id", "'" + id + "' repeats");
                }
            }
            return Collections.unmodifiableMap(out);
        }

        /** Adds the organisation and its users; returns the agreement it seeds. */
        private pk.gov.bisp.nser.server.caller.Agreement organisation(JsonNode o, String at,
                                                                      Map<String, Organisation> orgs,
                                                                      Map<String, User> users,
                                                                      Map<String, String> userIds) {
            String id = required(o, at + ".id");
            if (orgs.containsKey(id)) {
                throw bad(at + ".id", "'" + id + "' repeats");
            }
            OrganisationType type;
            try {
                type = OrganisationType.ofKey(required(o, at + ".type"));
            } catch (IllegalArgumentException e) {
                throw bad(at + ".type", e.getMessage());
            }
            Organisation org = new Organisation(id, required(o, at + ".name"), type, scope(o.path("scope"),
                    at + ".scope"), paisa(o, at + ".monthly_budget_pkr", "monthly_budget_pkr"),
                    integer(o, at + ".monthly_row_quota", "monthly_row_quota", 0, 0, Integer.MAX_VALUE));
            orgs.put(id, org);
            JsonNode us = o.path("users");
            if (!us.isArray() || us.isEmpty()) {
                throw bad(at + ".users", "at least one user is required");
            }
            List<User> own = new ArrayList<>();
            for (int j = 0; j < us.size(); j++) {
                String u = at + ".users[" + j + "]";
                JsonNode n = us.get(j);
                String uid = required(n, u + ".id");
                if (userIds.put(uid, u) != null) {
                    throw bad(u + ".id", "'" + uid + "' repeats");
                }
                Role role;
                try {
                    role = Role.valueOf(required(n, u + ".role").toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw bad(u + ".role", "'" + n.path("role").asText() + "'; valid: power, standard, basic, pos, "
                            + "admin");
                }
                Set<Operation> ops = EnumSet.noneOf(Operation.class);
                for (JsonNode op : n.path("operations")) {
                    try {
                        ops.add(Operation.ofKey(op.asText()));
                    } catch (IllegalArgumentException e) {
                        throw bad(u + ".operations", e.getMessage());
                    }
                }
                String hash = required(n, u + ".api_key_sha256").toLowerCase(Locale.ROOT);
                if (!hash.matches("[0-9a-f]{64}")) {
                    throw bad(u + ".api_key_sha256", "must be 64 hex digits (sha256 of the key; the key itself is "
                            + "never stored)");
                }
                if (users.containsKey(hash)) {
                    throw bad(u + ".api_key_sha256", "the same key is given to user '" + users.get(hash).id() + "'");
                }
                User user = new User(uid, required(n, u + ".name"), org, role, Set.copyOf(ops), hash);
                users.put(hash, user);
                own.add(user);
            }
            return AgreementSeeds.of(o, at, org, own, this::bad);
        }

        private MeteringOptions metering(JsonNode j, JsonNode m) {
            Path dir = null;
            String text = text(j, "journal.dir", "dir", null);
            if (text != null) {
                dir = Path.of(text);
            }
            JsonNode en = j.path("enabled");
            if (!en.isMissingNode() && !en.isBoolean()) {
                throw bad("journal.enabled", "must be true or false");
            }
            JsonNode elw = j.path("event_loop_writes");
            if (!elw.isMissingNode() && !elw.isBoolean()) {
                throw bad("journal.event_loop_writes", "must be true or false");
            }
            int fsync = MeteringOptions.FSYNC_INTERVAL_MICROS.read(j, source);
            int segmentMb = MeteringOptions.SEGMENT_MB.read(j, source);
            int gather = MeteringOptions.GATHER_MICROS.read(j, source);
            Map<String, Long> rates = new LinkedHashMap<>();
            JsonNode r = m.path("operation_rates_pkr");
            if (!r.isMissingNode()) {
                if (!r.isObject()) {
                    throw bad("metering.operation_rates_pkr", "must map operations to PKR per row");
                }
                for (var e : r.properties()) {
                    try {
                        Operation.ofKey(e.getKey());
                    } catch (IllegalArgumentException x) {
                        throw bad("metering.operation_rates_pkr." + e.getKey(), x.getMessage());
                    }
                    rates.put(e.getKey(), paisa(r, "metering.operation_rates_pkr." + e.getKey(), e.getKey()));
                }
            }
            return new MeteringOptions(dir, en.asBoolean(MeteringOptions.DEFAULT_ENABLED), fsync,
                    (long) segmentMb << 20, gather, elw.asBoolean(MeteringOptions.DEFAULT_EVENT_LOOP_WRITES),
                    Collections.unmodifiableMap(rates));
        }

        /** An amount in PKR (at most two decimals) as paisa; 0 when absent. */
        private long paisa(JsonNode n, String path, String field) {
            JsonNode v = n.path(field);
            if (v.isMissingNode() || v.isNull()) {
                return 0;
            }
            if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1e12
                    || Math.abs(v.asDouble() * 100 - Math.round(v.asDouble() * 100)) > 1e-6) {
                throw bad(path, "must be an amount in PKR, at least 0, with at most two decimals, got " + v);
            }
            return Math.round(v.asDouble() * 100);
        }

        /**
         * {@code exchange: {dir, segment_mb, programmes_visible_to, owner}}, and the programmes each organisation's
         * {@code agreement.programmes} names (configured programmes only).
         */
        private ExchangeOptions exchange(JsonNode x, JsonNode orgs, Set<String> programmeIds) {
            Map<String, Set<String>> partners = new LinkedHashMap<>();
            for (int i = 0; i < orgs.size(); i++) {
                JsonNode ps = orgs.get(i).path("agreement").path("programmes");
                if (ps.isMissingNode()) {
                    continue;
                }
                String at = "organisations[" + i + "].agreement.programmes";
                if (!ps.isArray() || ps.isEmpty()) {
                    throw bad(at, "must list the ids of configured programmes " + programmeIds);
                }
                Set<String> own = new java.util.TreeSet<>();
                for (JsonNode p : ps) {
                    if (!programmeIds.contains(p.asText())) {
                        throw bad(at, "'" + p.asText() + "' is not a configured programme " + programmeIds);
                    }
                    if (pk.gov.bisp.nser.core.index.Dimensions.PROGRAMME.values().contains(p.asText())) {
                        throw bad(at, "'" + p.asText() + "' is a survey programme of the snapshot; use another id");
                    }
                    own.add(p.asText());
                }
                partners.put(orgs.get(i).path("id").asText(), Collections.unmodifiableSet(own));
            }
            Set<Role> visible = java.util.EnumSet.noneOf(Role.class);
            for (JsonNode r : x.path("programmes_visible_to")) {
                try {
                    visible.add(Role.valueOf(r.asText().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw bad("exchange.programmes_visible_to", "'" + r.asText() + "' is not a role");
                }
            }
            String owner = text(x, "exchange.owner", "owner", ExchangeOptions.DEFAULT_OWNER);
            String dir = text(x, "exchange.dir", "dir", null);
            int segmentMb = ExchangeOptions.SEGMENT_MB.read(x, source);
            return new ExchangeOptions(dir == null ? null : Path.of(dir), (long) segmentMb << 20, partners, visible,
                    owner);
        }

        private FeedbackOptions feedback(JsonNode f) {
            String dir = text(f, "feedback.dir", "dir", null);
            int segmentMb = FeedbackOptions.SEGMENT_MB.read(f, source);
            return new FeedbackOptions(dir == null ? null : Path.of(dir), (long) segmentMb << 20);
        }

        private SearchOptions search(JsonNode s) {
            Map<Role, Integer> limits = new java.util.EnumMap<>(Role.class);
            limits.putAll(SearchOptions.DEFAULT_ROW_LIMITS);
            JsonNode rl = s.path("row_limits");
            if (!rl.isMissingNode()) {
                if (!rl.isObject()) {
                    throw bad("search.row_limits", "must map roles (power, standard, basic) to row counts");
                }
                for (var e : rl.properties()) {
                    Role role;
                    try {
                        role = Role.valueOf(e.getKey().toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException x) {
                        role = null;
                    }
                    if (role == null || !SearchOptions.DEFAULT_ROW_LIMITS.containsKey(role)) {
                        throw bad("search.row_limits." + e.getKey(), "not a role with lists; valid: power, standard, "
                                + "basic");
                    }
                    limits.put(role, integer(rl, "search.row_limits." + e.getKey(), e.getKey(), 0, 0,
                            Integer.MAX_VALUE));
                }
            }
            int page = SearchOptions.PAGE_ROWS.read(s, source);
            String key = text(s, "search.pseudonym_key", "pseudonym_key", null);
            int k = SearchOptions.MIN_CELL.read(s, source);
            int batch = SearchOptions.STREAM_BATCH_ROWS.read(s, source);
            String cursorKey = text(s, "search.cursor_key", "cursor_key", null);
            String cellKey = text(s, "search.cell_key_secret", "cell_key_secret", null);
            try {
                return new SearchOptions(limits, page, key, k, batch, cursorKey, cellKey);
            } catch (ConfigException e) {
                throw new ConfigException(source + ": " + e.getMessage());
            }
        }

        private AreaScope scope(JsonNode s, String at) {
            if (s.isMissingNode() || s.isNull()) {
                return AreaScope.NATIONAL;
            }
            List<GeoLevel> given = new ArrayList<>();
            for (GeoLevel l : List.of(GeoLevel.PROVINCE, GeoLevel.DISTRICT, GeoLevel.TEHSIL)) {
                if (s.has(l.key())) {
                    given.add(l);
                }
            }
            if (given.size() != 1 || s.size() != 1) {
                throw bad(at, "give exactly one of province, district, tehsil (a code)");
            }
            GeoLevel l = given.get(0);
            JsonNode code = s.get(l.key());
            if (!code.isInt() || code.asInt() <= 0) {
                throw bad(at + "." + l.key(), "must be a positive code, got " + code);
            }
            return new AreaScope(l, code.asInt());
        }

        private Map<String, Programme> programmes(JsonNode ps) {
            if (!ps.isArray() || ps.isEmpty()) {
                throw bad("programmes", "at least one programme is required");
            }
            Map<String, Programme> out = new LinkedHashMap<>();
            for (int i = 0; i < ps.size(); i++) {
                String at = "programmes[" + i + "]";
                JsonNode p = ps.get(i);
                String id = required(p, at + ".id");
                if (!id.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                    throw bad(at + ".id", "'" + id + "' must be lower-case letters, digits and dashes");
                }
                String rule = required(p, at + ".rule");
                ProgrammeRule r = switch (rule) {
                    case "pmt_cutoff" -> new ProgrammeRule.PmtCutoff(score(p, at + ".cutoff", "cutoff"),
                            score(p, at + ".cutoff_with_disabled_member", "cutoff_with_disabled_member"));
                    case "vulnerability" -> vulnerability(p, at);
                    default -> throw bad(at + ".rule", "'" + rule + "'; valid: pmt_cutoff, vulnerability");
                };
                if (out.put(id, new Programme(id, required(p, at + ".name"), r)) != null) {
                    throw bad(at + ".id", "'" + id + "' repeats");
                }
            }
            return out;
        }

        private ProgrammeRule vulnerability(JsonNode p, String at) {
            boolean widow = false;
            boolean elderly = false;
            int small = 0;
            for (JsonNode f : p.path("any_of")) {
                switch (f.asText()) {
                    case "widow" -> widow = true;
                    case "member_65_plus" -> elderly = true;
                    case "household_of_three_or_fewer" -> small = 3;
                    default -> throw bad(at + ".any_of", "'" + f.asText() + "'; valid: widow, member_65_plus, "
                            + "household_of_three_or_fewer");
                }
            }
            if (!widow && !elderly && small == 0) {
                throw bad(at + ".any_of", "name at least one vulnerability filter");
            }
            return new ProgrammeRule.Vulnerability(score(p, at + ".pmt_below", "pmt_below"), widow, elderly, small);
        }

        private int score(JsonNode n, String path, String field) {
            JsonNode v = n.path(field);
            if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 100) {
                throw bad(path, "must be a PMT score from 0 to 100, got " + (v.isMissingNode() ? "nothing" : v));
            }
            return (int) Math.round(v.asDouble() * 100);
        }

        private Path existing(String path, JsonNode v) {
            if (!v.isTextual() || !Files.isRegularFile(Path.of(v.asText()))) {
                throw bad(path, "must name an existing PEM file, got " + v);
            }
            return Path.of(v.asText());
        }

        private String required(JsonNode n, String path) {
            JsonNode v = n.path(path.substring(path.lastIndexOf('.') + 1));
            if (!v.isValueNode() || v.asText().isBlank()) {
                throw bad(path, "is required");
            }
            return v.asText();
        }

        private String text(JsonNode n, String path, String field, String dflt) {
            JsonNode v = n.path(field);
            if (v.isMissingNode() || v.isNull()) {
                return dflt;
            }
            if (!v.isTextual() || v.asText().isBlank()) {
                throw bad(path, "must be a non-empty string");
            }
            return v.asText();
        }

        private int integer(JsonNode n, String path, String field, int dflt, int min, int max) {
            JsonNode v = n.path(field);
            if (v.isMissingNode() || v.isNull()) {
                return dflt;
            }
            if (!v.isInt() || v.asInt() < min || v.asInt() > max) {
                throw bad(path, "must be a whole number " + min + ".." + max + ", got " + v);
            }
            return v.asInt();
        }
    }
}
