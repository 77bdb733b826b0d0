package pk.gov.bisp.nser.core.cnic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CnicTest {

    @Test
    void shouldParseDashedAndPlainFormsToTheSameLong() {
        assertEquals(3520212345671L, Cnic.parse("35202-1234567-1"));
        assertEquals(3520212345671L, Cnic.parse("3520212345671"));
        assertEquals(9999999999999L, Cnic.parse("99999-9999999-9"));
        assertEquals(1000000000000L, Cnic.parse("1000000000000"));
    }

    @Test
    void shouldFormatBackToTheWrittenForms() {
        assertEquals("35202-1234567-1", Cnic.format(3520212345671L));
        assertEquals("3520212345671", Cnic.digits(3520212345671L));
        assertEquals(3520212345671L, Cnic.parse(Cnic.format(3520212345671L)));
    }

    @Test
    void everyFormatShouldBeTheDigitsWithDashesAfterTheFifthAndTwelfth() {
        assertEquals("10000-0000000-0", Cnic.format(Cnic.MIN));
        assertEquals("99999-9999999-9", Cnic.format(Cnic.MAX));
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            long v = rnd.nextLong(Cnic.MIN, Cnic.MAX + 1);
            String d = Long.toString(v);
            String f = Cnic.format(v);
            assertEquals(d.substring(0, 5) + "-" + d.substring(5, 12) + "-" + d.substring(12), f);
            assertEquals(v, Cnic.parse(f));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|empty",
        "352021234567|has 12 digits",
        "35202123456712|has 14 digits",
        "35202-1234567-12|has 14 digits",
        "3520-21234567-1|dashes in the wrong places",
        "352021234567-1|dashes in the wrong places",
        "35202_1234567_1|not a digit or a dash at position 6",
        "3520a12345671|not a digit or a dash at position 5",
        "0520212345671|starts with 0",
        "35202 1234567 1|not a digit or a dash at position 6",
        "٣٥٢٠٢١٢٣٤٥٦٧١|not a digit or a dash at position 1",
    })
    void shouldRejectMalformedCnicSayingWhatIsWrong(String input, String expected) {
        InvalidCnicException e = assertThrows(InvalidCnicException.class, () -> Cnic.parse(input));
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
        assertEquals(-1, Cnic.tryParse(input));
    }

    @Test
    void shouldRejectNullAndAbsurdlyLongInputWithoutEchoingAllOfIt() {
        assertEquals(-1, Cnic.tryParse(null));
        String huge = "1".repeat(10_000);
        InvalidCnicException e = assertThrows(InvalidCnicException.class, () -> Cnic.parse(huge));
        assertTrue(e.getMessage().length() < 200, e.getMessage());
        assertTrue(e.getMessage().contains("10000 digits"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 999_999_999_999L, 10_000_000_000_000L, -3520212345671L})
    void shouldRefuseToFormatValuesThatAreNotThirteenDigits(long v) {
        assertThrows(InvalidCnicException.class, () -> Cnic.format(v));
    }
}
