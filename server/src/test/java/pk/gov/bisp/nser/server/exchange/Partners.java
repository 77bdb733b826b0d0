package pk.gov.bisp.nser.server.exchange;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import pk.gov.bisp.nser.server.NserServer;
import pk.gov.bisp.nser.server.TestServer;
import pk.gov.bisp.nser.server.caller.ApiKeys;
import pk.gov.bisp.nser.server.config.ServerConfig;

/**
 * The exchange's test configuration: Pakistan Bait-ul-Mal (programme {@code pbm}, Power, {@code demo-partner-key}),
 * Sehat (programme {@code sehat}, Power, scoped to one district, {@code demo-power-key}), a Standard and a Basic user
 * without the exchange operation, and BISP's own Power user ({@code bisp-power-key}). Batches of at most 5.
 */
final class Partners {

    static final String CONFIG = """
            server: {host: 127.0.0.1, max_batch: 5}
            public: {programme: bisp-kafaalat}
            programmes:
              - {id: bisp-kafaalat, name: Kafaalat, rule: pmt_cutoff, cutoff: 32, cutoff_with_disabled_member: 37}
              - {id: pbm, name: Pakistan Bait-ul-Mal, rule: pmt_cutoff, cutoff: 32, cutoff_with_disabled_member: 32}
              - {id: sehat, name: Sehat Sahulat, rule: pmt_cutoff, cutoff: 40, cutoff_with_disabled_member: 40}
            organisations:
              - id: pakistan-bait-ul-mal
                name: Pakistan Bait-ul-Mal
                type: government_federal_provincial
                agreement: {id: DSA-PBM, purpose: exchange, category: beneficiary_lists,
                            data_classes: [public, confidential, secret], programmes: [pbm]}
                users: [{id: partner-1, name: PBM, role: power, operations: [lookup, search, stats, exchange],
                         api_key_sha256: %s}]
              - id: sehat
                name: Sehat Sahulat
                type: government_federal_provincial
                scope: {district: DISTRICT}
                agreement: {id: DSA-SEHAT, purpose: exchange, category: beneficiary_lists,
                            data_classes: [public, confidential, secret], programmes: [sehat]}
                users: [{id: sehat-1, name: Sehat, role: power, operations: [lookup, search, stats, exchange],
                         api_key_sha256: %s}]
              - id: acme
                name: Acme
                type: business_private
                users: [{id: standard-1, name: Analyst, role: standard, operations: [lookup, search, stats, exchange],
                         api_key_sha256: %s}]
              - id: lab
                name: Lab
                type: academic_research
                users: [{id: basic-1, name: Researcher, role: basic, operations: [lookup, search, stats],
                         api_key_sha256: %s}]
              - id: bisp
                name: BISP
                type: gratis
                users: [{id: bisp-1, name: BISP analyst, role: power, operations: [lookup, search, stats],
                         api_key_sha256: %s}]
            """.formatted(ApiKeys.sha256("demo-partner-key"), ApiKeys.sha256("demo-power-key"),
            ApiKeys.sha256("demo-standard-key"), ApiKeys.sha256("demo-basic-key"), ApiKeys.sha256("bisp-power-key"));

    private Partners() {
    }

    /** The configuration, Sehat scoped to {@code district}, with its journals in {@code dir}. */
    static ServerConfig config(int district, Path dir) throws Exception {
        return TestServer.config(CONFIG.replace("DISTRICT", Integer.toString(district)))
                .withJournalDir(Files.createDirectories(dir.resolve("journal")))
                .withUpdatesDir(Files.createDirectories(dir.resolve("updates")))
                .withFeedbackDir(Files.createDirectories(dir.resolve("feedback")))
                .withAgreementsDir(Files.createDirectories(dir.resolve("agreements")))
                .withExchangeDir(Files.createDirectories(dir.resolve("exchange")));
    }

    static HttpResponse<String> post(NserServer s, String key, String path, String body, String... more)
            throws Exception {
        String[] headers = new String[4 + more.length];
        headers[0] = "Authorization";
        headers[1] = "Bearer " + key;
        headers[2] = "Content-Type";
        headers[3] = "application/json";
        System.arraycopy(more, 0, headers, 4, more.length);
        return TestServer.send(s, "POST", path, body, headers);
    }

    static HttpResponse<String> get(NserServer s, String key, String path) throws Exception {
        return TestServer.get(s, path, "Authorization", "Bearer " + key);
    }

    static String enrolment(String who, String programme, String status, String date) {
        return "{" + who + ", \"programme\": \"" + programme + "\", \"status\": \"" + status + "\", \"date\": \""
                + date + "\"}";
    }

    static String benefit(String who, String programme, String period, String amount, String kind) {
        return "{" + who + ", \"programme\": \"" + programme + "\", \"period\": \"" + period + "\", \"amount_pkr\": "
                + amount + ", \"kind\": \"" + kind + "\"}";
    }

    static String byId(long id) {
        return "\"household_id\": " + id;
    }

    static String byCnic(long cnic) {
        return "\"cnic\": \"" + pk.gov.bisp.nser.core.cnic.Cnic.format(cnic) + "\"";
    }

    static String enrolments(String... items) {
        return "{\"enrolments\": [" + String.join(", ", items) + "]}";
    }

    static String benefits(String... items) {
        return "{\"benefits\": [" + String.join(", ", items) + "]}";
    }
}
