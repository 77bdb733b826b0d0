package pk.gov.bisp.nser.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.caller.ApiKeys;
import pk.gov.bisp.nser.server.caller.OrganisationType;
import pk.gov.bisp.nser.server.caller.Role;
import pk.gov.bisp.nser.server.caller.User;

class ConfigTest {

    private static String demo() throws Exception {
        return new String(ConfigTest.class.getResourceAsStream("/demo.yaml").readAllBytes());
    }

    @Test
    void demoConfigShouldHaveOneUserPerRoleWithTheDocumentedKeys() throws Exception {
        ServerConfig c = TestServer.demoConfig();
        assertTrue(Files.readString(Path.of("../config/demo.yaml")).equals(demo()), "jar copy = config/demo.yaml");
        for (Role r : Role.values()) {
            User u = c.usersByKeyHash().get(ApiKeys.sha256("demo-" + r.name().toLowerCase() + "-key"));
            assertEquals(r, u.role(), "demo-" + r.name().toLowerCase() + "-key");
        }
        assertEquals(OrganisationType.GOVERNMENT, userOf(c, "demo-power-key").organisation().type());
        assertEquals(OrganisationType.BUSINESS, userOf(c, "demo-standard-key").organisation().type());
        assertEquals(OrganisationType.ACADEMIC, userOf(c, "demo-basic-key").organisation().type());
        assertTrue(c.programmes().containsKey("bisp-kafaalat") && c.programmes().containsKey("usc-subsidy"));
        assertTrue(c.loopbackOnly());
    }

    /** Issue 26: every organisation seeds an agreement, from its agreement block or from its users. */
    @Test
    void everyOrganisationShouldSeedAnAgreement() throws Exception {
        ServerConfig c = TestServer.demoConfig();
        java.util.List<pk.gov.bisp.nser.server.caller.Agreement> seeds = c.agreements().seeds();
        assertEquals(java.util.List.of("DSA-2026-001", "DSA-2026-002", "DSA-2026-003", "DSA-2026-004",
                "DSA-BISP-INTERNAL", "DSA-2026-005"),
                seeds.stream().map(pk.gov.bisp.nser.server.caller.Agreement::id).toList());
        pk.gov.bisp.nser.server.caller.Agreement lab = seeds.get(2);
        assertEquals("lums-poverty-lab", lab.organisation());
        assertEquals(pk.gov.bisp.nser.server.caller.PurposeCategory.ANONYMISED_DATA, lab.category());
        assertEquals(java.util.Set.of(pk.gov.bisp.nser.server.caller.DataClass.PUBLIC,
                pk.gov.bisp.nser.server.caller.DataClass.CONFIDENTIAL), lab.dataClasses());
        assertEquals("basic-1", lab.users().get(0).userId());
        assertEquals(Role.BASIC, lab.users().get(0).role());
        assertTrue(userOf(c, "demo-admin-key").may(pk.gov.bisp.nser.server.caller.Operation.AGREEMENTS));

        ServerConfig minimal = TestServer.config(TestServer.minimal(30, 10, "").replace("type: gratis",
                "type: gratis\n    agreement: {valid_from: 2026-01-01, valid_until: 2026-12-31}"));
        pk.gov.bisp.nser.server.caller.Agreement o = minimal.agreements().seeds().get(0);
        assertEquals("o", o.id(), "without an id, the organisation's");
        assertEquals(pk.gov.bisp.nser.server.caller.PurposeCategory.POVERTY_SCORE_API, o.category());
        assertEquals(java.time.Instant.parse("2025-12-31T19:00:00Z"), o.validFrom(), "the day's start in PKT");
        assertEquals(java.time.Instant.parse("2026-12-31T19:00:00Z"), o.validUntil(), "the day's end in PKT");
        assertEquals(java.util.Set.of(pk.gov.bisp.nser.server.caller.DataClass.PUBLIC), o.dataClasses(),
                "what its users' roles need");
        ConfigException e = assertThrows(ConfigException.class, () -> TestServer.config(TestServer.minimal(30, 10, "")
                .replace("type: gratis", "type: gratis\n    agreement: {valid_until: 31/12/2027}")));
        assertTrue(e.getMessage().contains("organisations[0].agreement.valid_until"), e.getMessage());
    }

    private static User userOf(ServerConfig c, String key) {
        return c.usersByKeyHash().get(ApiKeys.sha256(key));
    }

    @Test
    void demoKeysShouldBeRefusedOffLoopback() throws Exception {
        ServerConfig open = TestServer.config(demo().replace("host: 127.0.0.1", "host: 0.0.0.0"));
        ConfigException e = assertThrows(ConfigException.class, open::checkDemoKeys);
        assertTrue(e.getMessage().contains("demo API key") && e.getMessage().contains("0.0.0.0"), e.getMessage());
    }

    /**
     * Issue 23.2 and 23.3: off loopback, Basic's pseudonym key and the statistics' cell-key secret are required
     * configuration, never derived from the snapshot.
     */
    @Test
    void aPseudonymKeyShouldBeRequiredOffLoopback() throws Exception {
        String minimal = TestServer.minimal(30, 10, "").replace("host: 127.0.0.1", "host: 0.0.0.0");
        ConfigException e = assertThrows(ConfigException.class, TestServer.config(minimal)::checkDemoKeys);
        assertTrue(e.getMessage().contains("search.pseudonym_key is required"), e.getMessage());
        ConfigException cell = assertThrows(ConfigException.class, TestServer.config(minimal
                + "search: {pseudonym_key: a-secret-of-32-characters-or-so}\n")::checkDemoKeys);
        assertTrue(cell.getMessage().contains("search.cell_key_secret is required"), cell.getMessage());
        TestServer.config(minimal + "search: {pseudonym_key: a-secret-of-32-characters-or-so, "
                + "cell_key_secret: another-secret-of-32-characters}\n").checkDemoKeys();
        assertThrows(ConfigException.class, () -> TestServer.config(minimal + "search: {cursor_key: short}\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "role: power|role: wizard|organisations[0].users[0].role",
        "type: business_private|type: pirate|organisations[1].type",
        "api_key_sha256: c763c81266ea5e92e63b46f72bf4ef909ec5d2593ebf1f64f8b6aced74855792|api_key_sha256: secret|"
            + "organisations[1].users[0].api_key_sha256",
        "programme: bisp-kafaalat|programme: nope|public.programme",
        "cutoff: 32|cutoff: 320|programmes[0].cutoff",
        "rule: vulnerability|rule: lottery|programmes[1].rule",
        "port: 8080|port: 99999|server.port",
        "operations: [eligibility, feedback]|operations: [teleport]|organisations[3].users[0].operations",
        "id: standard-1|id: power-1|organisations[1].users[0].id",
        "trusted_proxies: [127.0.0.1]|trusted_proxies: [proxy.example.org]|server.trusted_proxies",
        "trusted_proxies: [127.0.0.1]|trusted_proxies: [10.0.0.0/8]|server.trusted_proxies",
        "trusted_proxies: [127.0.0.1]|trusted_proxies: [127.1]|server.trusted_proxies",
        "trusted_proxies: [127.0.0.1]|trusted_proxies: ['dead.beef']|server.trusted_proxies",
        "gather_micros: 300|gather_micros: 20000|journal.gather_micros",
        "gather_micros: 300|gather_micros: -1|journal.gather_micros",
        "category: beneficiary_lists|category: gossip|organisations[0].agreement.category",
        "id: DSA-2026-002|id: DSA-2026-001|organisations[1].agreement.id",
        "data_classes: [public, confidential]|data_classes: [public]|organisations[2].agreement.data_classes",
        "id: DSA-2026-004|id: 'bad id!'|organisations[3].agreement.id",
        "operations: [usage, audit, stats, update, agreements]|operations: [usage, agreement]|"
            + "organisations[4].users[0].operations",
    })
    void aBadValueShouldStopTheStartNamingTheSetting(String from, String to, String setting) throws Exception {
        String yaml = demo();
        assertTrue(yaml.contains(from), from);
        ConfigException e = assertThrows(ConfigException.class, () -> TestServer.config(yaml.replace(from, to)));
        assertTrue(e.getMessage().contains(setting), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{id: v2, file: ../config/nope.json}|pmt_models[0].file",
        "{id: current, file: ../config/pmt-model-v2.json}|pmt_models[0].id",
        "{id: Bad Id, file: ../config/pmt-model-v2.json}|pmt_models[0].id",
        "{id: v2, file: ../config/demo.yaml}|pmt_models[0].file",
        "{id: v2}|pmt_models[0].file",
    })
    void aBadCandidateModelShouldStopTheStartNamingTheSetting(String entry, String setting) throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TestServer.config(demo() + "pmt_models:\n  - " + entry + "\n"));
        assertTrue(e.getMessage().contains(setting), e.getMessage());
    }

    @Test
    void candidateModelsShouldBeLoadedAndListed() throws Exception {
        ServerConfig c = TestServer.config(demo() + "pmt_models:\n  - {id: v2-draft, file: ../config/pmt-model-v2.json}\n");
        assertEquals(2, c.pmtModels().get("v2-draft").version());
        assertTrue(c.describe().contains("candidate PMT model v2-draft: nser-proxy v2"), c.describe());
        assertTrue(TestServer.demoConfig().pmtModels().isEmpty());
    }

    @Test
    void theEventLoopsShouldWriteTheAccessLogUnlessConfiguredOffOrEveryBatchIsFsynced() throws Exception {
        ServerConfig d = TestServer.demoConfig();
        assertTrue(d.metering().eventLoopWrites());
        assertTrue(d.describe().contains("fsync every 10000 us, written by the event loops;"), d.describe());
        String off = demo().replace("gather_micros: 300", "gather_micros: 300\n  event_loop_writes: false");
        ServerConfig c = TestServer.config(off);
        assertFalse(c.metering().eventLoopWrites());
        assertTrue(c.describe().contains("written by its thread;"), c.describe());
        ServerConfig every = TestServer.config(demo().replace("fsync_interval_micros: 10000",
                "fsync_interval_micros: 0"));
        assertTrue(every.describe().contains("fsync every 0 us, written by its thread;"), every.describe());
        ConfigException e = assertThrows(ConfigException.class,
                () -> TestServer.config(off.replace("event_loop_writes: false", "event_loop_writes: sometimes")));
        assertTrue(e.getMessage().contains("journal.event_loop_writes"), e.getMessage());
    }

    @Test
    void theEventLoopsOptionShouldOverrideTheConfigurationWithinItsRange() throws Exception {
        ServerConfig c = TestServer.demoConfig();
        assertEquals(Runtime.getRuntime().availableProcessors(), c.eventLoops(), "default: one per core");
        ServerConfig one = c.withEventLoops(1);
        assertEquals(1, one.eventLoops());
        assertTrue(one.describe().contains("event loops 1,"), one.describe());
        assertEquals(c.port(), one.port());
        for (int bad : new int[] {0, -1, 257}) {
            ConfigException e = assertThrows(ConfigException.class, () -> c.withEventLoops(bad));
            assertTrue(e.getMessage().contains("--event-loops=" + bad), e.getMessage());
        }
    }

    @Test
    void effectiveConfigShouldMaskKeyHashes() throws Exception {
        String d = TestServer.demoConfig().describe();
        assertTrue(d.contains("user power-1") && d.contains("key sha256:ba989f..."), d);
        assertTrue(!d.contains("ba989f8b18e2393f294daafad7b6ecffcebe1d433e9d7e962275f3f01c142a9a"), d);
    }
}
