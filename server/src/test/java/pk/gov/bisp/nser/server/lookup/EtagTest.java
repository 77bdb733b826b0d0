package pk.gov.bisp.nser.server.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** A lookup's ETag is the record version in quotes, made once for the versions a household usually has. */
class EtagTest {

    @Test
    void everyVersionShouldBeItsNumberInQuotes() {
        for (long v : new long[] {0, 1, 2, 9, 10, 99, 100, 255, 256, 1_000, 1L << 40, Long.MAX_VALUE}) {
            assertEquals("\"" + v + "\"", LookupRoutes.etag(v).toString(), "version " + v);
        }
        assertSame(LookupRoutes.etag(7), LookupRoutes.etag(7)); // not made again per lookup
    }
}
