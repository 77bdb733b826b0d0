package pk.gov.bisp.nser.server.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.server.AccessLogs;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.accesslog.AccessRecord;
import pk.gov.bisp.nser.server.http.Today;

/**
 * Every response has its access record in the journal, carrying the bill the response announced; the ledger
 * (and /v1/usage) equals the sum of the log, also after a restart and after a torn tail is cut.
 */
class MeteringTest {

    private static Path journal;
    private static NserServer server;
    private static final List<String> CNICS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        journal = Files.createTempDirectory("nser-metering");
        server = TestServer.start(TestServer.demoConfig().withJournalDir(journal));
        CNICS.addAll(TestServer.headCnics(0, 501, 20).stream().map(Cnic::format).toList());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String id(HttpResponse<String> r) {
        return r.headers().firstValue("X-Request-Id").orElseThrow();
    }

    private static String header(HttpResponse<String> r, String name) {
        return r.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " header"));
    }

    @Test
    void everyResponseIsLoggedWithTheBillItAnnounced() throws Exception {
        HttpResponse<String> power = TestServer.get(server, "/v1/households/by-cnic/" + CNICS.get(0),
                TestServer.key("power"));
        HttpResponse<String> standard = TestServer.get(server, "/v1/households/by-cnic/" + CNICS.get(1),
                TestServer.key("standard"));
        HttpResponse<String> list = TestServer.get(server, "/v1/households?province=6&limit=5",
                TestServer.key("standard"));
        HttpResponse<String> pos = TestServer.get(server, "/v1/eligibility/bisp-kafaalat/" + CNICS.get(2),
                TestServer.key("pos"));
        HttpResponse<String> pub = TestServer.get(server, "/public/v1/status/" + CNICS.get(3));
        HttpResponse<String> missing = TestServer.get(server, "/nowhere");
        HttpResponse<String> nokey = TestServer.get(server, "/v1/households/by-cnic/" + CNICS.get(4));
        assertEquals(List.of(200, 200, 200, 200, 200, 404, 401), Stream.of(power, standard, list, pos, pub, missing,
                nokey).map(HttpResponse::statusCode).toList());
        assertEquals("1", header(power, "Billed-Rows"));
        assertEquals("3.00", header(power, "Billed-Amount"), "government: 3 PKR per household");
        assertEquals("100.00", header(standard, "Billed-Amount"), "business: 100 PKR per household");
        assertEquals("5", header(list, "Billed-Rows"));
        assertEquals("500.00", header(list, "Billed-Amount"));
        assertEquals("0.50", header(pos, "Billed-Amount"), "eligibility is priced per check in demo.yaml");
        assertEquals("0.00", header(pub, "Billed-Amount"));
        assertEquals("0", header(missing, "Billed-Rows"));
        assertEquals("0", header(nokey, "Billed-Rows"));

        Map<String, AccessRecord[]> log = AccessLogs.read(journal);
        AccessRecord p = log.get(id(power))[0];
        assertEquals("power-1", p.userId());
        assertEquals("punjab-social-protection", p.organisation());
        assertEquals("power", p.role());
        assertEquals("lookup", p.operation());
        assertEquals(CNICS.get(0), p.cnic());
        assertEquals(1, p.rows());
        assertEquals(7, p.fieldClasses(), "public, confidential and secret");
        assertEquals(200, p.status());
        assertEquals("127.0.0.1", p.clientIp());
        assertEquals(300, p.amountPaisa());
        assertEquals(7, log.get(id(standard))[0].fieldClasses(), "the searched member's CNIC is secret");
        AccessRecord[] l = log.get(id(list));
        assertTrue(l[0].stream() && l[0].billedRows() == 0 && l[0].rows() == 5, "a stream's start bills nothing");
        assertEquals(5, l[1].billedRows(), "its end bills the rows sent");
        assertEquals(50_000, l[1].amountPaisa());
        assertEquals(3, l[1].fieldClasses(), "Standard lists carry no secret field");
        assertEquals("province=6&limit=5", l[0].query());
        assertEquals(50, log.get(id(pos))[0].amountPaisa());
        assertEquals("public-status", log.get(id(pub))[0].operation());
        assertEquals(null, log.get(id(pub))[0].userId());
        assertEquals(404, log.get(id(missing))[0].status());
        assertEquals(401, log.get(id(nokey))[0].status());
        assertEquals(0, log.get(id(nokey))[0].billedRows());
    }

    @Test
    void usageIsTheSumOfTheLog() throws Exception {
        for (String c : CNICS.subList(5, 10)) {
            assertEquals(200, TestServer.get(server, "/v1/households/by-cnic/" + c, TestServer.key("standard"))
                    .statusCode());
        }
        HttpResponse<String> r = TestServer.get(server, "/v1/usage", TestServer.key("standard"));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode u = TestServer.json(r);
        YearMonth month = YearMonth.parse(u.get("month").asText()); // the month it answered for: its records only
        long rows = 0;
        long paisa = 0;
        long requests = 0;
        for (AccessRecord[] rec : AccessLogs.read(journal).values()) {
            for (int k = 0; k < 2; k++) {
                AccessRecord a = rec[k];
                if (a != null && "acme-microfinance".equals(a.organisation()) && month.equals(YearMonth.from(
                        java.time.Instant.ofEpochMilli(a.epochMillis()).atZone(Today.PAKISTAN)))) {
                    rows += a.billedRows();
                    paisa += a.amountPaisa();
                    requests += k == 0 ? 1 : 0;
                }
            }
        }
        assertEquals("acme-microfinance", u.get("organisation").asText());
        YearMonth now = YearMonth.from(ZonedDateTime.now(Today.PAKISTAN));
        assertTrue(month.equals(now) || month.equals(now.minusMonths(1)), "usage of the month now: " + month);
        assertTrue(rows >= 5, "five lookups at least");
        assertEquals(rows, u.get("rows").asLong());
        assertEquals(paisa / 100.0, u.get("charge_pkr").asDouble(), 1e-9);
        assertTrue(u.get("requests").asLong() >= requests - 1, "the usage request itself is logged after it answers");
        JsonNode admin = TestServer.json(TestServer.get(server, "/admin/usage", TestServer.key("admin")));
        assertEquals(6, admin.get("organisations").size()); // the demo's, Bait-ul-Mal (issue 31) the sixth
        HttpResponse<String> csv = TestServer.get(server, "/v1/usage?format=csv", TestServer.key("standard"));
        assertTrue(csv.body().startsWith("organisation,month,day,requests,rows,charge_pkr,lost_records\r\n"), csv.body());
        assertEquals(400, TestServer.get(server, "/v1/usage?month=11-2026", TestServer.key("standard")).statusCode());
    }

    @Test
    void theAdminSeesWhoSearchedACnic() throws Exception {
        String cnic = CNICS.get(12);
        TestServer.get(server, "/v1/households/by-cnic/" + cnic, TestServer.key("basic"));
        JsonNode j = TestServer.json(TestServer.get(server, "/admin/access-log?cnic=" + cnic, TestServer.key("admin")));
        assertEquals(1, j.get("matched").asInt(), j.toString());
        JsonNode rec = j.get("records").get(0).get("record");
        assertEquals("basic-1", rec.get("user").asText());
        assertEquals("lums-poverty-lab", rec.get("organisation").asText());
        assertEquals(403, TestServer.get(server, "/admin/access-log", TestServer.key("power")).statusCode());
        assertEquals(400, TestServer.get(server, "/admin/access-log?from=yesterday", TestServer.key("admin"))
                .statusCode());
    }

    @Test
    void aClientThatLeavesAStreamPaysForWhatItReceived() throws Exception {
        long before = AccessLogs.billedAroundNow(server.ledger(), "acme-microfinance")[0];
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            OutputStream out = s.getOutputStream();
            out.write(("GET /v1/households?format=ndjson HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + "demo-standard-key\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            assertTrue(in.read(buf) > 0);
        }
        long[] after = new long[1];
        for (int i = 0; i < 200; i++) {
            after[0] = AccessLogs.billedAroundNow(server.ledger(), "acme-microfinance")[0];
            if (after[0] > before) {
                break;
            }
            Thread.sleep(50);
        }
        long streamed = after[0] - before;
        assertTrue(streamed > 0 && streamed < 20_000, "billed " + streamed + " of 20,000 planned rows");
        AccessRecord end = null;
        for (AccessRecord[] r : AccessLogs.read(journal).values()) {
            if (r[1] != null && r[0].query() != null && r[0].query().equals("format=ndjson")) {
                end = r[1];
            }
        }
        assertNotNull(end);
        assertEquals(20_000, TestServer.json(TestServer.get(server, "/v1/households/count",
                TestServer.key("power"))).get("count").asLong());
        assertEquals(streamed, end.billedRows());
        assertEquals(streamed * 10_000, end.amountPaisa());
    }

    @Test
    void aRestartReplaysTheSameLedgerAndCutsATornTail() throws Exception {
        Path dir = Files.createTempDirectory("nser-metering-restart");
        String org = "punjab-social-protection";
        long[] billed;
        try (NserServer s = TestServer.start(TestServer.demoConfig().withJournalDir(dir))) {
            for (String c : CNICS.subList(0, 6)) {
                TestServer.get(s, "/v1/households/by-cnic/" + c, TestServer.key("power"));
            }
            billed = AccessLogs.billedAroundNow(s.ledger(), org);
            assertEquals(6, billed[0]);
        }
        Path last;
        try (Stream<Path> files = Files.list(dir)) {
            last = files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().reduce((a, b) -> b)
                    .orElseThrow();
        }
        Files.write(last, new byte[] {42, 0, 0, 0, 1, 2, 3}, StandardOpenOption.APPEND);
        try (NserServer s = TestServer.start(TestServer.demoConfig().withJournalDir(dir))) {
            assertFalse(s.journalRecovery().clean(), s.journalRecovery().toString());
            assertTrue(s.journalRecovery().toString().contains("7"), s.journalRecovery().toString());
            assertEquals(billed[0], AccessLogs.billedAroundNow(s.ledger(), org)[0]);
            assertEquals(billed[1], AccessLogs.billedAroundNow(s.ledger(), org)[1]);
            assertEquals(200, TestServer.get(s, "/v1/households/by-cnic/" + CNICS.get(7), TestServer.key("power"))
                    .statusCode());
            assertEquals(7, AccessLogs.billedAroundNow(s.ledger(), org)[0]);
        }
        assertEquals(7, AccessLogs.billedAroundNow(Ledger.replay(dir), org)[0]);
    }

    @Test
    void aQuotaRefusesWithTheLimitAndItsReset() throws Exception {
        String yaml = """
                server: {host: 127.0.0.1}
                programmes:
                  - {id: bisp-kafaalat, name: Main, rule: pmt_cutoff, cutoff: 32, cutoff_with_disabled_member: 37}
                organisations:
                  - id: small-ngo
                    name: Small NGO
                    type: local_ngo
                    monthly_row_quota: 2
                    users: [{id: u1, name: U, role: standard, operations: [lookup],
                             api_key_sha256: c763c81266ea5e92e63b46f72bf4ef909ec5d2593ebf1f64f8b6aced74855792}]
                """;
        try (NserServer s = TestServer.start(TestServer.config(yaml))) {
            String[] key = TestServer.key("standard");
            assertEquals(200, TestServer.get(s, "/v1/households/by-cnic/" + CNICS.get(0), key).statusCode());
            assertEquals(200, TestServer.get(s, "/v1/households/by-cnic/" + CNICS.get(1), key).statusCode());
            HttpResponse<String> refused = TestServer.get(s, "/v1/households/by-cnic/" + CNICS.get(2), key);
            assertEquals(429, refused.statusCode());
            assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
            assertTrue(refused.body().contains("monthly row quota of 2 rows") && refused.body().contains("resets"),
                    refused.body());
            assertTrue(Long.parseLong(header(refused, "Retry-After")) > 0);
            assertEquals("0", header(refused, "Billed-Rows"));
        }
    }
}
