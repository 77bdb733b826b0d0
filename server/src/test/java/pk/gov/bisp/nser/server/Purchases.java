package pk.gov.bisp.nser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import pk.gov.bisp.nser.core.cnic.Cnic;
import pk.gov.bisp.nser.core.record.HouseholdRecord;
import pk.gov.bisp.nser.core.snapshot.Snapshot;
import pk.gov.bisp.nser.server.caller.ApiKeys;
import pk.gov.bisp.nser.server.config.ServerConfig;

/** Purchase feedback for tests: a two-organisation configuration, households to buy for, and request bodies. */
public final class Purchases {

    /**
     * Utility Stores (pos, demo-pos-key) and PSPA (power, demo-power-key) may post; the academic user
     * (demo-basic-key) may not; the admin (demo-admin-key) audits. Batches of at most 5.
     */
    public static final String CONFIG = """
            server: {host: 127.0.0.1, max_batch: 5}
            public: {programme: bisp-kafaalat}
            programmes:
              - {id: bisp-kafaalat, name: Kafaalat, rule: pmt_cutoff, cutoff: 32, cutoff_with_disabled_member: 37}
              - {id: usc-subsidy, name: USC subsidy, rule: vulnerability, pmt_below: 40, any_of: [widow]}
            organisations:
              - id: utility-stores
                name: Utility Stores Corporation
                type: semi_autonomous_government
                users: [{id: pos-1, name: Till, role: pos, operations: [eligibility, feedback],
                         api_key_sha256: %s}]
              - id: punjab-social-protection
                name: Punjab Social Protection Authority
                type: government_federal_provincial
                users: [{id: power-1, name: Officer, role: power, operations: [lookup, feedback],
                         api_key_sha256: %s}]
              - id: lab
                name: Lab
                type: academic_research
                users: [{id: basic-1, name: Researcher, role: basic, operations: [lookup], api_key_sha256: %s}]
              - id: bisp
                name: BISP
                type: gratis
                users: [{id: admin-1, name: Auditor, role: admin, operations: [audit], api_key_sha256: %s}]
            """.formatted(ApiKeys.sha256("demo-pos-key"), ApiKeys.sha256("demo-power-key"),
            ApiKeys.sha256("demo-basic-key"), ApiKeys.sha256("demo-admin-key"));

    /** A household of the test snapshot: its id and the CNICs of two members (the second -1 if it has one). */
    public record Household(long id, String cnic, String otherCnic) {
    }

    private Purchases() {
    }

    public static ServerConfig config(Path journal, Path feedback) throws Exception {
        return TestServer.config(CONFIG).withJournalDir(journal).withFeedbackDir(feedback);
    }

    /** {@code count} households with two members with a CNIC, from ordinal {@code from} on. */
    public static List<Household> households(int from, int count) throws Exception {
        List<Household> out = new ArrayList<>();
        try (Snapshot s = TestServer.openSnapshot()) {
            HouseholdRecord r = new HouseholdRecord();
            for (int o = from; o < s.householdCount() && out.size() < count; o += 37) {
                s.read(o, r);
                if (r.memberCount() >= 2 && Cnic.isValid(r.cnic(0)) && Cnic.isValid(r.cnic(1))) {
                    out.add(new Household(r.householdId(), Cnic.format(r.cnic(0)), Cnic.digits(r.cnic(1))));
                }
            }
        }
        assertEquals(count, out.size());
        return out;
    }

    /** A well-formed CNIC that no household has. */
    public static String absentCnic() throws Exception {
        try (Snapshot s = TestServer.openSnapshot()) {
            long c = 1_111_111_111_111L;
            while (s.ordinalOfCnic(c) >= 0) {
                c++;
            }
            return Cnic.format(c);
        }
    }

    public static String item(String code, String quantity, String unit, String amount, String subsidy) {
        return """
                {"code": "%s", "quantity": %s, "unit": "%s", "amount_pkr": %s, "subsidy_pkr": %s}"""
                .formatted(code, quantity, unit, amount, subsidy);
    }

    public static String purchase(String cnic, String programme, Instant at, String amount, String subsidy, String... items) {
        return """
                {"cnic": "%s", "programme": "%s", "outlet_id": "USC-LHR-0042", "purchased_at": "%s",
                 "items": [%s], "totals": {"amount_pkr": %s, "subsidy_pkr": %s}}"""
                .formatted(cnic, programme, at, String.join(", ", items), amount, subsidy);
    }

    public static String batch(String... purchases) {
        return "{\"purchases\": [" + String.join(", ", purchases) + "]}";
    }

    public static HttpResponse<String> post(NserServer s, String role, String body) throws Exception {
        return TestServer.send(s, "POST", "/v1/feedback/purchases", body, "Authorization", "Bearer demo-" + role
                + "-key", "Content-Type", "application/json");
    }

    public static HttpResponse<String> summary(NserServer s, String role, String cnic) throws Exception {
        return TestServer.get(s, "/v1/feedback/purchases/" + cnic, TestServer.key(role));
    }

    /** A JSON number equal to {@code expected} (compared as decimals, so 12.5 equals 12.50). */
    public static void assertDecimal(String expected, JsonNode n) {
        assertEquals(0, new BigDecimal(expected).compareTo(n.decimalValue()), "expected " + expected + ", got " + n);
    }
}
