package pk.gov.bisp.nser.server.accesslog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The access record's journal form, committed ({@code src/test/resources/golden/accesslog}): {@code request.json} a
 * record as every request wrote it before the DCI's {@code purposes} field (issue 32), which must still be written
 * byte for byte and read; {@code request-purposes.json} a DCI search's record with the consent and authorisation its
 * criteria stated; {@code record.json} a record without an agreement, the bytes every record had before agreements
 * (issue 26), which still reads with none, and {@code record-with-agreement.json} one under an agreement, which
 * carries {@code "agreement"}. Never disable this: a failure means the access log's format changed. The tests only
 * read the files; {@code scripts/regenerate-golden-files.sh} rewrites them with {@link #main}, only for a
 * deliberate, documented change.
 */
public class AccessRecordGoldenFileTest {

    private static final Path DIR = Path.of("src/test/resources/golden/accesslog");
    private static final long T = Instant.parse("2026-12-07T04:05:06.789Z").toEpochMilli();

    static final AccessRecord PLAIN = new AccessRecord("8f3a0c1d2e4b5a69", T, "10.1.2.3", "power-1",
            "Demo Power User", "punjab-social-protection", "government_federal_provincial", "power", "lookup", "GET",
            "/v1/households/by-cnic/35202-1234567-1", null, "35202-1234567-1", 1, 7, 200, 812, false, 1, 0, null);

    static final AccessRecord WITH_PURPOSES = new AccessRecord("0a1b2c3d4e5f6071", T, "10.1.2.4", "standard-1",
            "Demo Standard User", "acme-microfinance", "business_private", "standard", "search", "POST",
            "/registry/sync/search", null, null, 10, 3, 200, 2450, false, 10, 100_000, null, List.of(
                    new AccessRecord.Purpose("ref-1", "consent", "2026-12-07T09:00:00+05:00", "applicant consented",
                            "consent-form-7", "https://example.org/consent"),
                    new AccessRecord.Purpose("ref-1", "authorize", null, "loan appraisal", "credit", null)));

    /** Rewrites the four golden records into the directory {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Files.write(dir.resolve("request.json"), new AccessRecord.Encoder().encode(PLAIN));
        Files.write(dir.resolve("request-purposes.json"), new AccessRecord.Encoder().encode(WITH_PURPOSES));
        Files.write(dir.resolve("record.json"), new AccessRecord.Encoder().encode(record(null)));
        Files.write(dir.resolve("record-with-agreement.json"),
                new AccessRecord.Encoder().encode(record("DSA-2026-001")));
    }

    private static AccessRecord record(String agreement) {
        return new AccessRecord("8f00aa11bb22cc33", 1_796_616_012_345L, "10.1.2.3", "power-1", "Demo Power User",
                "punjab-social-protection", "government_federal_provincial", "power", "lookup", "GET",
                "/v1/households/by-cnic/3520212345671", null, "35202-1234567-1", 1, 7, 200, 1532, false, 1, 300, null,
                agreement);
    }

    private static void assertGolden(String name, AccessRecord r) throws Exception {
        byte[] written = new AccessRecord.Encoder().encode(r);
        Path golden = DIR.resolve(name);
        byte[] bytes = Files.readAllBytes(golden);
        assertArrayEquals(bytes, written, name + ": the access record's journal form changed");
        assertEquals(r, AccessRecord.decode(bytes, 0, bytes.length));
    }

    @Test
    void aRecordWithoutPurposesShouldBeWrittenAsBeforeAndStillRead() throws Exception {
        assertGolden("request.json", PLAIN);
        String json = Files.readString(DIR.resolve("request.json"), StandardCharsets.UTF_8);
        assertFalse(json.contains("purposes"), json);
        assertEquals(List.of(), AccessRecord.decode(json.getBytes(StandardCharsets.UTF_8), 0, json.length())
                .purposes());
    }

    @Test
    void aDciRecordShouldCarryEachCriterionsConsentAndPurpose() throws Exception {
        assertGolden("request-purposes.json", WITH_PURPOSES);
        String json = Files.readString(DIR.resolve("request-purposes.json"), StandardCharsets.UTF_8);
        assertTrue(json.endsWith(",\"purposes\":[{\"reference_id\":\"ref-1\",\"kind\":\"consent\",\"ts\":"
                + "\"2026-12-07T09:00:00+05:00\",\"text\":\"applicant consented\",\"code\":\"consent-form-7\","
                + "\"ref_uri\":\"https://example.org/consent\"},{\"reference_id\":\"ref-1\",\"kind\":\"authorize\","
                + "\"ts\":null,\"text\":\"loan appraisal\",\"code\":\"credit\",\"ref_uri\":null}]}"), json);
    }

    @Test
    void aReaderShouldSkipFieldsItDoesNotKnow() throws Exception {
        // what issue 26's agreement id, or any later field, looks like to this reader: skipped, the rest read
        String json = new String(new AccessRecord.Encoder().encode(WITH_PURPOSES), StandardCharsets.UTF_8);
        String extended = json.substring(0, json.length() - 1) + ",\"later\":{\"a\":[1,{\"b\":2}]},\"x\":\"y\"}";
        byte[] b = extended.getBytes(StandardCharsets.UTF_8);
        assertEquals(WITH_PURPOSES, AccessRecord.decode(b, 0, b.length));
    }

    @Test
    void aRecordWithoutAnAgreementIsWrittenAsBeforeAndReadsWithNone() throws Exception {
        assertGolden("record.json", record(null));
        byte[] old = Files.readAllBytes(DIR.resolve("record.json"));
        assertNull(AccessRecord.decode(old, 0, old.length).agreement());
    }

    @Test
    void aRecordUnderAnAgreementCarriesItsId() throws Exception {
        assertGolden("record-with-agreement.json", record("DSA-2026-001"));
        String json = Files.readString(DIR.resolve("record-with-agreement.json"));
        assertEquals(true, json.endsWith(",\"agreement\":\"DSA-2026-001\"}"), json);
    }
}
