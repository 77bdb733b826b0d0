package pk.gov.bisp.nser.server.accesslog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The access record's JSON in the journal, committed ({@code src/test/resources/golden/accesslog/}): a record
 * without an agreement is the bytes every record had before agreements ({@code record.json}), and still reads, with
 * no agreement; a record under one carries {@code "agreement"} last ({@code record-with-agreement.json}). Never
 * disable this: a failure means the access log's format changed. The tests only read the files;
 * {@code scripts/regenerate-golden-files.sh} rewrites them with {@link #main}, from the same encoder.
 */
public class AccessRecordGoldenFileTest {

    private static final Path DIR = Path.of("src/test/resources/golden/accesslog");

    /** Rewrites both golden records under the directory {@code args[0]} ({@code golden/accesslog}). */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
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

    private static void assertGolden(String file, AccessRecord r) throws Exception {
        byte[] written = new AccessRecord.Encoder().encode(r);
        byte[] golden = Files.readAllBytes(DIR.resolve(file));
        assertArrayEquals(golden, written, "the access record's JSON changed: " + file);
        assertEquals(r, AccessRecord.decode(golden, 0, golden.length));
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
