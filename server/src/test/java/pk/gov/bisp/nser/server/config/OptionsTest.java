package pk.gov.bisp.nser.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.journal.JournalOptions;
import pk.gov.bisp.nser.server.caller.Role;

/**
 * Issue 25 point 4: each component's options state their defaults and ranges once, validate themselves when built
 * in code, and the YAML parser only maps onto them, so a setting has one default and one rule.
 */
class OptionsTest {

    private static final String MINIMAL = """
            programmes:
              - {id: bisp-kafaalat, name: Kafaalat, rule: pmt_cutoff, cutoff: 32, cutoff_with_disabled_member: 37}
            organisations:
              - id: o
                name: O
                type: government_federal_provincial
                users:
                  - {id: u, name: U, role: power, api_key_sha256: %s}
            """.formatted("a".repeat(64));

    private static ServerConfig parse(String yaml) throws Exception {
        return ServerConfig.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    @Test
    void aConfigurationThatSetsNothingShouldGetEachComponentsDefaults() throws Exception {
        ServerConfig c = parse(MINIMAL);
        assertEquals(MeteringOptions.DEFAULTS, c.metering());
        assertEquals(UpdateOptions.DEFAULTS, c.updates());
        assertEquals(FeedbackOptions.DEFAULTS, c.feedback());
        assertEquals(SearchOptions.DEFAULTS, c.search());
        assertEquals(ConnectionOptions.DEFAULTS, c.connections());
        assertEquals(ServerConfig.PORT.defaultValue(), c.port());
        assertEquals(ServerConfig.MAX_BATCH.defaultValue(), c.maxBatch());
        assertEquals(Map.of(Role.POWER, 0, Role.STANDARD, 0, Role.BASIC, 1_000), c.search().rowLimits());
    }

    @Test
    void theAccessLogsFsyncIntervalShouldHaveTheJournalsOneDefault() {
        assertEquals(10_000, MeteringOptions.DEFAULT_FSYNC_INTERVAL_MICROS);
        assertEquals(JournalOptions.DEFAULT_FSYNC_INTERVAL_MICROS, MeteringOptions.DEFAULTS.fsyncIntervalMicros());
        assertEquals(JournalOptions.DEFAULT_SEGMENT_BYTES, MeteringOptions.DEFAULTS.segmentBytes());
        assertEquals(JournalOptions.DEFAULT_SEGMENT_BYTES, UpdateOptions.DEFAULTS.segmentBytes());
        assertEquals(JournalOptions.DEFAULT_SEGMENT_BYTES, FeedbackOptions.DEFAULTS.segmentBytes());
    }

    @Test
    void optionsBuiltInCodeShouldBeHeldToTheRangesTheYamlIs() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new UpdateOptions(null, null, 50_000, 5_000L << 20));
        assertEquals("updates.segment_mb: must be a whole number 1..4096, got 5000", e.getMessage());
        e = assertThrows(ConfigException.class, () -> new FeedbackOptions(null, 0));
        assertEquals("feedback.segment_mb: must be a whole number 1..4096, got 0", e.getMessage());
        e = assertThrows(ConfigException.class, () -> new MeteringOptions(null, true, -1, 64L << 20, 300, true,
                Map.of()));
        assertEquals("journal.fsync_interval_micros: must be a whole number 0..10000000, got -1", e.getMessage());
        e = assertThrows(ConfigException.class, () -> new ConnectionOptions(0, 10));
        assertEquals("server.idle_timeout_seconds: must be a whole number 1..86400, got 0", e.getMessage());
        e = assertThrows(ConfigException.class, () -> new SearchOptions(SearchOptions.DEFAULT_ROW_LIMITS, 100,
                "too-short", 10, 256, null, null));
        assertEquals("search.pseudonym_key: must be at least 16 characters", e.getMessage());
        e = assertThrows(ConfigException.class, () -> new SearchOptions(Map.of(Role.POS, 5), 100, null, 10, 256,
                null, null));
        assertEquals("search.row_limits.pos: a role with lists (power, standard, basic) and 0 or more rows",
                e.getMessage());
    }

    @Test
    void theSameSegmentRuleShouldBeNamedUnderEachSection() throws Exception {
        for (String section : new String[] {"journal", "updates", "feedback"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> parse(MINIMAL + section + ":\n  segment_mb: 4097\n"));
            assertEquals("test.yaml: " + section + ".segment_mb: must be a whole number 1..4096, got 4097",
                    e.getMessage());
        }
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse(MINIMAL + "search:\n  cursor_key: short\n"));
        assertEquals("test.yaml: search.cursor_key: must be at least 16 characters", e.getMessage());
    }
}
