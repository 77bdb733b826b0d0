package pk.gov.bisp.nser.server.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.ServerProcess;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.config.ServerConfig;
import pk.gov.bisp.nser.server.update.UpdateService;

/**
 * A live update that changes an enrolled household's PMT band or eligibility gives the enrolling programme's change
 * feed an entry ({@code "event": "registry_change"}), journaled before the update is answered: it is there after a
 * restart and after a kill -9, once; an update that changes neither, or one of a household nobody enrols, adds none.
 */
class ExchangeRescoreTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String PARTNER = "demo-partner-key";

    /** Two poor households (score under 15) far apart in the registry: their ordinals. */
    private static int[] poorHouseholds() throws Exception {
        try (Snapshot s = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            List<Integer> out = new ArrayList<>();
            for (int o = 150; o < s.householdCount() && out.size() < 2; o += 7) {
                if (s.read(o, r) && r.pmtHundredths() < 1_500) {
                    out.add(o);
                }
            }
            return new int[] {out.get(0), out.get(1)};
        }
    }

    /** The household at {@code ordinal} as a re-survey body that makes it rich (a score far above the cut-off). */
    private static String richResurvey(int ordinal, long[] id) throws Exception {
        try (Snapshot s = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            assertTrue(s.read(ordinal, r));
            id[0] = r.householdId();
            return pk.gov.bisp.nser.server.Resurveys.rich(r, s);
        }
    }

    private static long idOf(int ordinal) throws Exception {
        try (Snapshot s = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            assertTrue(s.read(ordinal, r));
            return r.householdId();
        }
    }

    private static HttpResponse<String> send(URI base, String method, String path, String body, String key)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI base(NserServer s) {
        return URI.create("http://127.0.0.1:" + s.port());
    }

    private static List<JsonNode> feed(NserServer s) throws Exception {
        HttpResponse<String> r = Partners.get(s, PARTNER, "/v1/exchange/enrolments?since=0&limit=10000");
        assertEquals(200, r.statusCode(), r.body());
        List<JsonNode> out = new ArrayList<>();
        TestServer.json(r).get("enrolments").forEach(out::add);
        return out;
    }

    /** Enrols both, re-surveys the first rich, changes only the phone of the second; the resurvey's new score. */
    private static double enrolAndUpdate(URI base, long rich, long other, String resurvey) throws Exception {
        HttpResponse<String> e = send(base, "POST", "/v1/exchange/enrolments", Partners.enrolments(
                Partners.enrolment(Partners.byId(rich), "pbm", "enrolled", "2026-11-01"),
                Partners.enrolment(Partners.byId(other), "pbm", "enrolled", "2026-11-01")), PARTNER);
        assertEquals(201, e.statusCode(), e.body());
        HttpResponse<String> u = send(base, "PUT", "/v1/households/" + rich + "/survey", resurvey, "demo-power-key");
        assertEquals(200, u.statusCode(), u.body());
        HttpResponse<String> phone = send(base, "PATCH", "/v1/households/" + other + "/members",
                "{\"changes\":[{\"change\":\"contact\",\"phone\":\"923009999999\"}]}", "demo-power-key");
        assertEquals(200, phone.statusCode(), phone.body());
        return TestServer.json(u).get("pmt").get("after").asDouble();
    }

    private static void assertRescoreEntry(List<JsonNode> feed, long rich, long other, double after) {
        assertEquals(3, feed.size(), feed.toString());
        assertEquals("enrolment", feed.get(0).get("event").asText(), feed.toString());
        assertEquals("enrolment", feed.get(1).get("event").asText(), feed.toString());
        JsonNode change = feed.get(2);
        assertEquals(3, change.get("position").asLong());
        assertEquals("registry_change", change.get("event").asText(), change.toString());
        assertEquals(rich, change.get("household_id").asLong());
        assertEquals("pbm", change.get("programme").asText());
        assertEquals("enrolled", change.get("status").asText());
        assertTrue(change.has("changed_at") && !change.has("posted_at"), change.toString());
        String band = ExchangeRoutes.band((int) Math.round(after * 100));
        assertEquals(band, change.get("changed").get("pmt_band").asText(), change.toString());
        assertFalse(change.get("changed").get("eligible").asBoolean(), "above pbm's cut-off of 32: " + change);
        assertEquals(band, change.get("registry").get("pmt_band").asText(), change.toString());
        assertTrue(feed.stream().noneMatch(f -> f.get("household_id").asLong() == other
                && f.get("event").asText().equals("registry_change")), "a phone change changes no band: " + feed);
    }

    @Test
    void aRescoreOfAnEnrolledHouseholdIsInItsProgrammesFeedOnceAcrossARestart() throws Exception {
        int[] poor = poorHouseholds();
        long[] id = new long[1];
        String resurvey = richResurvey(poor[0], id);
        long other = idOf(poor[1]);
        Path dir = Files.createTempDirectory("nser-rescore");
        ServerConfig cfg = TestServer.demoConfig().withUpdatesDir(Files.createDirectories(dir.resolve("updates")))
                .withExchangeDir(Files.createDirectories(dir.resolve("exchange")));
        double after;
        try (NserServer s = TestServer.start(cfg)) {
            after = enrolAndUpdate(base(s), id[0], other, resurvey);
            assertTrue(after > 37, "rich: " + after);
            assertRescoreEntry(feed(s), id[0], other, after);
            HttpResponse<String> unenrolled = send(base(s), "PATCH", "/v1/households/" + idOf(poor[1] + 1)
                    + "/members", "{\"changes\":[{\"change\":\"contact\",\"phone\":\"923001111111\"}]}",
                    "demo-power-key");
            assertEquals(200, unenrolled.statusCode(), unenrolled.body());
            assertEquals(3, feed(s).size(), "nobody enrols that household");
        }
        try (NserServer s = TestServer.start(cfg)) {
            assertRescoreEntry(feed(s), id[0], other, after); // a clean restart adds none
        }
    }

    @Test
    void anAnsweredRescoreSurvivesKillNineOnce() throws Exception {
        int[] poor = poorHouseholds();
        long[] id = new long[1];
        String resurvey = richResurvey(poor[0], id);
        long other = idOf(poor[1]);
        ServerProcess p = ServerProcess.start(HTTP);
        double after;
        try {
            after = enrolAndUpdate(p.base, id[0], other, resurvey);
        } finally {
            p.kill();
        }
        ServerConfig cfg = TestServer.demoConfig();
        cfg = cfg.withExchangeDir(NserServer.exchangeDir(cfg, p.snapshot))
                .withUpdatesDir(UpdateService.dir(cfg, p.snapshot));
        try (NserServer s = TestServer.start(cfg, p.snapshot)) {
            assertRescoreEntry(feed(s), id[0], other, after);
        }
    }
}
