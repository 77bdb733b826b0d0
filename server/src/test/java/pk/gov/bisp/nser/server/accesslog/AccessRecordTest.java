package pk.gov.bisp.nser.server.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Access records survive the journal's JSON form unchanged, timestamps included, with one reused encoder. */
class AccessRecordTest {

    private static AccessRecord record(long millis, String cnic, int classes) {
        return new AccessRecord("8f00aa", millis, "10.1.2.3", "u1", "User \"One\"", "org", "donor", "power", "lookup",
                "GET", "/v1/households/by-cnic/x", "a=1&b=\u00e9", cnic, 1, classes, 200, 1234, false, 1, 5000,
                cnic == null ? null : "outside-area-scope");
    }

    @Test
    void encodingThenDecodingGivesTheSameRecord() throws Exception {
        AccessRecord.Encoder e = new AccessRecord.Encoder();
        for (long millis : new long[] {1_763_795_212_005L, 1_763_795_212_045L, 1_763_795_212_345L, 1_763_795_213_000L}) {
            AccessRecord r = record(millis, millis % 2 == 0 ? null : "35202-1234567-1", 5);
            byte[] json = e.encode(r);
            assertEquals(r, AccessRecord.decode(json, 0, json.length));
        }
    }

    @Test
    void theTimestampIsIsoUtcWithMilliseconds() {
        String json = new String(new AccessRecord.Encoder().encode(record(1_763_795_212_045L, null, 1)),
                StandardCharsets.UTF_8);
        assertTrue(json.contains("\"ts\":\"2025-11-22T07:06:52.045Z\""), json);
        assertTrue(json.contains("\"field_classes\":[\"public\"]"), json);
        assertTrue(json.startsWith("{\"id\":\"8f00aa\"") && json.endsWith("}"), json);
    }
}
