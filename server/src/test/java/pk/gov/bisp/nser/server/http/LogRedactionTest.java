package pk.gov.bisp.nser.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.Test;

class LogRedactionTest {

    @Test
    void cnicsPhonesAndKeysShouldBeRedactedAndOtherNumbersKept() {
        assertEquals("GET /v1/households/by-cnic/[redacted]?x=%zz", LogRedaction.text(
                "GET /v1/households/by-cnic/3520212345671?x=%zz"));
        assertEquals("cnic=[redacted]&b=[redacted]&c=[redacted]", LogRedaction.text(
                "cnic=35202-1234567-1&b=35202%2D1234567%2d1&c=35202 1234567 1"));
        assertEquals("phone [redacted], [redacted], [redacted]", LogRedaction.text(
                "phone 923001234567, +92 300 1234567, 03001234567"));
        assertEquals("Authorization: Bearer [redacted]", LogRedaction.text("Authorization: Bearer demo-power-key"));
        String kept = "journal-00000000000000000001.seg: 86,325,839 bytes, sequence 1234567, status 500, 12345678901234";
        assertEquals(kept, LogRedaction.text(kept));
    }

    @Test
    void anExceptionChainShouldKeepItsClassesAndFramesWithItsMessagesRedacted() {
        IllegalStateException cause = new IllegalStateException("cnic 35202-1234567-1 is odd");
        RuntimeException e = new RuntimeException("GET /x?cnic=3520212345671", cause);
        e.addSuppressed(new IOException("phone 923001234567"));
        Throwable r = LogRedaction.throwable(e);
        assertEquals("java.lang.RuntimeException: GET /x?cnic=[redacted]", r.getMessage());
        assertEquals("java.lang.IllegalStateException: cnic [redacted] is odd", r.getCause().getMessage());
        assertEquals("java.io.IOException: phone [redacted]", r.getSuppressed()[0].getMessage());
        assertArrayEquals(e.getStackTrace(), r.getStackTrace());
    }

    @Test
    void theInstalledFilterShouldRedactEveryLineAHandlerWrites() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamHandler h = new StreamHandler(out, new SimpleFormatter());
        Logger root = Logger.getLogger("");
        root.addHandler(h);
        try {
            LogRedaction.install();
            Logger log = Logger.getLogger("test.redaction");
            log.log(Level.WARNING, "lookup {0} failed", "3520212345671");
            LogRecord rec = new LogRecord(Level.SEVERE, "boom");
            rec.setThrown(new IllegalArgumentException("bad cnic 35202-1234567-1"));
            rec.setLoggerName("test.redaction");
            log.log(rec);
            h.flush();
        } finally {
            root.removeHandler(h);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("lookup [redacted] failed"), text);
        assertTrue(text.contains("java.lang.IllegalArgumentException: bad cnic [redacted]"), text);
        assertFalse(text.contains("1234567"), text);
    }
}
